/** Values read from a command string: tokens, numbers, free text and JSON (with its depth limited). */
import { CommandParseError, type CommandTable, type Env, FIXED, type Follow, FREE, type ParamSpec, type Reader, type Run, type TypeEntry, VALUE } from './syntax.js';
import { consume, envObject, failAt, freeUntil, lookup } from './search.js';

export const INT = /^-?(?:0|[1-9][0-9]*)/;
export const INT_FULL = /^-?(?:0|[1-9][0-9]*)$/;
export const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?/;
export const NUMBER_FULL = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?$/;

/** Longest first: `internalMark` before `internal`. */
export function byLength(values: readonly string[]): string[] {
  return [...values].sort((a, b) => b.length - a.length);
}

export function bind(env: Env, name: string, value: unknown): Env {
  return { name, value, up: env };
}

/** The fixed texts a list element is written as (an enum's values, true/false), or undefined for other kinds. */
export function tokenValues(spec: ParamSpec, table: CommandTable): readonly string[] | undefined {
  return spec.k === 'enum' ? spec.values : spec.k === 'ref' && !table.types[spec.type]?.syntax ? table.types[spec.type]?.values : spec.k === 'bool' ? ['true', 'false'] : undefined;
}

/** A list element read one way only (an integer, a number, an enum value), or undefined for other kinds. */
export function tokenReader(spec: ParamSpec, table: CommandTable): ((r: Run, pos: number) => { end: number; value: unknown; kind: number } | null) | undefined {
  const values = tokenValues(spec, table);
  if (values) {
    const sorted = byLength(values.filter((v) => v !== ''));
    return (r, pos) => {
      for (const v of sorted) if (r.text.startsWith(v, pos)) return { end: pos + v.length, value: spec.k === 'bool' ? v === 'true' : v, kind: FIXED };
      if (r.record) failAt(r, pos, sorted.map((v) => JSON.stringify(v)).join(' or '));
      return null;
    };
  }
  if (spec.k !== 'int' && spec.k !== 'number') return undefined;
  const re = spec.k === 'int' ? INT : NUMBER;
  const what = spec.k === 'int' ? 'an integer' : 'a number';
  return (r, pos) => {
    // Plain decimal integers (the common case: ids) are scanned without a regular expression.
    const text = r.text;
    let i = pos;
    if (text.charCodeAt(i) === 45) i++;
    const first = text.charCodeAt(i);
    if (first >= 48 && first <= 57) {
      let j = i + 1;
      if (first !== 48) while (j < text.length && j - pos < 40 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const c = text.charCodeAt(j);
      if (spec.k === 'int' || (c !== 46 && c !== 101)) return { end: j, value: Number(text.slice(pos, j)), kind: VALUE };
    }
    const m = re.exec(text.slice(pos, pos + 40));
    if (!m) {
      failAt(r, pos, what);
      return null;
    }
    return { end: pos + m[0].length, value: Number(m[0]), kind: VALUE };
  };
}

/** What a type's syntax read becomes: an enum's value, a record, or a union member with its tag. */
export function typeValue(type: TypeEntry): (env: Env) => unknown {
  if (type.kind === 'enum') return (env) => lookup(env, 'self');
  if (type.kind === 'record' || !type.members) return envObject;
  return (bound) => valueOfType(type, envObject(bound));
}

/** The value of a type whose syntax bound `bound` (undefined when no union member fits it). */
export function valueOfType(type: TypeEntry, bound: Record<string, unknown>): unknown {
  if (type.kind === 'enum') return bound['self'];
  if (type.kind === 'record' || !type.members) return bound;
  if (typeof bound['type'] === 'string') return bound;
  // The syntax implies the member: the only one, or the only one whose fields hold what was read.
  const members = type.members;
  const keys = Object.keys(bound);
  const fits = members.length === 1 ? members : members.filter((m) => keys.every((k) => m.fields.includes(k)));
  return fits.length === 1 ? { type: fits[0]!.tag, ...bound } : undefined;
}

/** Free text: it ends only where what follows can start, the shortest extent first. */
export function freeTextReader(follow: Follow): Reader {
  const lits = follow.lits;
  return (r, pos, then) => {
    // Once a reading is known, free text past its first more specific character cannot tie or win.
    const limit = (): number => (r.best && !r.greater ? freeUntil(r, pos) : r.n);
    if (follow.any) {
      for (let e = pos; e <= limit(); e++) consume(r, pos, e, FREE, () => then(e, r.text.slice(pos, e)));
      return;
    }
    const next = lits.map((l) => r.text.indexOf(l, pos));
    let e = pos;
    for (;;) {
      let cand = follow.end ? r.n : Infinity;
      for (let i = 0; i < lits.length; i++) {
        if (next[i]! >= 0 && next[i]! < e) next[i] = r.text.indexOf(lits[i]!, e);
        if (next[i]! >= 0 && next[i]! < cand) cand = next[i]!;
      }
      if (cand === Infinity || cand > limit()) return;
      const end = cand;
      consume(r, pos, end, FREE, () => then(end, r.text.slice(pos, end)));
      e = end + 1;
      if (e > r.n) return;
    }
  };
}

/** JSON's white space: JSON.parse allows it around a value, a builder never writes it. */
export function jsonSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** A JSON value: handed to JSON.parse whole when it ends the string, else measured by its brackets first. */
export function jsonReader(follow: Follow): Reader {
  const last = follow.end && !follow.any && follow.lits.length === 0;
  return (r, pos, then) => {
    const key = last ? -1 - pos : pos;
    let found = key === r.jsonKey ? r.jsonLast : r.json?.get(key);
    if (found === undefined) {
      found = null;
      const end = last ? r.n : jsonEnd(r.text, pos);
      if (end > pos && !jsonSpace(r.text.charCodeAt(pos)) && !jsonSpace(r.text.charCodeAt(end - 1))) {
        const json = r.text.slice(pos, end);
        try {
          found = { end, value: JSON.parse(json) };
        } catch {
          found = null;
        }
        if (found && !shallowJson(json, found.value)) throw new CommandParseError(r.text, 'limit', pos + 1, [r.owner], [`JSON nested at most ${MAX_JSON_DEPTH} deep`]);
      }
      if (r.jsonKey === r.jsonKey) (r.json ??= new Map()).set(r.jsonKey, r.jsonLast);
      r.jsonKey = key;
      r.jsonLast = found;
    }
    if (!found) return failAt(r, pos, 'JSON');
    const { end, value } = found;
    consume(r, pos, end, VALUE, () => then(end, value));
  };
}

/** How deep a JSON parameter may nest: what reads it next (decoders, the mock) need not recurse further. */
export const MAX_JSON_DEPTH = 512;

/** Whether the JSON value read from `text` nests at most MAX_JSON_DEPTH deep: surely so when the text opens
 * fewer brackets than that (a scan for two characters), else counted on the value. */
export function shallowJson(text: string, value: unknown): boolean {
  // Each level takes two characters.
  if (text.length <= 2 * MAX_JSON_DEPTH + 1) return true;
  let n = 0;
  for (const c of ['[', '{']) for (let i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) if (++n > MAX_JSON_DEPTH) return withinDepth(value, MAX_JSON_DEPTH);
  return true;
}

/** Whether `value` nests at most `max` deep (counted without recursion). */
export function withinDepth(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length) {
    const v = stack.pop() as object;
    const d = depths.pop()!;
    if (d > max) return false;
    for (const x of Array.isArray(v) ? v : Object.values(v))
      if (typeof x === 'object' && x !== null) {
        stack.push(x);
        depths.push(d + 1);
      }
  }
  return true;
}

/** The end of the JSON value that starts at `pos` (by brackets and strings), or -1. */
export function jsonEnd(text: string, pos: number): number {
  const c = text[pos];
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let i = pos; i < text.length; i++) {
      const d = text[i];
      if (d === '"') {
        i = stringEnd(text, i) - 1;
        if (i < 0) return -1;
      } else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        if (--depth === 0) return i + 1;
      }
    }
    return -1;
  }
  if (c === '"') return stringEnd(text, pos);
  const m = /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null)/.exec(text.slice(pos, pos + 40));
  return m ? pos + m[0].length : -1;
}

export function stringEnd(text: string, pos: number): number {
  for (let i = pos + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}
