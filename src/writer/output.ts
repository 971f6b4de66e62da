/**
 * Compares a file map with an output directory (`check`) and writes it (`generate`): only changed files, staged
 * to temporary files first and then swapped in with the old ones kept aside, so that a failure at any step
 * leaves the directory exactly as it was. One run at a time holds the directory (lock.ts); a swap killed
 * midway is finished or undone by the next run (journal.ts); nothing is ever written through a symbolic link.
 */
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { DiagnosticCodes, diagnostic, DiagnosticsError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { compareOutput, type CompareOptions } from './compareOutput.js';
import type { FileMap } from './fileMap.js';
import type { Fs } from './fsTypes.js';
import { bakPathOf, JOURNAL, recoverSwap, removeJournal, tmpPathOf, writeJournal, type JournalEntry, type Recovery } from './journal.js';
import { acquireLock, awaitUnlocked, WriteCancelled } from './lock.js';
import { MANIFEST } from './manifest.js';
import { isLeftover, listTree, removeEmptyDirs, requireDirectory } from './outputTree.js';

export { WriteCancelled } from './lock.js';

export type { Fs } from './fsTypes.js';

export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

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
