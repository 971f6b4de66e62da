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
import { startTypeScriptWorker, type TypeScriptEmitter } from './emit/typescript/background.js';
import { FORMAT_TARGETS, runFormatters, splitCommand, type Formatter, type FormatTarget } from './format/formatters.js';
import { DEFAULT_OPTIONS, emitAll, type GenerateOptions } from './generate.js';
import { lintSpec } from './lint.js';
import type { LoadedSpec } from './parse/loadSpec.js';
import { buildModel, buildModelFromDir } from './pipeline.js';
import { withConfiguredHistory } from './history/load.js';
import type { HistoryEntry } from './history/entry.js';
import type { EraOption } from './syntax/snippets.js';
import type { Target } from './targets.js';
import { fileDiff } from './writer/diff.js';
import type { FileMap } from './writer/fileMap.js';
import { compareOutput, type OutputState } from './writer/compareOutput.js';
import { withManifest } from './writer/manifest.js';
import { awaitOutput, DEFAULT_LOCK_TIMEOUT_MS, writeOutput, type WriteResult } from './writer/output.js';
import type { FingerprintSource } from './cache/fingerprint.js';
import { checkRecordedOutput } from './cache/recorded.js';
import { cacheDirOf, recordCacheEntry } from './cache/store.js';

export interface SpecOptions {
  /** The directory holding COMMANDS.md and, optionally, TYPES.md and EVENTS.md. */
  spec: string;
  /** How diagnostics name the directory (default: `spec` as given). */
  specShown?: string;
  /** What a missing directory's diagnostic (SPEC001) suggests: where the directory came from (default: "pass --spec DIR"). */
  specHint?: string;
  /** Snippet convention (default `auto`). */
  era?: EraOption;
  /** Warnings to leave out of the result, by code and optionally by the command, type or event they are about. */
  ignore?: readonly IgnoreRule[];
}

export interface OutputOptions extends SpecOptions {
  /** The output directory. */
  out: string;
  outShown?: string;
  targets?: readonly Target[];
  /** A directory of templates overriding the defaults by relative path. */
  templates?: string;
  pythonPackage?: string;
  pythonDistName?: string;
  pythonDistVersion?: string;
  modelPositions?: boolean;
  gitattributes?: boolean;
  /** TypeScript: the unknown member in every union and enum type (see GenerateOptions). */
  openUnions?: boolean;
  /** TypeScript: `./x.js` (default) or `./x.ts` in imports between generated files. */
  importExtension?: 'js' | 'ts';
  /** Earlier versions, oldest first, and last the label of this one: items get `since` (see GenerateOptions). */
  history?: readonly HistoryEntry[];
  /** Formatter commands per target, as the config's `format` (a command line or its words). */
  format?: Partial<Record<FormatTarget, string | readonly string[]>> | readonly Formatter[];
  /** Where formatter commands run (default: the process's working directory). */
  cwd?: string;
  /** How long to wait while another run writes the same output directory (default 60 s). */
  lockTimeoutMs?: number;
  onWait?: (owner: { pid: number; host: string }) => void;
  /** Aborting it stops formatting or undoes a write in progress. */
  signal?: AbortSignal;
  /** Emit TypeScript in a worker thread, while the rest is emitted (what the CLI does). */
  typescriptWorker?: boolean;
  /**
   * Trust the output manifest's record (default true): when it records this run's fingerprint (inputs, options,
   * config, generator build) and every file still has its recorded hash, `check` and `generate` answer without
   * parsing. False always does the full run.
   */
  cache?: boolean;
  /**
   * This machine's cache of full runs (default: `node_modules/.cache/simplex-api-codegen` of the nearest
   * directory at or above `cwd` that has `node_modules`). Written by the tool only, never read from the output.
   */
  cacheDir?: string;
  /** The configuration file's text, when the options came from one: part of the fingerprint. */
  configText?: string;
}

/** Whether the answer came from the manifest's record (nothing parsed), and why not when it did not. */
export interface CacheUse {
  hit: boolean;
  reason?: string;
}

export interface BuiltOutput {
  spec: LoadedSpec;
  /** Every file of the output, formatted; undefined when the input has errors. */
  files?: FileMap;
  diagnostics: Diagnostic[];
}

function generateOptions(options: OutputOptions): GenerateOptions {
  const g: GenerateOptions = {
    targets: options.targets ?? DEFAULT_OPTIONS.targets,
    era: options.era ?? DEFAULT_OPTIONS.era,
    pythonPackage: options.pythonPackage ?? DEFAULT_OPTIONS.pythonPackage,
    pythonDistVersion: options.pythonDistVersion ?? DEFAULT_OPTIONS.pythonDistVersion,
  };
  if (options.templates !== undefined) g.templatesDir = options.templates;
  if (options.pythonDistName !== undefined) g.pythonDistName = options.pythonDistName;
  if (options.modelPositions !== undefined) g.modelPositions = options.modelPositions;
  if (options.gitattributes !== undefined) g.gitattributes = options.gitattributes;
  if (options.openUnions !== undefined) g.openUnions = options.openUnions;
  if (options.importExtension !== undefined) g.importExtension = options.importExtension;
  if (options.history !== undefined && options.history.length) g.history = options.history.map((e) => ({ ...e, ...(e.spec !== undefined ? { spec: path.resolve(options.cwd ?? process.cwd(), e.spec) } : {}) }));
  return g;
}

/** The formatters of `options.format`, located at the call site (no config file). */
function formattersOf(format: OutputOptions['format']): Formatter[] {
  if (!format) return [];
  if (Array.isArray(format)) return [...(format as readonly Formatter[])];
  const out: Formatter[] = [];
  for (const target of FORMAT_TARGETS) {
    const command = (format as Partial<Record<FormatTarget, string | readonly string[]>>)[target];
    if (command === undefined) continue;
    const argv = typeof command === 'string' ? splitCommand(command) : [...command];
    if (!argv?.length) throw new TypeError(`format.${target}: not a command: ${JSON.stringify(command)}`);
    out.push({ target, argv, file: 'options', line: 1, column: 1 });
  }
  return out;
}

const visible = (diagnostics: readonly Diagnostic[], ignore: readonly IgnoreRule[] = []) => sortDiagnostics(diagnostics.filter((d) => !isIgnored(d, ignore)));

/** Reads the spec and emits every enabled target in memory (no formatting, nothing written). */
export async function buildOutput(options: OutputOptions, typescript?: TypeScriptEmitter): Promise<BuiltOutput> {
  const worker = typescript ?? (options.typescriptWorker && (options.targets ?? DEFAULT_OPTIONS.targets).includes('typescript') ? startTypeScriptWorker() : undefined);
  try {
    const g = generateOptions(options);
    const spec = withConfiguredHistory(buildModelFromDir(options.spec, options.specShown ?? options.spec, options.specHint), g.history, options.cwd ?? process.cwd(), options.spec);
    if (hasErrors(spec.diagnostics)) return { spec, diagnostics: visible(spec.diagnostics, options.ignore) };
    const emitted = await emitAll(spec, g, undefined, worker);
    return { spec, files: emitted.files, diagnostics: visible([...spec.diagnostics, ...emitted.diagnostics], options.ignore) };
  } finally {
    worker?.close();
  }
}

/** The files as the configured formatters leave them; a formatter's failure comes back as FMT001. */
export async function formatOutput(files: FileMap, options: OutputOptions): Promise<{ files: FileMap; diagnostics: Diagnostic[] }> {
  const formatters = formattersOf(options.format);
  if (!formatters.length) return { files, diagnostics: [] };
  const runOptions: Parameters<typeof runFormatters>[2] = { outDir: options.out, cwd: options.cwd ?? process.cwd() };
  if (options.signal) runOptions.signal = options.signal;
  return runFormatters(files, formatters, runOptions);
}

/** What a run's fingerprint is taken over (see cache/fingerprint.ts). */
export function fingerprintSourceOf(options: OutputOptions): FingerprintSource {
  return {
    ...generateOptions(options),
    spec: options.spec,
    formatters: formattersOf(options.format),
    ...(options.configText !== undefined ? { configText: options.configText } : {}),
    cwd: options.cwd ?? process.cwd(),
    out: options.out,
  };
}

const cacheDirOfOptions = (options: OutputOptions) => cacheDirOf(options.cwd ?? process.cwd(), options.cacheDir);

const recordedCheck = (options: OutputOptions) =>
  checkRecordedOutput(fingerprintSourceOf(options), options.out, {
    useRecord: options.cache !== false,
    cacheDir: cacheDirOfOptions(options),
    shown: options.outShown ?? options.out,
    lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    ...(options.onWait ? { onWait: options.onWait } : {}),
  });

export interface GenerateResult extends Partial<WriteResult> {
  /** False when the input had errors or a formatter failed: then nothing was written. */
  ok: boolean;
  diagnostics: Diagnostic[];
  cache: CacheUse;
}

/** `simplex-api-codegen generate`: writes every enabled target (only files that changed). */
export async function generate(options: OutputOptions & { force?: boolean }): Promise<GenerateResult> {
  const { fingerprint, cacheKey, recorded } = await recordedCheck(options);
  if (recorded.upToDate)
    return { ok: true, diagnostics: [], written: [], removed: [], unchanged: recorded.files.length, foreign: recorded.foreign, recovered: 'none', cleaned: [], cache: { hit: true } };
  const cache = { hit: false, reason: recorded.reason };
  const built = await buildOutput(options);
  if (!built.files || hasErrors(built.diagnostics)) return { ok: false, diagnostics: built.diagnostics, cache };
  const formatted = await formatOutput(built.files, options);
  if (formatted.diagnostics.length) return { ok: false, diagnostics: [...built.diagnostics, ...formatted.diagnostics], cache };
  const output = withManifest(formatted.files, fingerprint);
  const written = await writeOutput(options.out, output, {
    shown: options.outShown ?? options.out,
    force: options.force === true,
    lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onWait ? { onWait: options.onWait } : {}),
  });
  recordCacheEntry(cacheDirOfOptions(options), cacheKey, options.out, output);
  return { ok: true, diagnostics: built.diagnostics, ...written, cache };
}

export interface CheckResult extends Omit<OutputState, 'current'> {
  /** True when the output directory holds exactly what `generate` would write. */
  upToDate: boolean;
  /** False when the input had errors or a formatter failed (nothing was compared). */
  ok: boolean;
  diagnostics: Diagnostic[];
  /** A unified diff per stale or missing file (3 lines of context, capped), and the first changed line. */
  diffs: Map<string, { text: string; firstChangedLine?: number }>;
  cache: CacheUse;
}

/** Compares already-built files with the output directory (after waiting for a run that is writing it). */
export async function compareWithOutput(files: FileMap, options: Pick<OutputOptions, 'out' | 'outShown' | 'lockTimeoutMs' | 'onWait'>): Promise<Omit<CheckResult, 'ok' | 'diagnostics' | 'cache'>> {
  const shown = options.outShown ?? options.out;
  await awaitOutput(options.out, { shown, lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, ...(options.onWait ? { onWait: options.onWait } : {}) });
  const { current, ...state } = compareOutput(options.out, files, { shown });
  const diffs = new Map<string, { text: string; firstChangedLine?: number }>();
  for (const f of state.stale) diffs.set(f, fileDiff(f, current.get(f), files.get(f)));
  for (const f of state.missing) diffs.set(f, fileDiff(f, undefined, files.get(f)));
  const upToDate = state.stale.length + state.missing.length + state.unexpected.length + state.leftovers.length === 0;
  return { ...state, upToDate, diffs };
}

/** `simplex-api-codegen check`: what `generate` would change, writing nothing. */
export async function check(options: OutputOptions): Promise<CheckResult> {
  const empty = { stale: [], missing: [], unexpected: [], unchanged: [], foreign: [], conflicts: [], leftovers: [], recordStale: false, diffs: new Map(), upToDate: false };
  const { fingerprint, cacheKey, recorded } = await recordedCheck(options);
  if (recorded.upToDate) return { ...empty, unchanged: recorded.files, foreign: recorded.foreign, upToDate: true, ok: true, diagnostics: [], cache: { hit: true } };
  const cache = { hit: false, reason: recorded.reason };
  const built = await buildOutput(options);
  if (!built.files || hasErrors(built.diagnostics)) return { ...empty, ok: false, diagnostics: built.diagnostics, cache };
  const formatted = await formatOutput(built.files, options);
  if (formatted.diagnostics.length) return { ...empty, ok: false, diagnostics: [...built.diagnostics, ...formatted.diagnostics], cache };
  const output = withManifest(formatted.files, fingerprint);
  const compared = await compareWithOutput(output, options);
  // A full comparison that found the output exactly as generated: the next run may answer from the cache.
  if (compared.upToDate && !compared.recordStale) recordCacheEntry(cacheDirOfOptions(options), cacheKey, options.out, output);
  return { ok: true, diagnostics: built.diagnostics, ...compared, cache };
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

/** `simplex-api-codegen lint`: every problem of the documents and every documented snippet that differs. */
export function lint(options: SpecOptions): LintResult {
  const spec = buildModelFromDir(options.spec, options.specShown ?? options.spec, options.specHint);
  const all = lintSpec(spec, options.era ?? 'auto');
  const diagnostics = visible(all, options.ignore);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return { ok: errors === 0, diagnostics, errors, warnings: diagnostics.length - errors, ignored: all.length - diagnostics.length };
}

export interface ChangesOptions {
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
  const sides = [oldSide, newSide].map((arg) => {
    const read = readSide(arg, cwd);
    const built = buildModel(read.input);
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
