/**
 * Unified diffs for `check`: every changed region as its own hunk with 3 lines of context (jsdiff's Myers
 * diff), capped per file with a count of what was cut, so that a stale file shows what changed and a rewritten
 * one does not flood the log.
 */
// Only the patch module (and the line diff it uses): the package's index loads 22 modules into every CLI run.
import { structuredPatch } from 'diff/lib/patch/create.js';
import { escapeInvisible } from '../emit/escape.js';

export interface DiffOptions {
  context?: number;
  /** Diff lines shown per file (hunk headers included) before the rest is counted instead. */
  maxLines?: number;
}

export interface FileDiff {
  /** The unified diff, ending in a newline. */
  text: string;
  /** 1-based line of the first change in the new text (where an annotation points), if it has one. */
  firstChangedLine?: number;
}

/**
 * Past this many edits, or this long, Myers' diff grows slow on large files (O(N·D)): the file is then shown as
 * replaced. A file regenerated from a different spec version has hundreds of edits, well within both.
 */
const MAX_EDIT_LENGTH = 4_000;
const MAX_DIFF_MS = 1_000;

export function fileDiff(path: string, before: string | undefined, after: string | undefined, options: DiffOptions = {}): FileDiff {
  const context = options.context ?? 3;
  const maxLines = options.maxLines ?? 200;
  const header = [`--- ${before === undefined ? '/dev/null' : `a/${path}`}`, `+++ ${after === undefined ? '/dev/null' : `b/${path}`}`];
  const patch = structuredPatch(path, path, before ?? '', after ?? '', undefined, undefined, { context, maxEditLength: MAX_EDIT_LENGTH, timeout: MAX_DIFF_MS });
  let hunks: { header: string; lines: string[]; newStart: number; firstChange: number }[];
  if (patch) {
    hunks = patch.hunks.map((h) => {
      const offset = h.lines.findIndex((l) => l.startsWith('-') || l.startsWith('+'));
      // The new-side line of the first change: context lines before it, plus the hunk's start.
      const firstChange = h.newStart + h.lines.slice(0, Math.max(0, offset)).filter((l) => l.startsWith(' ')).length;
      return { header: `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`, lines: h.lines, newStart: h.newStart, firstChange };
    });
  } else {
    // Too different to diff quickly: the whole file replaced.
    const a = splitLines(before ?? '');
    const b = splitLines(after ?? '');
    hunks = [{ header: `@@ -${range(1, a.length)} +${range(1, b.length)} @@`, lines: [...a.map((l) => `-${l}`), ...b.map((l) => `+${l}`)], newStart: 1, firstChange: 1 }];
  }
  const out: string[] = [];
  let cut = 0;
  let cutHunks = 0;
  for (const h of hunks) {
    if (out.length >= maxLines) {
      cut += h.lines.filter((l) => l.startsWith('-') || l.startsWith('+')).length;
      cutHunks++;
      continue;
    }
    out.push(h.header);
    const room = maxLines - out.length;
    const shown = h.lines.slice(0, room);
    out.push(...shown.map(showLine));
    cut += h.lines.slice(room).filter((l) => l.startsWith('-') || l.startsWith('+')).length;
  }
  if (cut) out.push(`… ${cut} more changed line${cut === 1 ? '' : 's'} not shown${cutHunks ? ` (${cutHunks} more hunk${cutHunks === 1 ? '' : 's'})` : ''}`);
  const first = hunks[0];
  const result: FileDiff = { text: [...header, ...out].join('\n') + '\n' };
  if (first && after !== undefined) result.firstChangedLine = Math.max(1, first.firstChange);
  return result;
}

/** The unified diff text alone. */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined, options: DiffOptions = {}): string {
  return fileDiff(path, before, after, options).text;
}

/** `start,count` as unified diffs write it (an empty side starts one line earlier). */
function range(start: number, count: number): string {
  return `${count === 0 ? start - 1 : start},${count}`;
}

/** A diff line as the terminal should show it: a hand-edited file may hold control characters. */
function showLine(line: string): string {
  return escapeInvisible(line.replace(/\r$/, '␍'));
}

function splitLines(s: string): string[] {
  const lines = s.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
