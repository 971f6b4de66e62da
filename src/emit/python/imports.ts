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
  const add = (text: string) => {
    IDENTIFIER.lastIndex = 0;
    for (let m = IDENTIFIER.exec(text); m; m = IDENTIFIER.exec(text)) used.add(m[0]);
  };
  const n = source.length;
  // Code is read a run at a time (from `codeStart` to the next comment or string), never char by char: a
  // module is hundreds of kilobytes.
  let codeStart = 0;
  let i = 0;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === 35 /* # */) {
      add(source.slice(codeStart, i));
      const end = source.indexOf('\n', i);
      i = codeStart = end < 0 ? n : end;
      continue;
    }
    if (c !== 34 /* " */ && c !== 39 /* ' */) {
      i++;
      continue;
    }
    // The prefix letters just before the quote (`f`, `rb`…), when they do not end a longer identifier; an
    // f-string's expressions are code too.
    let p = i;
    while (p > codeStart && i - p < 2 && /[rRbBuUfF]/.test(source[p - 1]!)) p--;
    if (p > codeStart && /[A-Za-z0-9_]/.test(source[p - 1]!)) p = i;
    const prefix = source.slice(p, i).toLowerCase();
    add(source.slice(codeStart, p));
    const formatted = prefix.includes('f');
    const raw = prefix.includes('r');
    const triple = source.charCodeAt(i + 1) === c && source.charCodeAt(i + 2) === c;
    const quote = triple ? (c === 34 ? '"""' : "'''") : source[i]!;
    const j = stringEnd(source, i + quote.length, quote, triple, raw);
    const body = source.slice(i + quote.length, j);
    if (formatted) add(body);
    else if (!triple && TYPE_SHAPED.test(body)) add(body);
    i = codeStart = Math.min(n, j + quote.length);
  }
  add(source.slice(codeStart));
  return used;
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

/** The lines of the module's prelude (comments, its docstring, imports) outside the docstring: imports further down are left alone. */
function preludeStatements(lines: readonly string[]): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line === '' || line.startsWith('#') || line.startsWith('from ') || line.startsWith('import ')) out.push(i++);
    else if (/^[rRuU]?"""/.test(line)) {
      // The module docstring: skip to its closing quotes.
      const rest = line.replace(/^[rRuU]?"""/, '');
      if (rest.includes('"""')) i++;
      else {
        i++;
        while (i < lines.length && !lines[i]!.includes('"""')) i++;
        i++;
      }
    } else break;
  }
  return out;
}

/**
 * The module without the imports it does not use (unchanged when every import is used). Remembered by text for
 * the modules of the latest emits: watch mode re-emits every module, and most are the same as before.
 */
export const pruneUnusedImports = recentMemo(pruneImports, 32);

function pruneImports(source: string): string {
  const lines = source.split('\n');
  const imports: ImportLine[] = [];
  for (const i of preludeStatements(lines)) {
    const imp = readImport(lines[i]!, i);
    if (imp) imports.push(imp);
  }
  if (!imports.length) return source;
  const importIndexes = new Set(imports.map((x) => x.index));
  const used = pythonNamesUsed(lines.filter((_, i) => !importIndexes.has(i)).join('\n'));
  let changed = false;
  for (const imp of imports) {
    const kept = imp.parts.filter((p) => p.kept || used.has(p.binds));
    if (kept.length === imp.parts.length) continue;
    changed = true;
    lines[imp.index] = kept.length ? `${imp.head} ${kept.map((p) => p.text).join(', ')}` : '\u0000';
  }
  if (!changed) return source;
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
  return out.join('\n');
}

/** The names a rendered module lists in a top-level `__all__ = [...]` of string literals, if it has one. */
export const pythonAllOf = recentMemo(allOf, 32);

function allOf(source: string): string[] | undefined {
  const m = /^__all__ = \[\n((?:    "[A-Za-z_][A-Za-z0-9_]*",\n)*)\]$/m.exec(source);
  if (!m) return undefined;
  return [...m[1]!.matchAll(/"([A-Za-z_][A-Za-z0-9_]*)"/g)].map((x) => x[1]!);
}
