/**
 * Compares a file map with an output directory (`check`) and writes it (`generate`): only changed files, staged
 * to temporary files first and then swapped in with the old ones kept aside, so that a failure at any step
 * leaves the directory exactly as it was.
 */
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { DiagnosticCodes, diagnostic, DiagnosticsError } from '../diagnostics/diagnostic.js';
import type { FileMap } from './fileMap.js';

/** Lists the files the generator wrote; its presence marks a directory as the generator's to manage. */
export const MANIFEST = '.simplex-api-codegen-files';
const MANIFEST_HEADER = '# Written by simplex-api-codegen: the files it generated here. Do not edit.';

/** Files that tools create beside generated ones and that are nobody's concern. */
const IGNORED = [/(^|\/)__pycache__(\/|$)/, /(^|\/)\.DS_Store$/, /(^|\/)node_modules(\/|$)/];

export type Fs = Pick<typeof nodeFs, 'readFileSync' | 'writeFileSync' | 'renameSync' | 'unlinkSync' | 'mkdirSync' | 'readdirSync' | 'statSync' | 'existsSync' | 'rmdirSync'>;

export interface OutputState {
  stale: string[];
  missing: string[];
  /** Files an earlier run generated (its manifest lists them) that this run does not: `generate` removes them. */
  unexpected: string[];
  unchanged: string[];
  /** Files the generator never wrote (not in its manifest): left alone, and not a reason for `check` to fail. */
  foreign: string[];
  /** Current text of stale files, for diffs. */
  current: Map<string, string>;
}

export function withManifest(files: FileMap): FileMap {
  const out = new Map(files);
  out.set(MANIFEST, `${MANIFEST_HEADER}\n${[...files.keys()].sort().join('\n')}\n`);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The files the manifest of an earlier run lists. Only plain relative paths inside the directory count: a
 * manifest edited to name `../x` must never make `generate` remove a file outside its output.
 */
function readManifest(fs: Fs, outDir: string): Set<string> {
  let text: string;
  try {
    text = fs.readFileSync(path.join(outDir, MANIFEST), 'utf8');
  } catch {
    return new Set();
  }
  const listed = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    if (path.posix.isAbsolute(line) || line.includes('\\') || line.split('/').some((p) => p === '' || p === '.' || p === '..')) continue;
    listed.add(line);
  }
  listed.add(MANIFEST);
  return listed;
}

function listTree(fs: Fs, dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (IGNORED.some((re) => re.test(rel))) continue;
    // Symbolic links are listed as files, never followed.
    if (entry.isDirectory()) out.push(...listTree(fs, path.join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}

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

export function compareOutput(outDir: string, files: FileMap, fs: Fs = nodeFs, memory?: OutputMemory, shown = outDir): OutputState {
  requireDirectory(fs, outDir, shown);
  const state: OutputState = { stale: [], missing: [], unexpected: [], unchanged: [], foreign: [], current: new Map() };
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
    else if (existing !== text) {
      state.stale.push(rel);
      state.current.set(rel, existing);
    } else state.unchanged.push(rel);
  }
  const owned = readManifest(fs, outDir);
  for (const rel of listTree(fs, outDir)) {
    if (files.has(rel)) continue;
    (owned.has(rel) ? state.unexpected : state.foreign).push(rel);
  }
  return state;
}

export interface WriteResult {
  written: string[];
  removed: string[];
  unchanged: number;
  /** Files in the directory that the generator never wrote, left as they were. */
  foreign: string[];
}

/**
 * Writes `files` (manifest included by the caller) into `outDir`. Refuses a non-empty directory that holds no
 * manifest, so that a mistyped `--out` never touches someone's files.
 *
 * Three steps: stage every new text in a temporary file beside its target; swap them in, moving each old file
 * (and each file to remove) aside first; then delete what was moved aside. A failure in the first two steps
 * undoes everything done so far.
 */
export function writeOutput(outDir: string, files: FileMap, fs: Fs = nodeFs, shown = outDir, memory?: OutputMemory): WriteResult {
  const state = compareOutput(outDir, files, fs, memory, shown);
  const nonEmpty = state.stale.length + state.unchanged.length + state.unexpected.length + state.foreign.length > 0;
  if (nonEmpty && !fs.existsSync(path.join(outDir, MANIFEST))) {
    throw new DiagnosticsError([
      diagnostic(DiagnosticCodes.OUTPUT_NOT_OWNED, shown, undefined, `output directory "${shown}" is not empty and was not written by simplex-api-codegen`, {
        expected: `an empty directory, or one holding ${MANIFEST} from an earlier run`,
        hint: 'choose another --out, or empty the directory first',
      }),
    ]);
  }
  const toWrite = [...state.missing, ...state.stale].sort();
  const suffix = `.simplex-api-codegen-${process.pid}`;
  const tmpOf = (final: string) => final + suffix + '.tmp';
  const createdDirs: string[] = [];
  /** Undo log of the swap step, replayed backwards on failure. */
  const undo: (() => void)[] = [];
  const moveAside: string[] = [];

  const rollback = (e: unknown): never => {
    for (const step of undo.reverse()) tryTo(step);
    // Undone swaps put every new text back in its temporary file; none of them may stay.
    for (const rel of toWrite) tryTo(() => fs.unlinkSync(tmpOf(path.join(outDir, rel))));
    // Deepest first: a directory is empty once the ones inside it are gone.
    for (const dir of createdDirs.sort((a, b) => b.length - a.length)) tryTo(() => fs.rmdirSync(dir));
    throw new DiagnosticsError([
      diagnostic(DiagnosticCodes.WRITE_FAILED, shown, undefined, `could not write the output: ${(e as Error).message}`, {
        hint: 'nothing was changed in the output directory',
      }),
    ]);
  };

  try {
    for (const rel of toWrite) {
      const final = path.join(outDir, rel);
      const dir = path.dirname(final);
      if (!fs.existsSync(dir)) {
        // Remember every directory this creates, so that a failure can take them away again.
        for (let d = dir; !fs.existsSync(d) && !createdDirs.includes(d); d = path.dirname(d)) createdDirs.push(d);
        fs.mkdirSync(dir, { recursive: true });
      }
      fs.writeFileSync(tmpOf(final), files.get(rel)!);
    }
  } catch (e) {
    rollback(e);
  }

  try {
    const aside = (final: string) => {
      if (fs.statSync(final).isDirectory()) throw new Error(`${path.relative(outDir, final)} is a directory`);
      const bak = final + suffix + '.bak';
      fs.renameSync(final, bak);
      undo.push(() => fs.renameSync(bak, final));
      moveAside.push(bak);
    };
    for (const rel of toWrite) {
      const final = path.join(outDir, rel);
      // A stale file, or something unreadable in the way (which `aside` refuses if it is a directory).
      if (fs.existsSync(final)) aside(final);
      fs.renameSync(tmpOf(final), final);
      undo.push(() => fs.renameSync(final, tmpOf(final)));
    }
    for (const rel of state.unexpected) aside(path.join(outDir, rel));
  } catch (e) {
    rollback(e);
  }

  // The new output is in place; what was moved aside is no longer needed.
  for (const bak of moveAside) tryTo(() => fs.unlinkSync(bak));
  for (const rel of state.unexpected) removeEmptyDirs(fs, path.dirname(path.join(outDir, rel)), outDir);
  if (memory) for (const rel of toWrite) memory.remember(fs, path.join(outDir, rel), files.get(rel)!);
  return { written: toWrite, removed: state.unexpected, unchanged: state.unchanged.length, foreign: state.foreign };
}

function tryTo(step: () => void): void {
  try {
    step();
  } catch {
    /* best effort: undoing must not stop at the first step that cannot be undone */
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
