/**
 * The CLI runs from the build's bundle (`dist/bundle/cli.cjs`, written by `npm run build` with rolldown): one file
 * in place of the ~200 modules of `dist/cli/` and its libraries, which took a quarter of a second to load on a
 * slow day, loaded with V8's code cache of it (`cli.cjs.cache`, made by the build from one generate), so that a
 * process does not compile again what every generate runs. It must be the same program: the same bytes out as the
 * modules it was made from.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeCodeCache } from '../../src/build/cliBundle.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { snapshotDir, tempDir } from '../helpers/fixtures.js';
import { BIN } from '../helpers/spawnCli.js';

const BUNDLE = path.join(REPO_ROOT, 'dist/bundle/cli.cjs');
const MODULES = path.join(REPO_ROOT, 'dist/cli/main.js');

/** The files a run of `node args` imports (resolved module URLs), through a resolve hook that lists them. */
function loadedBy(args: string[], cwd: string, env: Record<string, string> = {}): { code: number | null; stderr: string; loaded: string[] } {
  const dir = tempDir('sac-loaded-');
  const list = path.join(dir, 'loaded.txt');
  const hooks = path.join(dir, 'hooks.mjs');
  writeFileSync(hooks, `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const r = await next(specifier, context);\n  appendFileSync(${JSON.stringify(list)}, r.url + '\\n');\n  return r;\n}\n`);
  const register = path.join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const r = spawnSync(process.execPath, ['--import', register, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  const loaded = existsSync(list) ? [...new Set(readFileSync(list, 'utf8').trim().split('\n'))] : [];
  return { code: r.status, stderr: r.stderr, loaded };
}

describe('the CLI from the build', () => {
  it('runs from the bundle with its code cache: a generate imports nothing else of ours or of node_modules/', () => {
    expect(existsSync(BUNDLE), 'npm run build writes dist/bundle/cli.cjs').toBe(true);
    expect(existsSync(`${BUNDLE}.cache`), 'npm run build writes its code cache').toBe(true);
    const out = path.join(tempDir('sac-bundle-'), 'out');
    const r = loadedBy([BIN, 'generate', '--no-cache', '--spec', path.join(REPO_ROOT, 'test/fixtures/minimal'), '--out', out], REPO_ROOT, { SIMPLEX_API_CODEGEN_DEBUG: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`running ${BUNDLE}, code cache accepted`);
    // The bin imports the loader, which reads the bundle (Handlebars comes in with require, as in the modules).
    const ours = r.loaded.filter((u) => u.startsWith(pathToFileURL(REPO_ROOT).href) && !u.includes('/node_modules/'));
    expect(ours.map((u) => path.relative(REPO_ROOT, new URL(u).pathname)).sort()).toEqual(['bin/simplex-api-codegen.js', 'dist/cli/bundleLoader.js']);
    expect(r.loaded.filter((u) => u.includes('/node_modules/'))).toEqual([]);
  });

  it('a code cache that V8 refuses (made by another Node, or damaged) only costs the compile: the run is the same', () => {
    const dir = tempDir('sac-bundle-cache-');
    const bundle = path.join(dir, 'dist/bundle/cli.cjs');
    for (const rel of ['dist/bundle/cli.cjs', 'dist/bundle/cli.cjs.cache']) {
      const to = path.join(dir, rel);
      mkdirSync(path.dirname(to), { recursive: true });
      copyFileSync(path.join(REPO_ROOT, rel), to);
    }
    // In a process of its own, as the bin loads it: V8 takes a code cache only under the flags it was made with,
    // and a test worker may run with others.
    const load = (cacheFile?: string) => {
      const script = `import { loadBundle } from ${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'dist/cli/bundleLoader.js')).href)};\nconst b = loadBundle(${JSON.stringify(bundle)}${cacheFile ? `, ${JSON.stringify(cacheFile)}` : ''});\nconsole.log(JSON.stringify({ cache: b.cache, main: typeof b.exports.main }));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { cache: string; main: string };
    };
    expect(load().cache).toBe('accepted');
    writeFileSync(`${bundle}.cache`, Buffer.from('not a code cache'));
    expect(load()).toEqual({ cache: 'rejected', main: 'function' });
    expect(load(path.join(dir, 'none')).cache).toBe('absent');
  });

  it('the build goes on without a code cache when the generate it is made from fails, and says so', async () => {
    const dir = tempDir('sac-bundle-make-');
    const bundle = path.join(dir, 'dist/bundle/cli.cjs');
    mkdirSync(path.dirname(bundle), { recursive: true });
    copyFileSync(BUNDLE, bundle);
    const said: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (said.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await writeCodeCache(bundle, path.join(dir, 'no-such-spec'))).toBe(false);
    } finally {
      process.stderr.write = write;
    }
    expect(said.join('')).toMatch(/no code cache for .*cli\.cjs: the generate of .*no-such-spec it is made from exited 2/);
    expect(existsSync(`${bundle}.cache`)).toBe(false);
    // (The build's own cache, made the same way from spec/, is the one the first test finds accepted.)
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
