/**
 * The output directory as the writer sees it: its files (links listed, never followed), what an interrupted run
 * left, and the symbolic links on the way to an output path, which the writer refuses.
 */
import path from 'node:path';
import { DiagnosticCodes, diagnostic, DiagnosticsError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Fs } from './fsTypes.js';
import { JOURNAL, LEFTOVER } from './journal.js';

/** Files that tools create beside generated ones and that are nobody's concern. */
const IGNORED = [/(^|\/)__pycache__(\/|$)/, /(^|\/)\.DS_Store$/, /(^|\/)node_modules(\/|$)/];

/** Every file under `dir`, relative; symbolic links are listed as files, never followed. */
export function listTree(fs: Fs, dir: string, prefix = ''): string[] {
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

export const isLeftover = (rel: string) => LEFTOVER.test(rel) || rel === JOURNAL;

/** An output path that exists but is not a directory (a mistyped `--out` naming a file) is a diagnostic. */
export function requireDirectory(fs: Fs, outDir: string, shown: string): void {
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
export function linkOnPath(fs: Fs, outDir: string, rel: string, seen: Map<string, boolean>): string | undefined {
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

export function linkDiagnostics(fs: Fs, outDir: string, shown: string, paths: Iterable<string>): Diagnostic[] {
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

/** Removes `dir` and its parents while they are empty, stopping at `root`. */
export function removeEmptyDirs(fs: Fs, dir: string, root: string): void {
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
