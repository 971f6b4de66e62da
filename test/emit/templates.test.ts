/** Templates: overridable by name; a broken one is a diagnostic naming the file and line, and changes nothing. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import Handlebars from 'handlebars';
import { writePrecompiledTemplates } from '../../src/emit/precompiledTemplates.js';
import { DEFAULT_TEMPLATES_DIR, loadTemplates, type TemplateSet } from '../../src/emit/templates.js';
import { DEFAULT_OPTIONS, emitAll } from '../../src/generate.js';
import { readSpecDir, type SpecInput } from '../../src/parse/loadSpec.js';
import { buildModel } from '../helpers/model.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { MINIMAL_DIR, minimalInput, snapshotDir, tempDir } from '../helpers/fixtures.js';

function overrides(files: Record<string, string>): string {
  const dir = tempDir('sac-tpl-');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe('--templates', () => {
  it('overrides a template by its relative path', async () => {
    const original = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'python/__init__.py.hbs'), 'utf8');
    const dir = overrides({ 'python/__init__.py.hbs': original.replace('"""Types and command builders', '"""Our bot SDK: types and command builders') });
    const out = path.join(tempDir(), 'out');
    const r = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--templates', dir, '--targets', 'python'], REPO_ROOT);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(out, 'python/simplex_api/__init__.py'), 'utf8')).toContain('"""Our bot SDK: types and command builders');
  });

  it('a template that does not compile is TPL001 naming the file and line; the output is untouched', async () => {
    const out = path.join(tempDir(), 'out');
    await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs'], REPO_ROOT);
    const before = snapshotDir(out);
    const dir = overrides({ 'docs/TYPES.md.hbs': '# {{header.title}}\n\n{{#each types}}\n- {{name}\n{{/each}}\n' });
    const r = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--templates', dir, '--targets', 'docs'], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${path.join(dir, 'docs/TYPES.md.hbs').replace(/[/.]/g, '\\$&')}:4:1: error TPL001: template error: template does not parse: unexpected 'INVALID'\n  expected: one of 'CLOSE_RAW_BLOCK', 'CLOSE'`));
    expect(snapshotDir(out)).toEqual(before);
  });

  it('an unclosed block and a mismatched one point at the template line', async () => {
    const unclosed = overrides({ 'docs/TYPES.md.hbs': '# {{header.title}}\n\n{{#each types}}\n- {{name}}\n' });
    const r1 = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', path.join(tempDir(), 'o'), '--templates', unclosed, '--targets', 'docs'], REPO_ROOT);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/TYPES\.md\.hbs:5:1: error TPL001: template error: template does not parse: unexpected end of template\n  expected: one of .*'OPEN_ENDBLOCK'/);
    const mismatched = overrides({ 'docs/TYPES.md.hbs': '# {{header.title}}\n{{#each types}}{{name}}{{/if}}\n' });
    const r2 = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', path.join(tempDir(), 'o'), '--templates', mismatched, '--targets', 'docs'], REPO_ROOT);
    expect(r2.stderr).toMatch(/TYPES\.md\.hbs:2:4: error TPL001: template error: each doesn't match if/);
  });

  it('a template that names a missing field is TPL001 (strict mode), not silent empty output', async () => {
    const dir = overrides({ 'docs/EVENTS.md.hbs': '# {{header.titel}}\n' });
    const r = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', path.join(tempDir(), 'o'), '--templates', dir, '--targets', 'docs'], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/EVENTS\.md\.hbs:1:5: error TPL001: template error: "titel" not defined\n  hint: templates are compiled in strict mode/);
  });

  it('a template that overrides nothing is reported', async () => {
    const dir = overrides({ 'docs/CHANGELOG.md.hbs': 'x' });
    const r = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', path.join(tempDir(), 'o'), '--templates', dir], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('template "docs/CHANGELOG.md.hbs" overrides nothing');
  });
});

describe('the package templates compiled when the package is built', () => {
  const built = () => {
    const file = path.join(tempDir('sac-precompiled-'), 'templates.precompiled.json');
    expect(writePrecompiledTemplates(DEFAULT_TEMPLATES_DIR, file)).toBeGreaterThan(15);
    return file;
  };
  const emitted = async (templates: TemplateSet, input: SpecInput) => (await emitAll(buildModel(input), DEFAULT_OPTIONS, templates)).files;

  it('give every output byte for byte as the templates compiled from their text (spec/ and the minimal fixture)', async () => {
    const file = built();
    for (const input of [readSpecDir(path.join(REPO_ROOT, 'spec')).input, minimalInput()]) {
      const fromText = await emitted(loadTemplates(undefined, DEFAULT_TEMPLATES_DIR, path.join(tempDir(), 'absent.json')), input);
      const precompiled = await emitted(loadTemplates(undefined, DEFAULT_TEMPLATES_DIR, file), input);
      expect([...precompiled.keys()]).toEqual([...fromText.keys()]);
      for (const [f, text] of fromText) expect(precompiled.get(f), f).toBe(text);
    }
  });

  it('are used for the very text they were compiled from, and only for it', async () => {
    const file = built();
    // A table whose entry for docs/EVENTS.md.hbs holds another template's compiled form: taken while the text
    // is the one the entry was made from, ignored once the text differs (an edited checkout, an override).
    const table = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { sha256: string; spec: string }>;
    table['docs/EVENTS.md.hbs']!.spec = Handlebars.precompile('marker {{header.title}}', { noEscape: true, strict: true }) as string;
    writeFileSync(file, JSON.stringify(table));
    const events = async (templates: TemplateSet) => (await emitted(templates, minimalInput())).get('docs/EVENTS.md');
    expect(await events(loadTemplates(undefined, DEFAULT_TEMPLATES_DIR, file))).toMatch(/^marker /);
    const original = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'docs/EVENTS.md.hbs'), 'utf8');
    const dir = overrides({ 'docs/EVENTS.md.hbs': `${original}\n` });
    expect(await events(loadTemplates(dir, DEFAULT_TEMPLATES_DIR, file))).not.toMatch(/^marker /);
  });

  it('need Handlebars\' runtime alone; a template changed from its compiled text loads the compiler', () => {
    const file = built();
    // A fresh process each, on the built package (what a run loads): which of Handlebars' modules it required.
    const loaded = (overrideDir?: string) => {
      const script = [
        `import { createRequire } from 'node:module';`,
        `const { loadTemplates } = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'dist/emit/templates.js')).href)});`,
        `loadTemplates(${JSON.stringify(overrideDir)}, undefined, ${JSON.stringify(file)});`,
        `const files = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('handlebars'));`,
        `console.log(JSON.stringify({ any: files.length > 0, compiler: files.some((f) => f.includes('compiler')) }));`,
      ].join('\n');
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: REPO_ROOT });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { any: boolean; compiler: boolean };
    };
    expect(loaded()).toEqual({ any: true, compiler: false });
    const original = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'docs/EVENTS.md.hbs'), 'utf8');
    expect(loaded(overrides({ 'docs/EVENTS.md.hbs': original }))).toEqual({ any: true, compiler: false });
    expect(loaded(overrides({ 'docs/EVENTS.md.hbs': `${original}\n` }))).toEqual({ any: true, compiler: true });
  });
});

describe('partials whose output is a function of their context alone', () => {
  const dir = overrides({
    't/list.hbs': '{{#each items}}{{> t/item}}|{{/each}}',
    't/indexed.hbs': '{{#each items}}{{> t/indexed}}|{{/each}}',
    't/calls.hbs': '{{#each items}}{{> t/calls}}|{{/each}}',
    't/parent.hbs': '{{#each items}}{{> t/parent}}|{{/each}}',
    't/partials/item.hbs': '{{name}}',
    't/partials/indexed.hbs': '{{name}}{{@index}}',
    't/partials/calls.hbs': '[{{> t/indexed}}]',
    't/partials/parent.hbs': '{{name}}{{@root.tag}}',
  });
  const templates = loadTemplates(undefined, dir, path.join(dir, 'none.json'));

  it('are rendered once for each context object (which the emitters never change after making it)', () => {
    const o = { name: 'a' };
    expect(templates.render('t/list.hbs', { items: [o, { name: 'b' }] })).toBe('a|b|');
    o.name = 'changed';
    expect(templates.render('t/list.hbs', { items: [o] })).toBe('a|');
    expect(templates.render('t/list.hbs', { items: [{ name: 'changed' }] })).toBe('changed|');
  });

  it('a partial that reads data (`@index`, `@root`), or calls such a partial, is rendered every time', () => {
    const o = { name: 'a' };
    expect(templates.render('t/indexed.hbs', { items: [o, o] })).toBe('a0|a1|');
    expect(templates.render('t/calls.hbs', { items: [o, o] })).toBe('[a0]|[a1]|');
    expect(templates.render('t/parent.hbs', { tag: 'x', items: [o] })).toBe('ax|');
    expect(templates.render('t/parent.hbs', { tag: 'y', items: [o] })).toBe('ay|');
  });
});
