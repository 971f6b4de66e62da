/**
 * The steps of `generate` and `check` that the API and the CLI share, so that the two cannot drift: the output
 * manifest's record (answered without parsing), then, after the build, formatting, the manifest, and the write
 * or the comparison. Only light modules are imported here: the CLI answers from the record without loading the
 * parsers and emitters (api.ts builds).
 */
import path from 'node:path';
import type { FingerprintSource } from './cache/fingerprint.js';
import { checkRecordedOutput, type RecordedCheck } from './cache/recorded.js';
import { cacheDirOf, recordCacheEntry } from './cache/store.js';
import type { Diagnostic, IgnoreRule } from './diagnostics/diagnostic.js';
import { FORMAT_TARGETS, runFormatters, splitCommand, type Formatter, type FormatTarget } from './format/formatters.js';
import type { HistoryEntry } from './history/entry.js';
import { DEFAULT_OPTIONS, type GenerateOptions } from './options.js';
import type { EraOption } from './syntax/snippets.js';
import type { Target } from './targets.js';
import { definedOnly } from './util/definedOnly.js';
import { compareOutput, type OutputState } from './writer/compareOutput.js';
import { fileDiff } from './writer/diff.js';
import type { FileMap } from './writer/fileMap.js';
import { withManifest } from './writer/manifest.js';
import { awaitOutput, DEFAULT_LOCK_TIMEOUT_MS, writeOutput, type WriteResult } from './writer/output.js';

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
  /**
   * Trust the output manifest's record (default true): when it records this run's fingerprint (inputs, options,
   * config, generator build) and every file still has its recorded hash, `check` and `generate` answer without
   * parsing; otherwise the model of documents built before on this machine is read from the cache
   * (src/cache/models.ts). False always does the full run, parse included.
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

/** The options of the emitters, from the API's options. */
export function generateOptionsOf(options: OutputOptions): GenerateOptions {
  return {
    targets: options.targets ?? DEFAULT_OPTIONS.targets,
    era: options.era ?? DEFAULT_OPTIONS.era,
    pythonPackage: options.pythonPackage ?? DEFAULT_OPTIONS.pythonPackage,
    pythonDistVersion: options.pythonDistVersion ?? DEFAULT_OPTIONS.pythonDistVersion,
    ...definedOnly({
      templatesDir: options.templates,
      pythonDistName: options.pythonDistName,
      modelPositions: options.modelPositions,
      gitattributes: options.gitattributes,
      openUnions: options.openUnions,
      importExtension: options.importExtension,
      history: options.history?.length ? options.history.map((e) => ({ ...e, ...(e.spec !== undefined ? { spec: path.resolve(options.cwd ?? process.cwd(), e.spec) } : {}) })) : undefined,
    }),
  };
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
    ...generateOptionsOf(options),
    spec: options.spec,
    formatters: formattersOf(options.format),
    ...(options.configText !== undefined ? { configText: options.configText } : {}),
    cwd: options.cwd ?? process.cwd(),
    out: options.out,
  };
}

export const cacheDirOfOptions = (options: OutputOptions) => cacheDirOf(options.cwd ?? process.cwd(), options.cacheDir);

/** The output manifest's record of this run (after waiting for a run that is writing the output): its fingerprint and cache key, and whether the output is known to be up to date. */
export const readRunRecord = (options: OutputOptions): Promise<RecordedCheck> =>
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

/**
 * `generate` after a build without errors: formats the files, adds the manifest, writes, and records the run in
 * this machine's cache. A formatter's failure comes back as its diagnostics (nothing written); an abort of
 * `options.signal` throws (WriteCancelled, FormatCancelled) with the output as it was.
 */
export async function writeBuilt(files: FileMap, record: RecordedCheck, options: OutputOptions & { force?: boolean }): Promise<{ ok: true; result: WriteResult } | { ok: false; diagnostics: Diagnostic[] }> {
  const formatted = await formatOutput(files, options);
  if (formatted.diagnostics.length) return { ok: false, diagnostics: formatted.diagnostics };
  const output = withManifest(formatted.files, record.fingerprint);
  const result = await writeOutput(options.out, output, {
    shown: options.outShown ?? options.out,
    force: options.force === true,
    lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onWait ? { onWait: options.onWait } : {}),
  });
  recordCacheEntry(cacheDirOfOptions(options), record.cacheKey, options.out, output);
  return { ok: true, result };
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

/**
 * `check` after a build without errors: formats the files, adds the manifest and compares them with the output
 * directory; an output found exactly as generated is recorded in this machine's cache.
 */
export async function checkBuilt(files: FileMap, record: RecordedCheck, options: OutputOptions): Promise<{ ok: true; compared: Omit<CheckResult, 'ok' | 'diagnostics' | 'cache'> } | { ok: false; diagnostics: Diagnostic[] }> {
  const formatted = await formatOutput(files, options);
  if (formatted.diagnostics.length) return { ok: false, diagnostics: formatted.diagnostics };
  const output = withManifest(formatted.files, record.fingerprint);
  const compared = await compareWithOutput(output, options);
  // A full comparison that found the output exactly as generated: the next run may answer from the cache.
  if (compared.upToDate && !compared.recordStale) recordCacheEntry(cacheDirOfOptions(options), record.cacheKey, options.out, output);
  return { ok: true, compared };
}
