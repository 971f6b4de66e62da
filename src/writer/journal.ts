/**
 * The swap journal: before the writer swaps staged files in, it records every step it is about to take, and it
 * removes the record once every new file is in place. A run that finds a journal knows the previous run was
 * killed midway and puts the directory back into one consistent state: the new output when every new file had
 * been moved in, otherwise the old one.
 */
import path from 'node:path';
import type { Fs } from './fsTypes.js';

export const JOURNAL = '.simplex-api-codegen-journal';

/** Temporary (`.tmp`) and moved-aside (`.bak`) files of a run, named after the final path and the run's pid. */
export const LEFTOVER = /\.simplex-api-codegen-\d+\.(tmp|bak)$/;

export const tmpPathOf = (final: string, pid = process.pid) => `${final}.simplex-api-codegen-${pid}.tmp`;
export const bakPathOf = (final: string, pid = process.pid) => `${final}.simplex-api-codegen-${pid}.bak`;

/** One step of a swap, with paths relative to the output directory. */
export interface JournalEntry {
  op: 'write' | 'remove';
  path: string;
  /** The staged new text (`write` only). */
  tmp?: string;
  /** Where the old file is moved aside. */
  bak: string;
}

/** A plain relative path inside the directory: a journal or manifest edited to say `../x` names nothing. */
export function isInsidePath(rel: string): boolean {
  return !(path.posix.isAbsolute(rel) || rel.includes('\\') || rel.split('/').some((p) => p === '' || p === '.' || p === '..'));
}

export function writeJournal(fs: Fs, outDir: string, entries: readonly JournalEntry[]): void {
  const file = path.join(outDir, JOURNAL);
  fs.writeFileSync(tmpPathOf(file), JSON.stringify({ version: 1, entries }) + '\n');
  fs.renameSync(tmpPathOf(file), file);
}

export function removeJournal(fs: Fs, outDir: string): void {
  fs.unlinkSync(path.join(outDir, JOURNAL));
}

function readJournal(fs: Fs, outDir: string): JournalEntry[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(outDir, JOURNAL), 'utf8');
  } catch {
    return undefined;
  }
  let entries: unknown;
  try {
    entries = (JSON.parse(text) as { entries?: unknown }).entries;
  } catch {
    return []; // torn: the previous run died writing it, so it had not started swapping
  }
  if (!Array.isArray(entries)) return [];
  // Only entries that name this directory's own paths and the run's own leftovers are acted on.
  return entries.filter(
    (e): e is JournalEntry =>
      e !== null &&
      typeof e === 'object' &&
      (e.op === 'write' || e.op === 'remove') &&
      typeof e.path === 'string' &&
      isInsidePath(e.path) &&
      typeof e.bak === 'string' &&
      isInsidePath(e.bak) &&
      e.bak.startsWith(e.path + '.') &&
      LEFTOVER.test(e.bak) &&
      (e.op === 'remove' || (typeof e.tmp === 'string' && isInsidePath(e.tmp) && e.tmp.startsWith(e.path + '.') && LEFTOVER.test(e.tmp))),
  );
}

export type Recovery = 'none' | 'rolled back' | 'completed';

/**
 * Finishes or undoes an interrupted swap. The caller holds the directory's lock, so no other run is using the
 * files named here. `exists` must not follow symbolic links.
 */
export function recoverSwap(fs: Fs, outDir: string): Recovery {
  const entries = readJournal(fs, outDir);
  if (entries === undefined) return 'none';
  const at = (rel: string) => path.join(outDir, rel);
  const exists = (rel: string) => {
    try {
      fs.lstatSync(at(rel));
      return true;
    } catch {
      return false;
    }
  };
  const completed = entries.every((e) => e.op === 'remove' || !exists(e.tmp!));
  if (completed) {
    // Every new file is in place: finish what remained (removals and deleting what was moved aside).
    for (const e of entries) {
      if (e.op === 'remove' && exists(e.path) && !exists(e.bak)) fs.unlinkSync(at(e.path));
      if (exists(e.bak)) fs.unlinkSync(at(e.bak));
    }
  } else {
    for (const e of [...entries].reverse()) {
      if (e.op === 'write') {
        if (exists(e.tmp!)) fs.unlinkSync(at(e.tmp!));
        else if (!exists(e.bak) && exists(e.path)) fs.unlinkSync(at(e.path)); // a new file that had no old one
      }
      if (exists(e.bak)) fs.renameSync(at(e.bak), at(e.path));
    }
  }
  removeJournal(fs, outDir);
  return completed ? 'completed' : 'rolled back';
}
