/**
 * Drops the imports a generated Python module never uses, so that the output passes pyflakes and ruff's
 * F401 whatever the spec holds (a spec without unions needs no `Union`; events that name no API type need
 * no `_types`). It reads the rendered module rather than the emitter's data so that overridden templates are
 * pruned too. Only single-line imports at the top level are touched; `from __future__`, `x as x`
 * re-exports and names listed in `__all__` always stay.
 */

import { recentMemo } from '../../util/recentMemo.js';

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
/** A string literal that a type checker reads as a type (functional TypedDict values, `__all__` entries). */
const TYPE_SHAPED = /^[A-Za-z_][\w.]*(\[[\w[\]., "']*\])?$/;

interface ImportLine {
  index: number;
  /** `from X import` or `import`. */
  head: string;
  /** `name` or `name as alias`, with the name each binds. */
  parts: { text: string; binds: string; kept: boolean }[];
}

const IMPORT_LINE = /^(from\s+\S+\s+import|import)\s+([^#()]+?)\s*(#.*)?$/;

/** Identifiers the module uses outside its import lines: in code, f-strings and type-shaped strings. */
export function pythonNamesUsed(source: string): Set<string> {
  const used = new Set<string>();
  readCode(source, (start, end, typed) => {
    if (typed && !isTypeShaped(source, start, end)) return false;
    const text = source.slice(start, end);
    IDENTIFIER.lastIndex = 0;
    for (let m = IDENTIFIER.exec(text); m; m = IDENTIFIER.exec(text)) used.add(m[0]);
    return false;
  });
  return used;
}

/**
 * Which of `names` a module uses outside its import lines, as pythonNamesUsed reads them. Each name's next
 * occurrence as an identifier anywhere in the module is found with indexOf; a run of code or a string is looked
 * at only when one falls inside it, so that a module of long tables (`_decode.py`: thousands of strings before
 * the one use of `T`) is read at the speed of the regex engine. The reading stops once all are seen.
 */
export function pythonNamesSeen(source: string, names: Iterable<string>): Set<string> {
  /** Each name not yet seen, with its next identifier occurrence at or after the reading (none: not kept). */
  const unseen = new Map<string, number>();
  for (const name of names) {
    const k = nextIdentifier(source, name, 0);
    if (k >= 0) unseen.set(name, k);
  }
  const seen = new Set<string>();
  if (!unseen.size) return seen;
  // The first of the occurrences: a run that ends before it holds none (most runs, read without a loop).
  let soonest = Math.min(...unseen.values());
  readCode(source, (start, end, typed) => {
    if (end < soonest) return false;
    for (const [name, next] of unseen) {
      let k = next;
      while (k >= 0 && k + name.length <= end) {
        if (k >= start && (!typed || isTypeShaped(source, start, end))) break;
        k = nextIdentifier(source, name, k + 1);
      }
      if (k < 0) unseen.delete(name); // no occurrence left: never seen
      else if (k >= start && k + name.length <= end) {
        unseen.delete(name);
        seen.add(name);
      } else unseen.set(name, k);
    }
    soonest = Math.min(...unseen.values());
    return unseen.size === 0;
  });
  return seen;
}

/** The first place at or after `from` where IDENTIFIER finds exactly `name` (-1: none). */
function nextIdentifier(source: string, name: string, from: number): number {
  for (let k = source.indexOf(name, from); k >= 0; k = source.indexOf(name, k + 1)) if (isIdentifierAt(source, k, name.length)) return k;
  return -1;
}

const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** A letter of a string prefix: r, b, u or f in either case. */
const isPrefixLetter = (c: number) => {
  const lower = c | 32;
  return lower === 114 || lower === 98 || lower === 117 || lower === 102;
};

/**
 * Whether IDENTIFIER, run over `text`, finds an identifier of exactly `length` characters at `k`. The runs
 * readCode gives start and end beside characters that are not word characters (a quote, `#`, a line end), so
 * that this reads the same in a run and in the whole module.
 */
function isIdentifierAt(text: string, k: number, length: number): boolean {
  if (isWordChar(text.charCodeAt(k + length))) return false;
  // Inside a longer identifier when a letter or underscore starts the run of word characters before it (a
  // run of digits alone starts none: IDENTIFIER finds `b` in `12b`).
  for (let j = k - 1; j >= 0; j--) {
    const c = text.charCodeAt(j);
    if (!isWordChar(c)) break;
    if (c > 57) return false;
  }
  return true;
}

const isTypeShaped = (source: string, start: number, end: number) => TYPE_SHAPED.test(source.slice(start, end));

/** The next `#`, `"` or `'` from lastIndex: what ends a run of code. */
const CODE_END = /["'#]/g;

/**
 * Gives `read` where the module's code is, a run at a time (from one comment or string to the next), and each
 * f-string's text and each other one-line string's, in order, until `read` returns true. `typed` marks such a
 * string: it counts only when type-shaped (the reader tests that only when it needs to).
 */
function readCode(source: string, read: (start: number, end: number, typed: boolean) => boolean): void {
  const n = source.length;
  let codeStart = 0;
  let i = 0;
  while (i < n) {
    // The next comment or string, found by the regex engine rather than a character at a time: a module is
    // hundreds of kilobytes.
    CODE_END.lastIndex = i;
    const next = CODE_END.exec(source);
    if (!next) break;
    i = next.index;
    const c = source.charCodeAt(i);
    if (c === 35 /* # */) {
      if (read(codeStart, i, false)) return;
      const end = source.indexOf('\n', i);
      i = codeStart = end < 0 ? n : end;
      continue;
    }
    // The prefix letters just before the quote (`f`, `rb`…), when they do not end a longer identifier; an
    // f-string's expressions are code too.
    let p = i;
    while (p > codeStart && i - p < 2 && isPrefixLetter(source.charCodeAt(p - 1))) p--;
    if (p > codeStart && isWordChar(source.charCodeAt(p - 1))) p = i;
    if (read(codeStart, p, false)) return;
    let formatted = false;
    let raw = false;
    for (let k = p; k < i; k++) {
      const letter = source.charCodeAt(k) | 32; // lower case
      if (letter === 102 /* f */) formatted = true;
      else if (letter === 114 /* r */) raw = true;
    }
    const triple = source.charCodeAt(i + 1) === c && source.charCodeAt(i + 2) === c;
    const quoteLength = triple ? 3 : 1;
    const quote = triple ? (c === 34 ? '"""' : "'''") : source[i]!;
    const j = stringEnd(source, i + quoteLength, quote, triple, raw);
    if ((formatted || !triple) && read(i + quoteLength, j, !formatted)) return;
    i = codeStart = Math.min(n, j + quoteLength);
  }
  read(codeStart, n, false);
}

/** Backslashes just before `at`, back to `from`. */
function backslashesBefore(source: string, at: number, from: number): number {
  let k = at;
  while (k > from && source.charCodeAt(k - 1) === 92 /* \\ */) k--;
  return at - k;
}

/**
 * Where a string's closing quote starts (or, for a one-line string left open, its line's end), searching from
 * `from` with indexOf: a quote or a line end after an odd run of backslashes is escaped (not in a raw string).
 */
function stringEnd(source: string, from: number, quote: string, triple: boolean, raw: boolean): number {
  let j = from;
  for (;;) {
    const k = source.indexOf(quote, j);
    const end = k < 0 ? source.length : k;
    if (!triple) {
      let nl = source.indexOf('\n', j);
      while (nl >= 0 && nl < end && !raw && backslashesBefore(source, nl, from) % 2 === 1) nl = source.indexOf('\n', nl + 1);
      if (nl >= 0 && nl < end) return nl;
    }
    if (k < 0) return source.length;
    if (!raw && backslashesBefore(source, k, from) % 2 === 1) {
      j = k + 1;
      continue;
    }
    return k;
  }
}

function readImport(line: string, index: number): ImportLine | undefined {
  const m = IMPORT_LINE.exec(line);
  if (!m || m[3] !== undefined) return undefined;
  const head = m[1]!.replace(/\s+/g, ' ');
  if (head === 'from __future__ import') return undefined;
  const parts = m[2]!.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^[\w.]+( as \w+)?$/.test(p) || p === '*')) return undefined;
  return {
    index,
    head,
    parts: parts.map((text) => {
      const [name, alias] = text.split(' as ') as [string, string | undefined];
      // `import a.b` binds `a`; `name as name` is an explicit re-export and always stays.
      const binds = alias ?? (head === 'import' ? name.split('.')[0]! : name);
      return { text, binds, kept: alias !== undefined && alias === name };
    }),
  };
}

/**
 * The module's prelude (comments, its docstring, imports and blank lines), read a line at a time up to and with
 * the first line of its body, which the blank-line collapsing may look at. `statements` are the prelude's lines
 * outside the docstring (imports further down are left alone); `rest` is the text after the lines read
 * (undefined when they reach the end).
 */
function readPrelude(source: string): { lines: string[]; statements: number[]; rest: string | undefined } {
  const lines: string[] = [];
  let pos = 0;
  // As source.split('\n') would give them, but only as far as they are asked for.
  const line = (i: number): string | undefined => {
    while (lines.length <= i && pos <= source.length) {
      const nl = source.indexOf('\n', pos);
      const end = nl < 0 ? source.length : nl;
      lines.push(source.slice(pos, end));
      pos = end + 1;
    }
    return lines[i];
  };
  const statements: number[] = [];
  let i = 0;
  for (let text = line(0); text !== undefined; text = line(i)) {
    if (text === '' || text.startsWith('#') || text.startsWith('from ') || text.startsWith('import ')) statements.push(i++);
    else if (/^[rRuU]?"""/.test(text)) {
      // The module docstring: skip to its closing quotes.
      const tail = text.replace(/^[rRuU]?"""/, '');
      if (tail.includes('"""')) i++;
      else {
        i++;
        for (let t = line(i); t !== undefined && !t.includes('"""'); t = line(i)) i++;
        i++;
      }
    } else break;
  }
  return { lines, statements, rest: pos <= source.length ? source.slice(pos) : undefined };
}

/**
 * The module without the imports it does not use (unchanged when every import is used). Remembered by text for
 * the modules of the latest emits: watch mode re-emits every module, and most are the same as before.
 */
export const pruneUnusedImports = recentMemo(pruneImports, 32);

function pruneImports(source: string): string {
  const { lines, statements, rest } = readPrelude(source);
  const imports: ImportLine[] = [];
  for (const i of statements) {
    const imp = readImport(lines[i]!, i);
    if (imp) imports.push(imp);
  }
  // The names to look for: those of imports that may go.
  const asked = new Set(imports.flatMap((imp) => imp.parts.filter((p) => !p.kept).map((p) => p.binds)));
  if (!asked.size) return source;
  const importIndexes = new Set(imports.map((x) => x.index));
  const code = lines.filter((_, i) => !importIndexes.has(i)).join('\n') + (rest === undefined ? '' : `\n${rest}`);
  const seen = pythonNamesSeen(code, asked);
  if (seen.size === asked.size) return source;
  for (const imp of imports) {
    const kept = imp.parts.filter((p) => p.kept || seen.has(p.binds));
    if (kept.length === imp.parts.length) continue;
    lines[imp.index] = kept.length ? `${imp.head} ${kept.map((p) => p.text).join(', ')}` : '\u0000';
  }
  // A dropped line between blank lines would leave two: drop one of them with it.
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '\u0000') {
      out.push(lines[i]!);
      continue;
    }
    let next = i + 1;
    while (lines[next] === '\u0000') next++;
    if (out.length && out[out.length - 1] === '' && lines[next] === '') i = next;
    else i = next - 1;
  }
  return out.join('\n') + (rest === undefined ? '' : `\n${rest}`);
}

/** The names a rendered module lists in a top-level `__all__ = [...]` of string literals, if it has one. */
export const pythonAllOf = recentMemo(allOf, 32);

function allOf(source: string): string[] | undefined {
  const m = /^__all__ = \[\n((?:    "[A-Za-z_][A-Za-z0-9_]*",\n)*)\]$/m.exec(source);
  if (!m) return undefined;
  return [...m[1]!.matchAll(/"([A-Za-z_][A-Za-z0-9_]*)"/g)].map((x) => x[1]!);
}
