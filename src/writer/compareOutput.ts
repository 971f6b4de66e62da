/**
 * An output directory compared with the files a run generates (`check`, and `generate` before it writes), and
 * the quick check of a directory against recorded hashes (the cache).
 */
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { DiagnosticsError } from '../diagnostics/diagnostic.js';
import type { FileMap } from './fileMap.js';
import type { Fs } from './fsTypes.js';
import { gitignoreRules, isIgnored } from './ignored.js';
import { LOCK_FILE } from './lock.js';
import { MANIFEST, manifestListing, readManifest, sha256 } from './manifest.js';
import { isLeftover, linkDiagnostics, linkOnPath, listTree, requireDirectory } from './outputTree.js';

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
