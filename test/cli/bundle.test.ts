/**
 * The CLI runs from the build's bundle (`dist/bundle/`, written by `npm run build` with rolldown): a few files in
 * place of the ~200 modules of `dist/cli/` and its libraries, which took a quarter of a second to load on a slow
 * day. It must be the same program: the same bytes out as the modules it was made from.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.js';
import { snapshotDir, tempDir } from '../helpers/fixtures.js';
import { BIN } from '../helpers/spawnCli.js';

const BUNDLE = path.join(REPO_ROOT, 'dist/bundle/main.js');
const MODULES = path.join(REPO_ROOT, 'dist/cli/main.js');

/** The files a run of `node args` loads (resolved module URLs), through a resolve hook that lists them. */
function loadedBy(args: string[], cwd: string): { code: number | null; stderr: string; loaded: string[] } {
  const dir = tempDir('sac-loaded-');
  const list = path.join(dir, 'loaded.txt');
  const hooks = path.join(dir, 'hooks.mjs');
  writeFileSync(hooks, `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const r = await next(specifier, context);\n  appendFileSync(${JSON.stringify(list)}, r.url + '\\n');\n  return r;\n}\n`);
  const register = path.join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const r = spawnSync(process.execPath, ['--import', register, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const loaded = existsSync(list) ? [...new Set(readFileSync(list, 'utf8').trim().split('\n'))] : [];
  return { code: r.status, stderr: r.stderr, loaded };
}

describe('the CLI from the build', () => {
  it('runs from the bundle: a generate loads none of dist/cli/ or node_modules/ but Handlebars, and few files', () => {
    expect(existsSync(BUNDLE), 'npm run build writes dist/bundle/').toBe(true);
    const out = path.join(tempDir('sac-bundle-'), 'out');
    const r = loadedBy([BIN, 'generate', '--no-cache', '--spec', path.join(REPO_ROOT, 'test/fixtures/minimal'), '--out', out], REPO_ROOT);
    expect(r.code, r.stderr).toBe(0);
    const ours = r.loaded.filter((u) => u.startsWith(pathToFileURL(REPO_ROOT).href) && !u.includes('/node_modules/'));
    expect(ours.filter((u) => !u.includes('/dist/bundle/') && !u.endsWith('/bin/simplex-api-codegen.js'))).toEqual([]);
    // Handlebars is loaded with require (its runtime's one-file build); everything else is in the bundle.
    expect(r.loaded.filter((u) => u.includes('/node_modules/') && !u.includes('/node_modules/handlebars/'))).toEqual([]);
    expect(ours.length).toBeLessThan(40);
  });

  it('writes the same bytes as the modules it was made from, and answers the same', () => {
    // The minimal fixture runs every emitter; what could differ is how the code is loaded, not what it is given.
    const spec = path.join(REPO_ROOT, 'test/fixtures/minimal');
    const dir = tempDir('sac-bundle-');
    // The modules' CLI, run as the bin runs the bundle's.
    const fromModules = path.join(dir, 'modules.mjs');
    writeFileSync(fromModules, `const { main } = await import(${JSON.stringify(pathToFileURL(MODULES).href)});\nprocess.exitCode = await main(process.argv);\n`);
    const runs = {
      bundle: (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }),
      modules: (args: string[]) => spawnSync(process.execPath, [fromModules, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }),
    };
    const outputs: Record<string, Record<string, string>> = {};
    const answers: Record<string, string[]> = {};
    for (const [name, run] of Object.entries(runs)) {
      const out = path.join(dir, name);
      const g = run(['generate', '--no-cache', '--spec', spec, '--out', out]);
      expect(g.status, g.stderr).toBe(0);
      outputs[name] = snapshotDir(out);
      answers[name] = [run(['lint', '--no-cache', '--spec', spec]), run(['check', '--no-cache', '--spec', spec, '--out', out]), run(['--help'])].map((r) => `${r.status}\n${r.stdout}\n${r.stderr.replaceAll(out, 'OUT')}`);
    }
    expect(Object.keys(outputs['bundle']!).length).toBeGreaterThan(50);
    expect(outputs['bundle']).toEqual(outputs['modules']);
    expect(answers['bundle']).toEqual(answers['modules']);
  });
});
