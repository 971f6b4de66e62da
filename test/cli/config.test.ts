/** simplex-api-codegen.config.json: found in the working directory or named by --config; flags override it. */
import { existsSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { CONFIG_KEYS, loadConfig } from '../../src/config/config.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli.js';
import { MINIMAL_DIR, tempDir } from '../helpers/fixtures.js';

function project(config: unknown): string {
  const dir = tempDir('sac-cfg-');
  writeFileSync(path.join(dir, 'simplex-api-codegen.config.json'), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return dir;
}

describe('config file', () => {
  it('supplies spec, out, targets and the Python package, relative to the file', async () => {
    const dir = project({ spec: path.relative(tempDir(), MINIMAL_DIR) && MINIMAL_DIR, out: 'gen', targets: ['python', 'docs'], pythonPackage: 'my_bot_api', era: 'latest' });
    const r = await runCli(['generate'], dir);
    expect(r.stderr).toContain('gen: ');
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'gen/python/my_bot_api/_commands.py'))).toBe(true);
    expect(readFileSync(path.join(dir, 'gen/python/my_bot_api/__init__.py'), 'utf8')).toContain('from `my_bot_api.responses` and `my_bot_api.events`');
    expect(existsSync(path.join(dir, 'gen/docs/COMMANDS.md'))).toBe(true);
    expect(existsSync(path.join(dir, 'gen/typescript'))).toBe(false);
  });

  it('is overridden by flags', async () => {
    const dir = project({ spec: MINIMAL_DIR, out: 'gen', targets: ['python'] });
    const r = await runCli(['generate', '--out', 'other', '--targets', 'model'], dir);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'other/model.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'gen'))).toBe(false);
  });

  it('can be named with --config', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'conf'));
    writeFileSync(path.join(dir, 'conf/codegen.json'), JSON.stringify({ spec: MINIMAL_DIR, out: '../out', targets: ['snippets'] }));
    const r = await runCli(['generate', '--config', 'conf/codegen.json'], dir);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, 'out/snippets.json'))).toBe(true);
  });

  it('reports unknown keys and wrong types with the key path and its position, all at once', () => {
    const dir = project('{\n  "spec": "spec",\n  "targetz": ["docs"],\n  "targets": ["docs", "rust", "pyton"],\n  "era": "lates",\n  "pythonPackage": "my-pkg",\n  "$schema": "./node_modules/simplex-api-codegen/schema/config.schema.json"\n}\n');
    const { diagnostics } = loadConfig(dir);
    expect(diagnostics.map((d) => [d.code, d.line, d.column, d.message])).toEqual([
      ['CFG001', 3, 3, 'unknown key $.targetz: did you mean "targets"?'],
      ['CFG001', 4, 23, '$.targets[1] is "rust", not a target'],
      ['CFG001', 4, 31, '$.targets[2] is "pyton", not a target: did you mean "python"?'],
      ['CFG001', 5, 3, '$.era has the wrong type or value: "lates": did you mean "latest"?'],
      ['CFG001', 6, 3, '$.pythonPackage has the wrong type or value: "my-pkg"'],
    ]);
    expect(diagnostics[0]!.expected).toContain('targets');
  });

  it('names the Python distribution (pythonDistName, pythonDistVersion), and flags override it; bad values are refused', async () => {
    const dir = project({ spec: MINIMAL_DIR, out: 'gen', targets: ['python'], pythonDistName: 'acme.bot-api', pythonDistVersion: '1.4.0' });
    expect((await runCli(['generate'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'gen/python/pyproject.toml'), 'utf8')).toContain('name = "acme.bot-api"\nversion = "1.4.0"\n');
    expect((await runCli(['generate', '--python-dist-version', '1.5.0.dev2'], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, 'gen/python/pyproject.toml'), 'utf8')).toContain('name = "acme.bot-api"\nversion = "1.5.0.dev2"\n');
    const flag = await runCli(['generate', '--python-dist-version', 'v1'], dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--python-dist-version takes a PEP 440 version such as "1.2.3"');
    expect((await runCli(['generate', '--python-dist-name', '-bad'], dir)).stderr).toContain('--python-dist-name takes a distribution name');
    const bad = project('{\n  "pythonDistName": "my bot",\n  "pythonDistVersion": "latest"\n}\n');
    expect(loadConfig(bad).diagnostics.map((d) => [d.code, d.line, d.column, d.message])).toEqual([
      ['CFG001', 2, 3, '$.pythonDistName has the wrong type or value: "my bot"'],
      ['CFG001', 3, 3, '$.pythonDistVersion has the wrong type or value: "latest"'],
    ]);
  });

  it('a broken config is a diagnostic with exit 2, and nothing is written', async () => {
    const dir = project('{ "spec": "spec", }');
    const r = await runCli(['generate'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^simplex-api-codegen\.config\.json:1:19: error CFG001: config is not valid JSON/m);
    expect(existsSync(path.join(dir, 'generated'))).toBe(false);
    const missing = await runCli(['check', '--config', 'nope.json'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('config file "nope.json" does not exist');
  });

  describe('the JSON Schema in schema/config.schema.json', () => {
    const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema/config.schema.json'), 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(schema);

    it('names exactly the keys the loader knows', () => {
      expect(Object.keys(schema.properties).sort()).toEqual([...CONFIG_KEYS].sort());
    });

    it('agrees with the loader on what is valid, including the README example', () => {
      const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
      const example = /### Configuration file[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)![1]!;
      const samples: unknown[] = [
        JSON.parse(example),
        { $schema: './node_modules/simplex-api-codegen/schema/config.schema.json', spec: 'spec' },
        { targets: ['python', 'docs'], era: 'latest', pythonDistVersion: '2.0.0rc1', modelPositions: true, gitattributes: false },
        { format: { typescript: ['prettier', '--write'], python: 'black -q' }, ignore: [{ code: 'SYN003', name: 'APIConnect' }, { code: 'LINT001' }] },
        { targets: ['rust'] },
        { targets: [] },
        { era: 'newest' },
        { pythonDistVersion: 'v1' },
        { pythonDistName: '-x' },
        { modelPositions: 'yes' },
        { format: { rust: 'rustfmt' } },
        { format: { python: '' } },
        { ignore: [{ name: 'APIConnect' }] },
        { ignore: [{ code: 'SYN003', extra: 1 }] },
        { specs: 'spec' },
        JSON.parse(/### Since which version[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)![1]!),
        { history: [{ label: 'v1', spec: 'old' }, { label: 'v2' }] },
        { history: [{ label: 'v1', revision: 'HEAD~1:spec' }, { label: 'v2', spec: 'spec' }] },
        { history: [] },
        { history: [{ label: '' }] },
        { history: [{ label: 'v1', revision: 'HEAD' }, { label: 'v2' }] },
        { history: [{ label: 'v1', spec: 'a', tag: 'x' }, { label: 'v2' }] },
        { history: [{ label: 'v1\nv2' }] },
      ];
      for (const sample of samples) {
        const dir = project(sample);
        const loaderOk = loadConfig(dir).diagnostics.length === 0;
        expect({ sample, valid: validate(sample) }).toEqual({ sample, valid: loaderOk });
      }
    });
  });
});
