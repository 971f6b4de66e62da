/**
 * Compares a file map with an output directory (`check`) and writes it (`generate`): only changed files, staged
 * to temporary files first and then swapped in with the old ones kept aside, so that a failure at any step
 * leaves the directory exactly as it was. One run at a time holds the directory (lock.ts); a swap killed
 * midway is finished or undone by the next run (journal.ts); nothing is ever written through a symbolic link.
 */
import { createHash } from 'node:crypto';
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { DiagnosticCodes, diagnostic, DiagnosticsError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { FileMap } from './fileMap.js';
import { recentMemo } from '../util/recentMemo.js';
import type { Fs } from './fsTypes.js';
import { bakPathOf, isInsidePath, JOURNAL, LEFTOVER, recoverSwap, removeJournal, tmpPathOf, writeJournal, type JournalEntry, type Recovery } from './journal.js';
import { acquireLock, awaitUnlocked, LOCK_FILE, WriteCancelled } from './lock.js';
import { gitignoreRules, isIgnored } from './ignored.js';

export { WriteCancelled } from './lock.js';

export type { Fs } from './fsTypes.js';

/** Lists the files the generator wrote; its presence marks a directory as the generator's to manage. */
export const MANIFEST = '.simplex-api-codegen-files';
const MANIFEST_HEADER = '# Written by simplex-api-codegen: the files it generated here, with their SHA-256. Do not edit.';
const INPUTS_LINE = /^# inputs sha256:([0-9a-f]{64})\b/;
const FILE_LINE = /^(.*?)(?: sha256:([0-9a-f]{64}))?$/;

/** Files that tools create beside generated ones and that are nobody's concern. */
const IGNORED = [/(^|\/)__pycache__(\/|$)/, /(^|\/)\.DS_Store$/, /(^|\/)node_modules(\/|$)/];

export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

export interface OutputState {
  stale: string[];
  missing: string[];
  /** Files an earlier run generated (its manifest lists them) that this run does not: `generate` removes them. */
  unexpected: string[];
  unchanged: string[];
  /** Files the generator never wrote (not in its manifest): left alone, and not a reason for `check` to fail. */
  foreign: string[];
  /** Files the generator never wrote standing where it now generates one: `generate` refuses them without --force. */
  conflicts: string[];
  /** Temporary files and the journal of an interrupted run: `generate` cleans them up, `check` fails on them. */
  leftovers: string[];
  /**
   * The manifest lists the right files but records other inputs or hashes (another generator build, other
   * options that give the same files, an older manifest format): not a reason for `check` to fail, but
   * `generate` rewrites it so that the next run can trust it.
   */
  recordStale: boolean;
  /** Current text of stale files, for diffs. */
  current: Map<string, string>;
}

export const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
/** The hash of each generated text, remembered across the regenerations of watch mode (most files do not change). */
const textSha256 = recentMemo(sha256, 64);

/**
 * The file map with its manifest: every file's path and SHA-256 and, when given, the fingerprint of the
 * inputs that produced them (see cache/fingerprint.ts). An earlier manifest in the map is replaced.
 */
export function withManifest(files: FileMap, inputs?: string): FileMap {
  const out = new Map(files);
  out.delete(MANIFEST);
  const listed = [...out.keys()].sort();
  const lines = [MANIFEST_HEADER];
  if (inputs !== undefined) lines.push(`# inputs sha256:${inputs} (spec, templates, options, config, generator build)`);
  for (const rel of listed) lines.push(`${rel} sha256:${textSha256(out.get(rel)!)}`);
  out.set(MANIFEST, lines.join('\n') + '\n');
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface ManifestRecord {
  /** The fingerprint of the inputs of the run that wrote it, when recorded. */
  inputs?: string;
  /** Each listed file with its recorded SHA-256 (undefined in a manifest of an older format). */
  files: Map<string, string | undefined>;
}

/**
 * A manifest's record. Only plain relative paths inside the directory count: a manifest edited to name `../x`
 * must never make `generate` remove a file outside.
 */
export function parseManifest(text: string): ManifestRecord {
  const record: ManifestRecord = { files: new Map() };
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      const inputs = INPUTS_LINE.exec(line)?.[1];
      if (inputs) record.inputs = inputs;
      continue;
    }
    const m = FILE_LINE.exec(line)!;
    if (m[1] && isInsidePath(m[1])) record.files.set(m[1], m[2]);
  }
  return record;
}

/** The files a manifest lists, sorted: what decides whether it is stale (its hashes follow from the files). */
function manifestListing(text: string): string {
  return [...parseManifest(text).files.keys()].sort().join('\n');
}

/** The files the manifest of an earlier run lists (itself included), or undefined without one. */
function readManifest(fs: Fs, outDir: string): Set<string> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(outDir, MANIFEST), 'utf8');
  } catch {
    return undefined;
  }
  const listed = new Set(parseManifest(text).files.keys());
  listed.add(MANIFEST);
  return listed;
}

/** Every file under `dir`, relative; symbolic links are listed as files, never followed. */
function listTree(fs: Fs, dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (IGNORED.some((re) => re.test(rel))) continue;
    if (entry.isDirectory()) out.push(...listTree(fs, path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}

const isLeftover = (rel: string) => LEFTOVER.test(rel) || rel === JOURNAL;

/** An output path that exists but is not a directory (a mistyped `--out` naming a file) is a diagnostic. */
function requireDirectory(fs: Fs, outDir: string, shown: string): void {
  let isFile = false;
  try {
    isFile = !fs.statSync(outDir).isDirectory();
  } catch {
    return; // it does not exist yet: generate creates it, check finds every file missing
  }
  if (isFile)
    throw new DiagnosticsError([
      diagnostic(DiagnosticCodes.OUTPUT_NOT_OWNED, shown, undefined, `output path "${shown}" is not a directory`, {
        expected: 'a directory (created when missing)',
        hint: 'pass --out DIR',
      }),
    ]);
}

/**
 * The first symbolic link on the way from `outDir` to `rel` (the path itself included), or undefined. The
 * writer refuses them all: a link committed in a repository must not make CI write outside the output.
 */
function linkOnPath(fs: Fs, outDir: string, rel: string, seen: Map<string, boolean>): string | undefined {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    let link = seen.get(sub);
    if (link === undefined) {
      try {
        link = fs.lstatSync(path.join(outDir, sub)).isSymbolicLink();
      } catch {
        link = false; // does not exist: nothing beyond it can be a link either
        seen.set(sub, link);
        return undefined;
      }
      seen.set(sub, link);
    }
    if (link) return sub;
  }
  return undefined;
}

function linkDiagnostics(fs: Fs, outDir: string, shown: string, paths: Iterable<string>): Diagnostic[] {
  const seen = new Map<string, boolean>();
  const links = new Set<string>();
  for (const rel of paths) {
    const link = linkOnPath(fs, outDir, rel, seen);
    if (link !== undefined) links.add(link);
  }
  return [...links].sort().map((link) =>
    diagnostic(DiagnosticCodes.OUTPUT_LINK, path.join(shown, link), undefined, `"${path.join(shown, link)}" is a symbolic link where generated output belongs`, {
      expected: 'a plain file or directory: the generator never writes, moves or removes anything through a link',
      hint: 'remove the link (nothing was written)',
    }),
  );
}

/**
 * What this process last wrote or read, with the file's size and modification time then: watch mode skips
 * reading a file whose text and stat are both unchanged since.
 */
export class OutputMemory {
  readonly files = new Map<string, { text: string; size: number; mtimeMs: number }>();
  /** The file's current text when it is as this process left it (same size and modification time), else undefined. */
  recall(fs: Fs, full: string): string | undefined {
    const seen = this.files.get(full);
    if (!seen) return undefined;
    try {
      const st = fs.statSync(full);
      return st.size === seen.size && st.mtimeMs === seen.mtimeMs ? seen.text : undefined;
    } catch {
      return undefined;
    }
  }
  remember(fs: Fs, full: string, text: string): void {
    try {
      const st = fs.statSync(full);
      this.files.set(full, { text, size: st.size, mtimeMs: st.mtimeMs });
    } catch {
      this.files.delete(full);
    }
  }
}

export interface CompareOptions {
  fs?: Fs;
  memory?: OutputMemory;
  /** The output directory as the user named it, for messages. */
  shown?: string;
}

/**
 * Compares without writing. A symbolic link where output belongs is an error here too (OUT003): `check` must
 * not read through it any more than `generate` may write through it.
 */
export function compareOutput(outDir: string, files: FileMap, options: CompareOptions = {}): OutputState {
  const { fs = nodeFs, memory, shown = outDir } = options;
  requireDirectory(fs, outDir, shown);
  const state: OutputState = { stale: [], missing: [], unexpected: [], unchanged: [], foreign: [], conflicts: [], leftovers: [], recordStale: false, current: new Map() };
  const tree = listTree(fs, outDir);
  const owned = readManifest(fs, outDir);
  const links = linkDiagnostics(fs, outDir, shown, [...files.keys(), ...tree.filter((rel) => owned?.has(rel))]);
  if (links.length) throw new DiagnosticsError(links);
  for (const [rel, text] of files) {
    const full = path.join(outDir, rel);
    let existing = memory?.recall(fs, full);
    if (existing === undefined) {
      try {
        existing = fs.readFileSync(full, 'utf8');
      } catch {
        existing = undefined;
      }
      if (existing === text) memory?.remember(fs, full, text);
    }
    if (existing === undefined) state.missing.push(rel);
    else if (existing !== text && rel === MANIFEST && manifestListing(existing) === manifestListing(text)) {
      state.unchanged.push(rel);
      state.recordStale = true;
    } else if (existing !== text) {
      state.stale.push(rel);
      state.current.set(rel, existing);
      if (owned && !owned.has(rel)) state.conflicts.push(rel);
    } else state.unchanged.push(rel);
  }
  // What the generated .gitignore files ignore is the build's, not foreign.
  const ignored = gitignoreRules([...files].filter(([rel]) => path.posix.basename(rel) === '.gitignore'));
  for (const rel of tree) {
    if (files.has(rel) || rel === LOCK_FILE) continue;
    if (isLeftover(rel)) state.leftovers.push(rel);
    else if (owned?.has(rel)) state.unexpected.push(rel);
    else if (!isIgnored(rel, ignored)) state.foreign.push(rel);
  }
  return state;
}

/** What `verifyOutputHashes` found: the listed files, or why the full comparison is needed. */
export type RecordedOutput = { upToDate: true; files: string[]; foreign: string[] } | { upToDate: false; reason: string };

/**
 * Whether the output directory holds exactly the files of `hashes` (path → SHA-256), without running anything:
 * every one a plain file, reached through no link, with its hash. A leftover of an interrupted run, a link, a
 * missing or edited file: not known to be up to date (the caller does the full run, which reports the
 * difference). Other files are named as foreign. `source` says where the hashes came from, for the reason.
 */
export function verifyOutputHashes(outDir: string, hashes: ReadonlyMap<string, string>, source: string, options: { fs?: Fs } = {}): RecordedOutput {
  const fs = options.fs ?? nodeFs;
  const foreign: string[] = [];
  const tree = listTree(fs, outDir);
  let ignored: ReturnType<typeof gitignoreRules> | undefined;
  for (const rel of tree) {
    if (rel === LOCK_FILE || hashes.has(rel)) continue;
    if (isLeftover(rel)) return { upToDate: false, reason: `${rel} was left by an interrupted run` };
    // What the generated .gitignore files ignore is the build's (their hashes are checked below).
    ignored ??= gitignoreRules(
      [...hashes.keys()].filter((r) => path.posix.basename(r) === '.gitignore').flatMap((r): [string, string][] => {
        try {
          return [[r, fs.readFileSync(path.join(outDir, r), 'utf8') as string]];
        } catch {
          return [];
        }
      }),
    );
    if (!isIgnored(rel, ignored)) foreign.push(rel);
  }
  const seen = new Map<string, boolean>();
  for (const [rel, recorded] of hashes) {
    if (linkOnPath(fs, outDir, rel, seen) !== undefined) return { upToDate: false, reason: `${rel} is reached through a symbolic link` };
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(outDir, rel)) as Buffer;
    } catch {
      return { upToDate: false, reason: `${rel} cannot be read` };
    }
    if (sha256(bytes) !== recorded) return { upToDate: false, reason: `${rel} differs from what ${source} records` };
  }
  return { upToDate: true, files: [...hashes.keys()].sort(), foreign };
}

export interface WriteResult {
  written: string[];
  removed: string[];
  unchanged: number;
  /** Files in the directory that the generator never wrote, left as they were. */
  foreign: string[];
  /** What was found of an interrupted earlier run, and what became of it. */
  recovered: Recovery;
  /** Leftover temporary files of earlier runs that were removed. */
  cleaned: string[];
}

export interface WriteOptions extends CompareOptions {
  /** Overwrite files the generator never wrote that stand where it now generates one. */
  force?: boolean;
  /** Aborting it between steps undoes the write (the CLI aborts on SIGINT and SIGTERM). */
  signal?: AbortSignal;
  lockTimeoutMs?: number;
  /** Told once when another run holds the directory and this one waits. */
  onWait?: (owner: { pid: number; host: string }) => void;
}


/** A turn of the event loop between steps, so that a signal handler can ask to stop. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes `files` (manifest included by the caller) into `outDir`. Refuses a non-empty directory that holds no
 * manifest, so that a mistyped `--out` never touches someone's files, and a file it never wrote where it now
 * generates one (unless `force`).
 *
 * Three steps: stage every new text in a temporary file beside its target; record the swap in the journal and
 * swap the files in, moving each old file (and each file to remove) aside first; then delete the journal and
 * what was moved aside. A failure or an abort in the first two steps undoes everything done so far.
 */
export async function writeOutput(outDir: string, files: FileMap, options: WriteOptions = {}): Promise<WriteResult> {
  const { fs = nodeFs, shown = outDir, memory, signal } = options;
  requireDirectory(fs, outDir, shown);
  const createdDirs: string[] = [];
  const mkdirs = (dir: string) => {
    if (fs.existsSync(dir)) return;
    // Remember every directory this creates, so that a failure can take them away again.
    for (let d = dir; !fs.existsSync(d) && !createdDirs.includes(d); d = path.dirname(d)) createdDirs.push(d);
    fs.mkdirSync(dir, { recursive: true });
  };
  const removeCreatedDirs = () => {
    // Deepest first: a directory is empty once the ones inside it are gone.
    for (const dir of [...createdDirs].sort((a, b) => b.length - a.length)) tryTo(() => fs.rmdirSync(dir));
  };
  const fail = (e: unknown): DiagnosticsError =>
    new DiagnosticsError([
      diagnostic(DiagnosticCodes.WRITE_FAILED, shown, undefined, `could not write the output: ${(e as Error).message}`, {
        hint: 'nothing was changed in the output directory',
      }),
    ]);

  try {
    mkdirs(outDir);
  } catch (e) {
    removeCreatedDirs();
    throw fail(e);
  }
  let release: () => void;
  try {
    release = await acquireLock(outDir, { fs, shown, timeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, onWait: options.onWait, signal });
  } catch (e) {
    removeCreatedDirs();
    throw e instanceof DiagnosticsError || e instanceof WriteCancelled ? e : fail(e);
  }
  try {
    return await writeLocked(outDir, files, { ...options, fs, shown, memory, signal }, mkdirs, removeCreatedDirs, fail);
  } finally {
    release();
    // A directory this run created and left empty (a failed first run) goes again.
    if (createdDirs.length) removeCreatedDirs();
  }
}

async function writeLocked(
  outDir: string,
  files: FileMap,
  options: WriteOptions & { fs: Fs; shown: string },
  mkdirs: (dir: string) => void,
  removeCreatedDirs: () => void,
  fail: (e: unknown) => DiagnosticsError,
): Promise<WriteResult> {
  const { fs, shown, memory, signal } = options;
  // Holding the lock, every leftover is of a run that is gone: finish or undo its swap, then remove the rest.
  let recovered: Recovery;
  const cleaned: string[] = [];
  try {
    recovered = recoverSwap(fs, outDir);
    for (const rel of listTree(fs, outDir).filter(isLeftover)) {
      fs.unlinkSync(path.join(outDir, rel));
      cleaned.push(rel);
    }
  } catch (e) {
    throw fail(e);
  }

  const state = compareOutput(outDir, files, { fs, memory, shown });
  const nonEmpty = state.stale.length + state.unchanged.length + state.unexpected.length + state.foreign.length > 0;
  if (nonEmpty && !fs.existsSync(path.join(outDir, MANIFEST))) {
    throw new DiagnosticsError([
      diagnostic(DiagnosticCodes.OUTPUT_NOT_OWNED, shown, undefined, `output directory "${shown}" is not empty and was not written by simplex-api-codegen`, {
        expected: `an empty directory, or one holding ${MANIFEST} from an earlier run`,
        hint: 'choose another --out, or empty the directory first',
      }),
    ]);
  }
  if (state.conflicts.length && !options.force) throw new DiagnosticsError(conflictDiagnostics(state.conflicts, shown));

  const toWrite = [...state.missing, ...state.stale, ...(state.recordStale ? [MANIFEST] : [])].sort();
  const entries: JournalEntry[] = [
    ...toWrite.map((rel): JournalEntry => ({ op: 'write', path: rel, tmp: tmpPathOf(rel), bak: bakPathOf(rel) })),
    ...state.unexpected.map((rel): JournalEntry => ({ op: 'remove', path: rel, bak: bakPathOf(rel) })),
  ];
  const at = (rel: string) => path.join(outDir, rel);
  /** Undo log of the swap step, replayed backwards on failure. */
  const undo: (() => void)[] = [];
  const movedAside: string[] = [];
  let journaled = false;

  const rollback = (e: unknown): never => {
    let undone = true;
    for (const step of undo.reverse()) if (!tryTo(step)) undone = false;
    // Undone swaps put every new text back in its temporary file; none of them may stay.
    for (const rel of [...toWrite, JOURNAL]) tryTo(() => fs.unlinkSync(at(tmpPathOf(rel))));
    // Once everything is back, the journal has nothing left to say; otherwise the next run finishes the undo.
    if (journaled && undone) tryTo(() => removeJournal(fs, outDir));
    removeCreatedDirs();
    throw e instanceof WriteCancelled ? e : fail(e);
  };
  const step = async () => {
    await turn();
    if (signal?.aborted) throw new WriteCancelled();
  };

  if (toWrite.length === 0 && state.unexpected.length === 0) return { written: [], removed: [], unchanged: state.unchanged.length, foreign: state.foreign, recovered, cleaned };
  try {
    for (const rel of toWrite) {
      await step();
      mkdirs(path.dirname(at(rel)));
      fs.writeFileSync(at(tmpPathOf(rel)), files.get(rel)!);
    }
    await step();
    writeJournal(fs, outDir, entries);
    journaled = true;
  } catch (e) {
    rollback(e);
  }

  try {
    const aside = (rel: string) => {
      if (fs.statSync(at(rel)).isDirectory()) throw new Error(`${rel} is a directory`);
      fs.renameSync(at(rel), at(bakPathOf(rel)));
      undo.push(() => fs.renameSync(at(bakPathOf(rel)), at(rel)));
      movedAside.push(bakPathOf(rel));
    };
    for (const rel of toWrite) {
      await step();
      // A stale file, or something unreadable in the way (which `aside` refuses if it is a directory).
      if (fs.existsSync(at(rel))) aside(rel);
      fs.renameSync(at(tmpPathOf(rel)), at(rel));
      undo.push(() => fs.renameSync(at(rel), at(tmpPathOf(rel))));
    }
    for (const rel of state.unexpected) {
      await step();
      aside(rel);
    }
    await step();
    // The commit point: from here on the new output stands, whatever happens.
    removeJournal(fs, outDir);
  } catch (e) {
    rollback(e);
  }

  for (const bak of movedAside) tryTo(() => fs.unlinkSync(at(bak)));
  for (const rel of state.unexpected) removeEmptyDirs(fs, path.dirname(at(rel)), outDir);
  if (memory) for (const rel of toWrite) memory.remember(fs, at(rel), files.get(rel)!);
  return { written: toWrite, removed: state.unexpected, unchanged: state.unchanged.length - (state.recordStale ? 1 : 0), foreign: state.foreign, recovered, cleaned };
}

export function conflictDiagnostics(conflicts: readonly string[], shown: string): Diagnostic[] {
  return conflicts.map((rel) =>
    diagnostic(DiagnosticCodes.OUTPUT_CONFLICT, path.join(shown, rel), undefined, `"${path.join(shown, rel)}" was not written by simplex-api-codegen, but it would now generate this file`, {
      expected: `a path that ${MANIFEST} lists, or none at all`,
      hint: 'move your file away, or pass --force to overwrite it',
    }),
  );
}

/** `check` reads what a concurrent `generate` may be swapping: it waits until that run is done. */
export async function awaitOutput(outDir: string, options: { fs?: Fs; shown?: string; lockTimeoutMs?: number; onWait?: WriteOptions['onWait'] } = {}): Promise<void> {
  const fs = options.fs ?? nodeFs;
  if (!fs.existsSync(outDir)) return;
  await awaitUnlocked(outDir, { fs, shown: options.shown ?? outDir, timeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, onWait: options.onWait });
}

function tryTo(step: () => void): boolean {
  try {
    step();
    return true;
  } catch {
    /* best effort: undoing must not stop at the first step that cannot be undone */
    return false;
  }
}

/** Removes `dir` and its parents while they are empty, stopping at `root`. */
function removeEmptyDirs(fs: Fs, dir: string, root: string): void {
  let d = path.resolve(dir);
  const stop = path.resolve(root);
  while (d.startsWith(stop + path.sep)) {
    try {
      if (fs.readdirSync(d).length > 0) return;
      fs.rmdirSync(d);
    } catch {
      return;
    }
    d = path.dirname(d);
  }
}
