/**
 * Built models by their inputs, on this machine: the mock chat core is started again and again on the same
 * documents (each BotTester, each Python `MockCore.start`), and a `generate` after a template or option edit
 * reads documents that did not change; each build costs a second or more of parsing, reading an entry ~20 ms.
 *
 * An entry is the built spec as JSON (the model round-trips through JSON exactly: plain objects, no undefined
 * fields), under `models/` of the cache directory that also holds the cache of full runs. Its key is a SHA-256
 * over the generator build and the documents (their bytes and the paths diagnostics show), so any edit, any other
 * build or another display path is a miss. Builds with errors are not kept. Best effort throughout: an entry that
 * cannot be read or parsed is a miss, one that cannot be written is skipped.
 */
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { readSpecDir, type LoadedSpec, type SpecInput } from '../parse/loadSpec.js';
import { buildModel } from '../pipeline.js';
import { generatorFingerprint, part } from './fingerprint.js';
import { cacheDirOf, ownedByUs } from './store.js';

/** Entries kept (the most recently written); older ones are removed when a new one is written. */
export const MODEL_ENTRIES_KEPT = 16;
/** The most bytes the kept entries take together (the newest entry is kept whatever its size). */
export const MODEL_BYTES_KEPT = 256 * 1024 * 1024;
const VERSION = 'simplex-api-codegen model 1';

export const modelCacheDirOf = (cacheDir: string) => path.join(cacheDir, 'models');

/** Whether and where a command reads built models from this machine's cache. */
export interface ModelCacheOptions {
  /** Read the built model of documents built before from this machine's cache (default true); false parses. */
  cache?: boolean;
  /** That cache (default: node_modules/.cache/simplex-api-codegen of the nearest directory at or above `cwd` with node_modules). */
  cacheDir?: string;
  /** Where relative paths are read from (default: the process's working directory). */
  cwd?: string;
}

/** The cache directory the options name, or undefined when the cache is off (`cache: false`). */
export function modelCacheOf(o: ModelCacheOptions): string | undefined {
  return o.cache === false ? undefined : cacheDirOf(o.cwd ?? process.cwd(), o.cacheDir);
}

/** The entry's key: the generator build and every document with its display path, length-prefixed. */
function modelKeyOf(input: SpecInput): string {
  const hash = createHash('sha256');
  part(hash, 'version', VERSION);
  part(hash, 'generator', generatorFingerprint());
  for (const kind of ['COMMANDS', 'TYPES', 'EVENTS'] as const) {
    part(hash, `${kind} file`, input.files[kind] ?? '');
    part(hash, kind, input.texts[kind] ?? '(absent)');
  }
  return hash.digest('hex');
}

/**
 * The built spec of `input`: from the entry when there is one, else built (and kept when it has no errors).
 * Without a cache directory (the cache is off), built.
 */
export function buildModelCached(input: SpecInput, cacheDir: string | undefined): LoadedSpec {
  if (cacheDir === undefined) return buildModel(input);
  const dir = modelCacheDirOf(cacheDir);
  // An entry becomes generated code: one that another user could have put there is neither read nor written.
  if (!ownedByUs(cacheDir) || !ownedByUs(dir)) return buildModel(input);
  const file = path.join(dir, `${modelKeyOf(input)}.json`);
  const kept = ownedByUs(file) ? readEntry(file) : undefined;
  if (kept) return kept;
  const built = buildModel(input);
  if (!hasErrors(built.diagnostics)) writeEntry(dir, file, built);
  return built;
}

/** `buildModelFromDir` through the cache: reading problems are found afresh, the build comes from the entry. */
export function buildModelFromDirCached(dir: string, cacheDir: string | undefined, display = dir, hint?: string): LoadedSpec {
  const read = readSpecDir(dir, display, hint);
  const built = buildModelCached(read.input, cacheDir);
  return { ...built, diagnostics: sortDiagnostics([...read.diagnostics, ...built.diagnostics]) };
}

function readEntry(file: string): LoadedSpec | undefined {
  try {
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown; spec?: LoadedSpec };
    const spec = entry.spec;
    // Anything else (a half-written or foreign file) is a miss, and the build writes it again.
    if (entry.version !== VERSION || typeof spec !== 'object' || spec === null || typeof spec.model !== 'object' || !Array.isArray(spec.diagnostics)) return undefined;
    return spec;
  } catch {
    return undefined;
  }
}

function writeEntry(dir: string, file: string, spec: LoadedSpec): void {
  try {
    mkdirSync(dir, { recursive: true });
    // Linked into place: a reader never meets half an entry. A broken entry (the reason this build ran) goes first;
    // when a concurrent writer of the same key links first, its entry (the same bytes) stays.
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      writeFileSync(temporary, JSON.stringify({ version: VERSION, spec }));
      rmSync(file, { force: true });
      linkSync(temporary, file);
    } finally {
      rmSync(temporary, { force: true });
    }
    pruneEntries(dir);
  } catch {
    /* no entry: the next start builds again */
  }
}

/**
 * Keeps the MODEL_ENTRIES_KEPT newest entries, fewer when they would take more than MODEL_BYTES_KEPT together
 * (the newest always stays: a model of a 9 MB spec takes about 30 MB), and removes leftovers of interrupted
 * writes older than a minute.
 */
function pruneEntries(dir: string): void {
  const now = Date.now();
  const entries: { file: string; mtime: number; size: number }[] = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    try {
      const { mtimeMs, size } = statSync(file);
      if (name.endsWith('.tmp')) {
        if (now - mtimeMs > 60_000) rmSync(file, { force: true });
      } else if (name.endsWith('.json')) entries.push({ file, mtime: mtimeMs, size });
    } catch {
      /* removed meanwhile */
    }
  }
  entries.sort((a, b) => b.mtime - a.mtime || (a.file < b.file ? -1 : 1));
  let bytes = 0;
  entries.forEach(({ file, size }, i) => {
    bytes += size;
    if (i > 0 && (i >= MODEL_ENTRIES_KEPT || bytes > MODEL_BYTES_KEPT)) rmSync(file, { force: true });
  });
}
