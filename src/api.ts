/**
 * The programmatic API: what the CLI does, as functions. Each returns its diagnostics instead of printing them
 * and never exits the process; the CLI is a thin layer that resolves options, prints and picks exit codes.
 *
 *     import { generate, check, lint, changes } from "simplex-api-codegen";
 *     const r = await generate({ spec: "spec", out: "generated" });
 *     if (!r.ok) console.error(r.diagnostics);
 */
import path from 'node:path';
import { applyIgnore, readIgnoreFile, type IgnoreEntry } from './changes/ignore.js';
import { compareModels, type ApiChange } from './changes/compare.js';
import { readSide } from './changes/loadSide.js';
import { diagnostic, DiagnosticCodes, hasErrors, isIgnored, sortDiagnostics, type Diagnostic, type IgnoreRule } from './diagnostics/diagnostic.js';
import { emitAll } from './generate.js';
import { lintSpec } from './lint.js';
import type { LoadedSpec } from './parse/loadSpec.js';
import { buildModelFromDir } from './pipeline.js';
import { withConfiguredHistory } from './history/load.js';
import { buildModelCached, buildModelFromDirCached, modelCacheOf, type ModelCacheOptions } from './cache/models.js';
import { checkBuilt, generateOptionsOf, readRunRecord, writeBuilt, type CheckResult, type GenerateResult, type OutputOptions, type SpecOptions } from './outputRun.js';
import type { FileMap } from './writer/fileMap.js';

export { checkBuilt, compareWithOutput, fingerprintSourceOf, formatOutput, readRunRecord, writeBuilt } from './outputRun.js';
export type { CacheUse, CheckResult, GenerateResult, OutputOptions, SpecOptions } from './outputRun.js';

export interface BuiltOutput {
  spec: LoadedSpec;
  /** Every file of the output, formatted; undefined when the input has errors. */
  files?: FileMap;
  diagnostics: Diagnostic[];
}

const visible = (diagnostics: readonly Diagnostic[], ignore: readonly IgnoreRule[] = []) => sortDiagnostics(diagnostics.filter((d) => !isIgnored(d, ignore)));

/** Reads the spec and emits every enabled target in memory (no formatting, nothing written). */
export async function buildOutput(options: OutputOptions): Promise<BuiltOutput> {
  const g = generateOptionsOf(options);
  // Documents built before on this machine (a template or option edit since) come from the cache, unless it is off.
  const cacheDir = modelCacheOf(options);
  const built = buildModelFromDirCached(options.spec, cacheDir, options.specShown ?? options.spec, options.specHint);
  const spec = withConfiguredHistory(built, g.history, options.cwd ?? process.cwd(), options.spec, cacheDir);
  if (hasErrors(spec.diagnostics)) return { spec, diagnostics: visible(spec.diagnostics, options.ignore) };
  const emitted = await emitAll(spec, g);
  return { spec, files: emitted.files, diagnostics: visible([...spec.diagnostics, ...emitted.diagnostics], options.ignore) };
}

/** `simplex-api-codegen generate`: writes every enabled target (only files that changed). */
export async function generate(options: OutputOptions & { force?: boolean }): Promise<GenerateResult> {
  const record = await readRunRecord(options);
  const { recorded } = record;
  if (recorded.upToDate) return { ok: true, diagnostics: [], written: [], removed: [], unchanged: recorded.files.length, foreign: recorded.foreign, recovered: 'none', cleaned: [], cache: { hit: true } };
  const cache = { hit: false, reason: recorded.reason };
  const built = await buildOutput(options);
  if (!built.files || hasErrors(built.diagnostics)) return { ok: false, diagnostics: built.diagnostics, cache };
  const written = await writeBuilt(built.files, record, options);
  if (!written.ok) return { ok: false, diagnostics: [...built.diagnostics, ...written.diagnostics], cache };
  return { ok: true, diagnostics: built.diagnostics, ...written.result, cache };
}

/** `simplex-api-codegen check`: what `generate` would change, writing nothing. */
export async function check(options: OutputOptions): Promise<CheckResult> {
  const empty = { stale: [], missing: [], unexpected: [], unchanged: [], foreign: [], conflicts: [], leftovers: [], recordStale: false, diffs: new Map(), upToDate: false };
  const record = await readRunRecord(options);
  const { recorded } = record;
  if (recorded.upToDate) return { ...empty, unchanged: recorded.files, foreign: recorded.foreign, upToDate: true, ok: true, diagnostics: [], cache: { hit: true } };
  const cache = { hit: false, reason: recorded.reason };
  const built = await buildOutput(options);
  if (!built.files || hasErrors(built.diagnostics)) return { ...empty, ok: false, diagnostics: built.diagnostics, cache };
  const checked = await checkBuilt(built.files, record, options);
  if (!checked.ok) return { ...empty, ok: false, diagnostics: [...built.diagnostics, ...checked.diagnostics], cache };
  return { ok: true, diagnostics: built.diagnostics, ...checked.compared, cache };
}

export interface LintResult {
  /** False when the documents have errors. */
  ok: boolean;
  diagnostics: Diagnostic[];
  errors: number;
  warnings: number;
  /** Warnings left out by `ignore`. */
  ignored: number;
}

export type { ModelCacheOptions } from './cache/models.js';

/** `simplex-api-codegen lint`: every problem of the documents and every documented snippet that differs. */
export function lint(options: SpecOptions & ModelCacheOptions): LintResult {
  const spec = buildModelFromDirCached(options.spec, modelCacheOf(options), options.specShown ?? options.spec, options.specHint);
  const all = lintSpec(spec, options.era ?? 'auto');
  const diagnostics = visible(all, options.ignore);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return { ok: errors === 0, diagnostics, errors, warnings: diagnostics.length - errors, ignored: all.length - diagnostics.length };
}

export interface ChangesOptions extends ModelCacheOptions {
  /** Where relative directories and git revisions are read from (default: the process's working directory). */
  cwd?: string;
  /** An ignore file (`RULE NAME` per line), or entries already read. */
  ignore?: string | readonly IgnoreEntry[];
}

export interface ChangesResult {
  /** False when a side could not be read or has errors. */
  ok: boolean;
  changes: ApiChange[];
  /** Changes the ignore entries accepted. */
  ignored: ApiChange[];
  /** Ignore entries that accepted nothing. */
  unusedIgnores: IgnoreEntry[];
  diagnostics: Diagnostic[];
}

/** `simplex-api-codegen changes OLD NEW`: each side a spec directory or `REV:PATH` read from git. */
export function changes(oldSide: string, newSide: string, options: ChangesOptions = {}): ChangesResult {
  const cwd = options.cwd ?? process.cwd();
  const cacheDir = modelCacheOf({ ...options, cwd });
  const sides = [oldSide, newSide].map((arg) => {
    const read = readSide(arg, cwd);
    const built = buildModelCached(read.input, cacheDir);
    return { files: read.input.files, model: built.model, diagnostics: [...read.diagnostics, ...built.diagnostics] };
  });
  let entries: readonly IgnoreEntry[] = [];
  const diagnostics = sides.flatMap((s) => s.diagnostics).filter((d) => d.severity === 'error');
  if (typeof options.ignore === 'string') {
    const read = readIgnoreFile(path.resolve(cwd, options.ignore), options.ignore);
    entries = read.entries;
    diagnostics.push(...read.diagnostics);
  } else if (options.ignore) entries = options.ignore;
  if (diagnostics.length) return { ok: false, changes: [], ignored: [], unusedIgnores: [], diagnostics: sortDiagnostics(diagnostics) };
  const all = compareModels(sides[0]!.model, sides[1]!.model, { old: sides[0]!.files, new: sides[1]!.files });
  const { kept, ignored, unused } = applyIgnore(all, entries);
  return { ok: true, changes: kept, ignored, unusedIgnores: unused, diagnostics: [] };
}

/** Reads a spec directory into the model (the IR every target is emitted from). */
export function loadSpecDir(dir: string): LoadedSpec {
  return buildModelFromDir(dir);
}

export { diagnostic, DiagnosticCodes };
