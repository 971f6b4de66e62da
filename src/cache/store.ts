/**
 * The cache that lets `check` and `generate` answer without parsing: an entry per (inputs fingerprint, output
 * directory) that this tool writes itself, after a full run on this machine, outside the repository
 * (`node_modules/.cache/simplex-api-codegen` of the project, or `--cache-dir`). It lists the SHA-256 of every
 * file the run left in the output directory.
 *
 * Nothing a commit can edit is trusted as proof: the manifest in the output directory is only one of the files
 * the entry hashes, so an edited file with an edited manifest hash, or a deleted file with its manifest line,
 * is a miss and takes the full path. With no entry (a fresh clone, a fresh CI machine), the full path it is.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FileMap } from '../writer/fileMap.js';
import { verifyOutputHashes, type RecordedOutput } from '../writer/compareOutput.js';
import { fileSha256, sha256 } from '../writer/manifest.js';

const NAME = 'simplex-api-codegen';

/**
 * The cache directory: `dir` when given; else `node_modules/.cache/simplex-api-codegen` of the nearest
 * directory at or above `cwd` that has `node_modules`; else one under the system's temporary directory.
 */
export function cacheDirOf(cwd: string, dir?: string): string {
  if (dir !== undefined) return path.resolve(cwd, dir);
  for (let d = path.resolve(cwd); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, 'node_modules'))) return path.join(d, 'node_modules', '.cache', NAME);
    if (path.dirname(d) === d) break;
  }
  const user = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
  return path.join(os.tmpdir(), `${NAME}-cache-${user}`);
}

function entryFile(cacheDir: string, fingerprint: string, out: string): string {
  let real: string;
  try {
    real = realpathSync(out);
  } catch {
    real = path.resolve(out);
  }
  return path.join(cacheDir, `${sha256(`${fingerprint}\u0000${real}`)}.json`);
}

/** Records that `out` holds exactly `files` after a full run with `fingerprint` (best effort: a cache is optional). */
export function recordCacheEntry(cacheDir: string, fingerprint: string | undefined, out: string, files: FileMap): void {
  if (fingerprint === undefined || !ownedByUs(cacheDir)) return;
  try {
    mkdirSync(cacheDir, { recursive: true });
    const hashes: Record<string, string> = {};
    for (const [rel, text] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) hashes[rel] = fileSha256(rel, text);
    // Written in place: a reader that meets a half-written entry cannot parse it, and takes the full path.
    writeFileSync(entryFile(cacheDir, fingerprint, out), JSON.stringify({ tool: NAME, version: 1, fingerprint, files: hashes }) + '\n');
  } catch {
    /* no cache: the next run takes the full path */
  }
}

/** Whether `out` still holds exactly what the cached full run left there. */
export function verifyCacheEntry(cacheDir: string, fingerprint: string, out: string): RecordedOutput {
  let entry: { fingerprint?: unknown; files?: unknown };
  const file = entryFile(cacheDir, fingerprint, out);
  // An entry another user could have planted would make a stale output pass as up to date.
  if (!ownedByUs(cacheDir) || !ownedByUs(file)) return { upToDate: false, reason: 'the cache directory or its entry is writable by another user' };
  try {
    entry = JSON.parse(readFileSync(file, 'utf8')) as typeof entry;
  } catch {
    return { upToDate: false, reason: 'no full run with these inputs is cached on this machine' };
  }
  const files = entry.files;
  if (entry.fingerprint !== fingerprint || typeof files !== 'object' || files === null || !Object.values(files).every((h) => typeof h === 'string'))
    return { upToDate: false, reason: 'the cache entry is not one this tool wrote' };
  return verifyOutputHashes(out, new Map(Object.entries(files as Record<string, string>)), "this machine's cache");
}

/**
 * Whether only this user can have written `file`: owned by this user and not writable by others, as ssh asks
 * of its files (the fallback cache directory is under the shared temporary directory, where any user could make
 * a directory of that name first). Yes when it does not exist (what this process makes is its own), and where
 * there are no user ids (Windows).
 */
export function ownedByUs(file: string): boolean {
  if (typeof process.getuid !== 'function') return true;
  let s;
  try {
    s = statSync(file);
  } catch {
    return true; // not there (as existsSync would say): what this process makes is its own
  }
  return s.uid === process.getuid() && (s.mode & 0o002) === 0;
}
