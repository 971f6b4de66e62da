/**
 * Compares a file map with an output directory (`check`) and writes it (`generate`): only changed files,
 * each staged to a temporary file first so that a failure leaves the directory exactly as it was.
 */
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { DiagnosticCodes, diagnostic, DiagnosticsError } from '../diagnostics/diagnostic.js';
import type { FileMap } from './fileMap.js';

/** Lists the files the generator wrote; its presence marks a directory as the generator's to manage. */
export const MANIFEST = '.simplex-api-codegen-files';

/** Files that tools create beside generated ones and that are nobody's concern. */
const IGNORED = [/(^|\/)__pycache__(\/|$)/, /(^|\/)\.DS_Store$/, /(^|\/)node_modules(\/|$)/];

export type Fs = Pick<typeof nodeFs, 'readFileSync' | 'writeFileSync' | 'renameSync' | 'unlinkSync' | 'mkdirSync' | 'readdirSync' | 'statSync' | 'existsSync' | 'rmdirSync'>;

export interface OutputState {
  stale: string[];
  missing: string[];
  unexpected: string[];
  unchanged: string[];
  /** Current text of stale files, for diffs. */
  current: Map<string, string>;
}

export function withManifest(files: FileMap): FileMap {
  const out = new Map(files);
  out.set(MANIFEST, `# Written by simplex-api-codegen: the files it generated here. Do not edit.\n${[...files.keys()].sort().join('\n')}\n`);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function listTree(fs: Fs, dir: string, prefix = ''): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir).sort()) {
    const rel = prefix ? `${prefix}/${entry}` : entry;
    if (IGNORED.some((re) => re.test(rel))) continue;
    const full = path.join(dir, entry);
    if (fs.statSync(full).isDirectory()) out.push(...listTree(fs, full, rel));
    else out.push(rel);
  }
  return out;
}

/**
 * What this process last wrote or read, with the file's size and modification time then: watch mode skips
 * reading a file whose text and stat are both unchanged since.
 */
export class OutputMemory {
  readonly files = new Map<string, { text: string; size: number; mtimeMs: number }>();
  knows(fs: Fs, full: string, text: string): boolean {
    const seen = this.files.get(full);
    if (!seen || seen.text !== text) return false;
    try {
      const st = fs.statSync(full);
      return st.size === seen.size && st.mtimeMs === seen.mtimeMs;
    } catch {
      return false;
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

export function compareOutput(outDir: string, files: FileMap, fs: Fs = nodeFs, memory?: OutputMemory): OutputState {
  const state: OutputState = { stale: [], missing: [], unexpected: [], unchanged: [], current: new Map() };
  for (const [rel, text] of files) {
    const full = path.join(outDir, rel);
    if (memory?.knows(fs, full, text)) {
      state.unchanged.push(rel);
      continue;
    }
    let existing: string | undefined;
    try {
      existing = fs.readFileSync(full, 'utf8');
    } catch {
      existing = undefined;
    }
    if (existing === text) memory?.remember(fs, full, text);
    if (existing === undefined) state.missing.push(rel);
    else if (existing !== text) {
      state.stale.push(rel);
      state.current.set(rel, existing);
    } else state.unchanged.push(rel);
  }
  for (const rel of listTree(fs, outDir)) if (!files.has(rel)) state.unexpected.push(rel);
  return state;
}

export interface WriteResult {
  written: string[];
  removed: string[];
  unchanged: number;
}

/**
 * Writes `files` (manifest included by the caller) into `outDir`. Refuses a non-empty directory that holds no
 * manifest, so that a mistyped `--out` never deletes someone's files.
 */
export function writeOutput(outDir: string, files: FileMap, fs: Fs = nodeFs, shown = outDir, memory?: OutputMemory): WriteResult {
  const existing = listTree(fs, outDir);
  if (existing.length > 0 && !fs.existsSync(path.join(outDir, MANIFEST))) {
    throw new DiagnosticsError([
      diagnostic(DiagnosticCodes.OUTPUT_NOT_OWNED, shown, undefined, `output directory "${shown}" is not empty and was not written by simplex-api-codegen`, {
        expected: `an empty directory, or one holding ${MANIFEST} from an earlier run`,
        hint: 'choose another --out, or empty the directory first',
      }),
    ]);
  }
  const state = compareOutput(outDir, files, fs, memory);
  const toWrite = [...state.missing, ...state.stale].sort();
  const staged: { tmp: string; final: string }[] = [];
  const createdDirs: string[] = [];
  const suffix = `.tmp-${process.pid}`;
  try {
    for (const rel of toWrite) {
      const final = path.join(outDir, rel);
      const dir = path.dirname(final);
      if (!fs.existsSync(dir)) {
        // Remember every directory this creates, so that a failure can take them away again.
        for (let d = dir; !fs.existsSync(d) && !createdDirs.includes(d); d = path.dirname(d)) createdDirs.push(d);
        fs.mkdirSync(dir, { recursive: true });
      }
      const tmp = final + suffix;
      staged.push({ tmp, final });
      fs.writeFileSync(tmp, files.get(rel)!);
    }
  } catch (e) {
    for (const { tmp } of staged) {
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* it may never have been created */
      }
    }
    // Deepest first: a directory is empty once the ones inside it are gone.
    for (const dir of createdDirs.sort((a, b) => b.length - a.length)) {
      try {
        fs.rmdirSync(dir);
      } catch {
        /* not empty, or already gone */
      }
    }
    throw new DiagnosticsError([
      diagnostic(DiagnosticCodes.WRITE_FAILED, shown, undefined, `could not write the output: ${(e as Error).message}`, {
        hint: 'nothing was changed in the output directory',
      }),
    ]);
  }
  for (const { tmp, final } of staged) fs.renameSync(tmp, final);
  if (memory) for (const rel of toWrite) memory.remember(fs, path.join(outDir, rel), files.get(rel)!);
  for (const rel of state.unexpected) {
    fs.unlinkSync(path.join(outDir, rel));
    removeEmptyDirs(fs, path.dirname(path.join(outDir, rel)), outDir);
  }
  return { written: toWrite, removed: state.unexpected, unchanged: state.unchanged.length };
}

/** Removes `dir` and its parents while they are empty, stopping at `root`. */
function removeEmptyDirs(fs: Fs, dir: string, root: string): void {
  let d = path.resolve(dir);
  const stop = path.resolve(root);
  while (d.startsWith(stop) && d !== stop) {
    try {
      if (fs.readdirSync(d).length > 0) return;
      fs.rmdirSync(d);
    } catch {
      return;
    }
    d = path.dirname(d);
  }
}
