/**
 * The package as a library: packed as npm would publish it, installed into a scratch project, imported by its
 * name, each command called as a function, and its types checked by tsc.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.js';
import { MINIMAL_DIR, tempDir } from '../helpers/fixtures.js';

const run = (cmd: string, args: string[], cwd: string) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, out: (r.stdout ?? '') + (r.stderr ?? '') };
};

describe('the packed package', () => {
  let project = '';

  beforeAll(() => {
    project = tempDir('sac-pkg-');
    // --ignore-scripts: dist/ is built already (npm test builds first); `prepare` must not rebuild it under other tests.
    const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', project], REPO_ROOT);
    if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.out}`);
    const tarball = readdirSync(project).find((f) => f.endsWith('.tgz'))!;
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    // The dependencies are in npm's cache after `npm ci`.
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `./${tarball}`], project);
    if (install.status !== 0) throw new Error(`npm install failed:\n${install.out}`);
    cpSync(MINIMAL_DIR, path.join(project, 'spec'), { recursive: true });
    const edited = path.join(project, 'spec-next');
    cpSync(MINIMAL_DIR, edited, { recursive: true });
    const types = path.join(edited, 'TYPES.md');
    writeFileSync(types, readFileSync(types, 'utf8').replace('- text: string\n- meta', '- text: string?\n- meta'));
  }, 180_000);

  it('imports by name and runs generate, check, lint and changes', () => {
    writeFileSync(
      path.join(project, 'use.mjs'),
      `import { generate, check, lint, changes, loadSpecDir, formatChanges, TARGETS } from "simplex-api-codegen";
const out = {};
const g = await generate({ spec: "spec", out: "generated", targets: ["typescript", "python", "model"] });
out.generate = { ok: g.ok, written: g.written.length };
const c = await check({ spec: "spec", out: "generated", targets: ["typescript", "python", "model"] });
out.check = { ok: c.ok, upToDate: c.upToDate, unchanged: c.unchanged.length };
const stale = await check({ spec: "spec-next", out: "generated", targets: ["typescript", "python", "model"] });
out.stale = { upToDate: stale.upToDate, stale: stale.stale, firstDiff: [...stale.diffs.values()][0].text.split("\\n")[2] };
const l = lint({ spec: "spec" });
out.lint = { ok: l.ok, errors: l.errors, warnings: l.warnings };
const ch = changes("spec", "spec-next");
out.changes = ch.changes.map((x) => ({ kind: x.kind, name: x.name, field: x.field, rule: x.rule, level: x.level, line: x.newAt.line }));
out.markdown = formatChanges({ oldName: "spec", newName: "spec-next", changes: ch.changes }, "markdown").split("\\n")[0];
out.model = loadSpecDir("spec").model.commands.map((c) => c.name);
out.targets = TARGETS;
const bad = await generate({ spec: "nowhere", out: "generated2" });
out.bad = { ok: bad.ok, codes: bad.diagnostics.map((d) => d.code) };
console.log(JSON.stringify(out));
`,
    );
    const r = run('node', ['use.mjs'], project);
    expect(r.status, r.out).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.generate).toEqual({ ok: true, written: 38 });
    expect(out.check).toEqual({ ok: true, upToDate: true, unchanged: 38 });
    expect(out.stale.upToDate).toBe(false);
    expect(out.stale.stale).toEqual(['model.json', 'python/simplex_api/_decode.py', 'python/simplex_api/_types.py', 'typescript/decode.ts', 'typescript/types.ts']);
    expect(out.stale.firstDiff).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@$/);
    expect(out.lint).toEqual({ ok: true, errors: 0, warnings: 0 });
    expect(out.changes).toEqual([{ kind: 'type', name: 'ChatItem', field: 'text', rule: 'made-optional', level: 'breaking', line: readFileSync(path.join(MINIMAL_DIR, 'TYPES.md'), 'utf8').split('\n').indexOf('- text: string') + 1 }]);
    expect(out.markdown).toBe('## API changes: `spec` → `spec-next`');
    expect(out.model).toEqual(['APISendMessages', 'APIDeleteChat']);
    expect(out.targets).toEqual(['docs', 'model', 'snippets', 'typescript', 'python', 'schema', 'asyncapi', 'docs-html']);
    expect(out.bad).toEqual({ ok: false, codes: ['SPEC001'] });
  });

  it('ships types that tsc checks against (the API, the model and the changes)', () => {
    writeFileSync(
      path.join(project, 'typed.ts'),
      `import { generate, changes, type ApiModel, type ApiChange, type CommandDoc, type Diagnostic, type OutputOptions } from "simplex-api-codegen";
const options: OutputOptions = { spec: "spec", out: "generated", targets: ["typescript"], format: { typescript: "prettier --write" } };
export async function names(model: ApiModel): Promise<string[]> {
  const r = await generate(options);
  const d: Diagnostic[] = r.diagnostics;
  const breaking: ApiChange[] = changes("a", "b").changes.filter((c) => c.level === "breaking");
  return [...model.commands.map((c: CommandDoc) => c.name), ...d.map((x) => x.code), ...breaking.map((c) => c.rule)];
}
// @ts-expect-error: not a target
export const wrong: OutputOptions = { spec: "spec", out: "o", targets: ["rust"] };
`,
    );
    // The README's example, as printed.
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const example = /## As a library[\s\S]*?```ts library\n([\s\S]*?)```/.exec(readme)![1]!;
    writeFileSync(path.join(project, 'readme.ts'), example);
    const tsc = path.join(REPO_ROOT, 'node_modules/.bin/tsc');
    const r = run(tsc, ['--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(REPO_ROOT, 'node_modules/@types'), 'typed.ts', 'readme.ts'], project);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  it('the README’s library example runs as printed: in a git repository with an older spec it reports; where changes fails it prints the diagnostics', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const example = /## As a library[\s\S]*?```ts library\n([\s\S]*?)```/.exec(readme)![1]!;
    const dir = path.join(project, 'library-example');
    mkdirSync(dir);
    symlinkSync(path.join(project, 'node_modules'), path.join(dir, 'node_modules'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'library-example', private: true, type: 'module' }));
    writeFileSync(path.join(dir, 'example.ts'), example);
    const tsc = path.join(REPO_ROOT, 'node_modules/.bin/tsc');
    const built = run(tsc, ['--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(REPO_ROOT, 'node_modules/@types'), 'example.ts'], dir);
    expect(built.out).toBe('');
    // No history yet: HEAD~1:spec cannot be read, and the example says why.
    cpSync(MINIMAL_DIR, path.join(dir, 'spec'), { recursive: true });
    const git = (...args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], dir);
    git('init', '-q');
    const failed = run('node', ['example.js'], dir);
    expect(failed.status).not.toBe(0);
    expect(failed.out).toMatch(/Error: changes failed:\n.*HEAD~1:spec.*: (GIT|SPEC)\d{3} /);
    // An older spec in the previous commit, the current one in HEAD.
    git('add', 'spec');
    git('commit', '-qm', 'old');
    writeFileSync(path.join(dir, 'spec', 'TYPES.md'), readFileSync(path.join(dir, 'spec', 'TYPES.md'), 'utf8').replace('- text: string\n- meta', '- text: string?\n- meta'));
    git('commit', '-qam', 'new');
    const ok = run('node', ['example.js'], dir);
    expect(ok.out).toContain('## API changes: `HEAD~1:spec` → `spec`');
    expect(ok.out).toContain("type `ChatItem` field `text`: is now optional");
    expect(ok.out.trim().split('\n').at(-1)).toBe('2 commands; up to date: true; lint: 0 errors, 0 warnings');
    expect(ok.status).toBe(0);
  });

  it('installs the CLI as a binary, with the schemas', () => {
    const r = run(path.join(project, 'node_modules/.bin/simplex-api-codegen'), ['--version'], project);
    expect(r.out.trim()).toBe(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
    for (const schema of ['config.schema.json', 'scenario.schema.json'])
      expect(JSON.parse(readFileSync(path.join(project, 'node_modules/simplex-api-codegen/schema', schema), 'utf8')).$schema).toContain('json-schema.org');
  });
});
