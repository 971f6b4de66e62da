/** Generates a spec's output into a temporary directory, and compiles or imports what was generated. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { generatorFingerprint } from '../../src/cache/fingerprint.js';
import { DEFAULT_OPTIONS, emitAll, type Emitted, type Target } from '../../src/generate.js';
import type { GenerateOptions } from '../../src/options.js';
import type { LoadedSpec, SpecInput } from '../../src/parse/loadSpec.js';
import { buildModel, inputKeyOf } from './model.js';
import { REPO_ROOT } from './corpus.js';
import { tempDir } from './fixtures.js';
import { checkedRun, rootPlaceholders, sharedCheck, sharedResult } from './sharedCheck.js';

export interface Generated {
  dir: string;
  files: Map<string, string>;
  diagnostics: Diagnostic[];
}

/**
 * What emitAll gave for a model (the one test/helpers/model.ts keeps for those documents) and options: the
 * eras are generated for dozens of tests in a worker, each into a directory of its own. A worker that has not
 * emitted them reads what another worker of this run emitted (or, with SAC_TEST_CACHE, an earlier run of the
 * same generator build: its fingerprint, which the generator's own caches are keyed by), as sharedCheck.ts
 * shares results.
 */
const emittedFor = new WeakMap<LoadedSpec, Map<string, Promise<Emitted>>>();

export function emitOnce(spec: LoadedSpec, options: GenerateOptions): Promise<Emitted> {
  if (options.templatesDir) return emitAll(spec, options); // a test may change the templates between calls
  const byOptions = emittedFor.get(spec) ?? new Map<string, Promise<Emitted>>();
  emittedFor.set(spec, byOptions);
  const key = JSON.stringify(options);
  let emitted = byOptions.get(key);
  if (!emitted) {
    const input = inputKeyOf(spec);
    emitted = !input
      ? emitAll(spec, options)
      : sharedResult(['emitAll', generatorFingerprint(), input, key], async () => {
          const e = await emitAll(spec, options);
          return { files: [...e.files], diagnostics: e.diagnostics };
        }).then((e) => ({ files: new Map(e.files), diagnostics: e.diagnostics }));
    byOptions.set(key, emitted);
    emitted.catch(() => byOptions.delete(key)); // a failure is not kept: the next ask emits again
  }
  return emitted;
}

export async function generateInto(input: SpecInput, targets: readonly Target[] = DEFAULT_OPTIONS.targets, dir = tempDir('sac-gen-'), options: Partial<GenerateOptions> = {}): Promise<Generated> {
  const spec = buildModel(input);
  if (hasErrors(spec.diagnostics)) throw new Error(`spec has errors: ${JSON.stringify(spec.diagnostics.slice(0, 3))}`);
  const emitted = await emitOnce(spec, { ...DEFAULT_OPTIONS, ...options, targets });
  for (const [rel, text] of emitted.files) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  // A copy: the caller may change its map, and the next caller gets what emitAll gave.
  return { dir, files: new Map(emitted.files), diagnostics: [...spec.diagnostics, ...emitted.diagnostics] };
}

const TSC = path.join(REPO_ROOT, 'node_modules/.bin/tsc');
/** The generated TypeScript files the compile checks take (bot.ts and botApi.ts where the framework is generated). */
export const TS_FILES = ['types.ts', 'commands.ts', 'responses.ts', 'events.ts', 'index.ts', 'parse.ts', 'decode.ts', 'client.ts', 'bot.ts', 'botApi.ts'];

/** `tsc --strict` over the generated TypeScript (and `extra` files beside it); with `outDir`, emits JavaScript there too. */
export function compileTypeScript(dir: string, outDir?: string, extra: string[] = []): { status: number | null; output: string } {
  // The bot framework is generated only for documents of the whole bot API.
  const files = [...TS_FILES.map((f) => path.join(dir, 'typescript', f)).filter((f) => !/bot(Api)?\.ts$/.test(f) || existsSync(f)), ...extra];
  for (const f of extra) writeFileSync(path.join(path.dirname(f), 'package.json'), '{"type":"module"}\n');
  const args = ['--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--types', ''];
  const argv = [...args, ...(outDir ? ['--outDir', outDir] : ['--noEmit']), ...files];
  // Under nodenext the nearest package.json decides the module format: ESM, as bot projects use.
  writeFileSync(path.join(dir, 'typescript', 'package.json'), '{"type":"module"}\n');
  // Run in the output directory: a tsconfig.json in the working directory would clash with file arguments.
  // Without outDir it is a check (shared); with it, the emitted files are shared the same way (emittedRun).
  const r = outDir ? emittedRun(args, files, dir, outDir) : checkedRun(TSC, argv, dir);
  if (outDir) writeFileSync(path.join(outDir, 'package.json'), '{"type":"module"}\n');
  return { status: r.status, output: r.stdout + r.stderr };
}

/**
 * `tsc` emitting `files` (run in `dir`) into `outDir`: the same sources compile to the same JavaScript, so the
 * emitted files are shared as checks are (sharedCheck.ts), and tests that compile one era's output each get a
 * copy of one compile. The key holds every TypeScript source and package.json beside the files (what an import
 * among them can reach) and the files' places relative to `dir`.
 */
function emittedRun(args: readonly string[], files: readonly string[], dir: string, outDir: string): { status: number | null; stdout: string; stderr: string } {
  const hash = createHash('sha256');
  for (const d of [...new Set(files.map((f) => path.dirname(f)))].sort())
    for (const name of readdirSync(d).sort())
      if (/\.(ts|mts|json)$/.test(name)) hash.update(`${path.relative(dir, path.join(d, name))}\0`).update(readFileSync(path.join(d, name))).update('\0');
  const command = ['tsc --outDir', ...args, ...files.map((f) => path.relative(dir, f)), hash.digest('hex')];
  const { hide, show } = rootPlaceholders([dir]);
  const run = sharedCheck(command, [], () => {
    const out = tempDir('sac-tsc-');
    const r = spawnSync(TSC, [...args, '--outDir', out, ...files], { encoding: 'utf8', cwd: dir });
    const emitted: Record<string, string> = {};
    const collect = (rel: string): void => {
      for (const name of readdirSync(path.join(out, rel)).sort()) {
        const file = path.join(rel, name);
        if (statSync(path.join(out, file)).isDirectory()) collect(file);
        else emitted[file] = readFileSync(path.join(out, file), 'utf8');
      }
    };
    collect('');
    rmSync(out, { recursive: true, force: true });
    return { status: r.status, stdout: hide(r.stdout ?? ''), stderr: hide(r.stderr ?? String(r.error ?? '')), emitted };
  });
  for (const [rel, text] of Object.entries(run.emitted)) {
    mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
    writeFileSync(path.join(outDir, rel), text);
  }
  return { status: run.status, stdout: show(run.stdout), stderr: show(run.stderr) };
}

/** Compiles and imports the generated TypeScript (its index module). */
export async function importTypeScript(dir: string): Promise<Record<string, unknown>> {
  const out = path.join(dir, 'js');
  const r = compileTypeScript(dir, out);
  if (r.status !== 0) throw new Error(`tsc failed:\n${r.output}`);
  return (await import(pathToFileURL(path.join(out, 'index.js')).href)) as Record<string, unknown>;
}

const PYRIGHT = path.join(REPO_ROOT, 'node_modules/.bin/pyright');

/** pyright over the generated package in `dir` (or, with `files`, over those files of `dir/python`, where the package is). */
export function runPyright(dir: string, files?: string[]): { status: number | null; output: string } {
  const cwd = files ? dir : path.join(dir, 'python');
  const args = ['--pythonversion', '3.11', ...(files ?? [path.join(dir, 'python', 'simplex_api')]).map((f) => path.relative(cwd, path.resolve(cwd, f)))];
  // The same package (one era's, say) is checked by several test files: once a run is enough.
  const r = checkedRun(PYRIGHT, args, cwd);
  return { status: r.status, output: r.stdout + r.stderr };
}
