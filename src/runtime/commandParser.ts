/**
 * Reads a command string back into its command and parameters: the inverse of the builders. It interprets the
 * bound syntax tree of each command (the one the builders are rendered from), never a grammar of its own.
 *
 * This file is self-contained (no imports): the TypeScript target copies it verbatim into `parse.ts`, and the
 * mock chat core runs it as it is, so both read command strings with the same code.
 *
 * Every reading is explored: a string that two readings fit (a free-text parameter followed by more syntax) is
 * reported as ambiguous, never read silently one way.
 */

/** The bound syntax tree (see src/syntax/ast.ts), as data. */
export type SyntaxTree =
  | { kind: 'seq'; items: readonly SyntaxTree[] }
  | { kind: 'text'; value: string }
  | { kind: 'param'; name: string; form: 'plain' | 'str' | 'json' }
  | { kind: 'join'; name: string; separator: string }
  | { kind: 'bool'; name: string; label: string }
  | { kind: 'flag'; name: string; text: string; when: boolean }
  | { kind: 'optional'; name: string; body: SyntaxTree }
  | { kind: 'enum'; name: string; values: readonly string[] }
  | { kind: 'valueMap'; name: string; cases: readonly { value: string; text: string }[]; fallback: string }
  | { kind: 'tagGuard'; name: string; absent: readonly string[]; body: SyntaxTree };

/** How a parameter's value is written where the syntax names it plainly (`<p>`, `<xs[0]>…`) or by `<str(p)>`. */
export type ParamSpec =
  | { k: 'string' }
  | { k: 'int' }
  | { k: 'number' }
  | { k: 'bool' }
  | { k: 'json' }
  | { k: 'enum'; values: readonly string[] }
  | { k: 'list'; of: ParamSpec }
  /** An API type, by name in `CommandTable.types`: read by its own syntax (`<str(p)>`) or, for an enum, as its value. */
  | { k: 'ref'; type: string }
  /** Written in a way that cannot be read back (an object rendered with `String()`). */
  | { k: 'none' };

export interface SyntaxOwner {
  syntax: SyntaxTree;
  params: { readonly [name: string]: ParamSpec };
}

export interface TypeEntry {
  kind: 'record' | 'enum' | 'union';
  /** The type's own syntax, when it has one. */
  syntax?: SyntaxTree;
  params: { readonly [name: string]: ParamSpec };
  /** An enum's values. */
  values?: readonly string[];
}

export interface CommandTable {
  commands: readonly (SyntaxOwner & { name: string })[];
  types: { readonly [name: string]: TypeEntry };
}

export interface ParsedCommandValue {
  command: string;
  params: Record<string, unknown>;
}

/** Why a string could not be read: no command fits it, or more than one reading does. */
export class CommandParseError extends Error {
  /** The string that was read. */
  readonly text: string;
  readonly reason: 'no-match' | 'ambiguous';
  /** 1-based column where matching failed (no-match) or where the readings part (ambiguous). */
  readonly column: number;
  /** The commands that came closest (no-match), or those with more than one reading (ambiguous). */
  readonly closest: readonly string[];
  /** What was expected at `column` (no-match). */
  readonly expected: readonly string[];
  // Fields, not parameter properties: this file must be erasable syntax (Node's type stripping).
  constructor(text: string, reason: 'no-match' | 'ambiguous', column: number, closest: readonly string[], expected: readonly string[] = []) {
    super(
      reason === 'ambiguous'
        ? `ambiguous command string: more than one reading of ${closest.join(', ')} fits ${JSON.stringify(text)}`
        : `no command matches ${JSON.stringify(text)}: at column ${column}${expected.length ? ` expected ${expected.slice(0, 5).join(' or ')}` : ''}${closest.length ? ` (closest: ${closest.join(', ')})` : ''}`,
    );
    this.name = 'CommandParseError';
    this.text = text;
    this.reason = reason;
    this.column = column;
    this.closest = closest;
    this.expected = expected;
  }
}

type Env = { readonly [name: string]: unknown };
type Next = (pos: number, env: Env) => void;

/** Work beyond which a string is not read further (a pathological string with many free-text readings). */
const MAX_STEPS = 200_000;

/** Reads `text` as one of the table's commands. */
export function parseCommandWith(table: CommandTable, text: string): ParsedCommandValue {
  let furthest = -1;
  let expected: string[] = [];
  const closestBy = new Map<string, number>();
  let owner = '';
  let steps = 0;
  const failAt = (pos: number, what: string) => {
    if (pos > furthest) {
      furthest = pos;
      expected = [what];
    } else if (pos === furthest && !expected.includes(what)) expected.push(what);
    if (pos > (closestBy.get(owner) ?? -1)) closestBy.set(owner, pos);
  };
  const bind = (env: Env, name: string, value: unknown): Env => ({ ...env, [name]: value });
  /** Whether `value` stands at `pos`; if not, the failure is recorded where the text parts from it. */
  const literal = (value: string, pos: number): boolean => {
    if (text.startsWith(value, pos)) return true;
    let k = 0;
    while (k < value.length && text[pos + k] === value[k]) k++;
    failAt(pos + k, JSON.stringify(value.slice(k)));
    return false;
  };

  const match = (node: SyntaxTree, pos: number, env: Env, specs: SyntaxOwner['params'], next: Next): void => {
    if (++steps > MAX_STEPS) throw new CommandParseError(text, 'ambiguous', pos + 1, [owner]);
    switch (node.kind) {
      case 'seq': {
        const at = (i: number, p: number, e: Env): void => (i === node.items.length ? next(p, e) : match(node.items[i]!, p, e, specs, (q, f) => at(i + 1, q, f)));
        return at(0, pos, env);
      }
      case 'text':
        if (literal(node.value, pos)) next(pos + node.value.length, env);
        return;
      case 'param':
        return value(specs[node.name] ?? { k: 'string' }, node.form, pos, (q, v) => next(q, bind(env, node.name, v)));
      case 'join': {
        const spec = specs[node.name];
        const element = spec?.k === 'list' ? spec.of : { k: 'string' as const };
        const more = (p: number, items: unknown[]): void => {
          next(p, bind(env, node.name, items));
          if (text.startsWith(node.separator, p)) value(element, 'plain', p + node.separator.length, (q, v) => more(q, [...items, v]));
        };
        return value(element, 'plain', pos, (q, v) => more(q, [v]));
      }
      case 'bool':
        if (!literal(node.label, pos)) return;
        for (const [word, v] of [['on', true], ['off', false]] as const)
          if (literal(word, pos + node.label.length)) next(pos + node.label.length + word.length, bind(env, node.name, v));
        return;
      case 'flag':
        if (literal(node.text, pos)) next(pos + node.text.length, bind(env, node.name, node.when));
        return next(pos, bind(env, node.name, !node.when));
      case 'optional':
        match(node.body, pos, env, specs, next);
        return next(pos, env);
      case 'enum': {
        // The builder writes the parameter's value as it is: any value of its enum type, listed here or not.
        const spec = specs[node.name];
        const typeValues = spec?.k === 'ref' ? table.types[spec.type]?.values : spec?.k === 'enum' ? spec.values : undefined;
        for (const v of typeValues ? [...new Set([...node.values, ...typeValues])] : node.values) {
          if (v !== '' && text.startsWith(v, pos)) next(pos + v.length, bind(env, node.name, v));
          else failAt(pos, JSON.stringify(v));
        }
        return;
      }
      case 'valueMap':
        // The fallback is written for values the syntax does not list: it names no value to read back.
        for (const c of node.cases) {
          if (c.text !== '' && text.startsWith(c.text, pos)) next(pos + c.text.length, bind(env, node.name, c.value));
          else failAt(pos, JSON.stringify(c.text));
        }
        return;
      case 'tagGuard': {
        const tag = env[node.name];
        if (typeof tag === 'string' && node.absent.includes(tag)) return next(pos, env);
        return match(node.body, pos, env, specs, next);
      }
    }
  };

  /** Every way a value of `spec` can be read at `pos`. */
  const value = (spec: ParamSpec, form: 'plain' | 'str' | 'json', pos: number, next: (pos: number, v: unknown) => void): void => {
    if (form === 'json' || spec.k === 'json') {
      const end = jsonEnd(text, pos);
      if (end < 0) return failAt(pos, 'JSON');
      let v: unknown;
      try {
        v = JSON.parse(text.slice(pos, end));
      } catch {
        return failAt(pos, 'JSON');
      }
      return next(end, v);
    }
    switch (spec.k) {
      case 'ref': {
        const type = table.types[spec.type];
        if (form === 'str' && type?.syntax)
          return match(type.syntax, pos, {}, type.params, (q, env) => next(q, type.kind === 'enum' ? env['self'] : { ...env }));
        if (type?.values) return value({ k: 'enum', values: type.values }, 'plain', pos, next);
        return failAt(pos, `${spec.type} written by its syntax`);
      }
      case 'string':
        // Free text: any extent, the rest of the syntax decides (and more than one extent that fits is ambiguous).
        for (let end = pos; end <= text.length; end++) next(end, text.slice(pos, end));
        return;
      case 'int': {
        const m = /^-?(?:0|[1-9][0-9]*)/.exec(text.slice(pos, pos + 24));
        if (!m) return failAt(pos, 'an integer');
        // Every prefix that is itself an integer: `<a><b>` with two integers is ambiguous, not read greedily.
        for (let len = m[0].length; len > 0; len--) {
          const s = m[0].slice(0, len);
          if (/^-?(?:0|[1-9][0-9]*)$/.test(s)) next(pos + len, Number(s));
        }
        return;
      }
      case 'number': {
        const m = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?/.exec(text.slice(pos, pos + 40));
        if (!m) return failAt(pos, 'a number');
        for (let len = m[0].length; len > 0; len--) {
          const s = m[0].slice(0, len);
          if (/^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?$/.test(s)) next(pos + len, Number(s));
        }
        return;
      }
      case 'bool':
        for (const [word, v] of [['true', true], ['false', false]] as const) {
          if (text.startsWith(word, pos)) next(pos + word.length, v);
          else failAt(pos, `"${word}"`);
        }
        return;
      case 'enum':
        for (const v of spec.values) {
          if (text.startsWith(v, pos)) next(pos + v.length, v);
          else failAt(pos, JSON.stringify(v));
        }
        return;
      case 'list': {
        // A list named plainly is written with its elements joined by ",", and as nothing when it is empty.
        next(pos, []);
        const more = (p: number, items: unknown[]): void => {
          next(p, items);
          if (text[p] === ',') value(spec.of, 'plain', p + 1, (q, v) => more(q, [...items, v]));
        };
        return value(spec.of, 'plain', pos, (q, v) => more(q, [v]));
      }
      case 'none':
        return failAt(pos, 'a value that can be read back');
    }
  };

  const readings: ParsedCommandValue[] = [];
  const ambiguous = new Set<string>();
  // Only commands whose leading text the string starts with can match; the others are tried (for the closest
  // commands and the column of a failure) only when none does.
  const leading = leadingTexts(table);
  const candidates = table.commands.filter((_, i) => text.startsWith(leading[i]!));
  const tryAll = (commands: readonly (SyntaxOwner & { name: string })[]) => {
    for (const command of commands) {
      owner = command.name;
      const found: Env[] = [];
      match(command.syntax, 0, {}, command.params, (pos, env) => {
        if (pos === text.length) {
          if (!found.some((f) => sameValue(f, env))) found.push(env);
        } else failAt(pos, 'end of the command');
      });
      if (found.length > 1) ambiguous.add(command.name);
      for (const env of found) readings.push({ command: command.name, params: { ...env } });
    }
  };
  tryAll(candidates);
  if (readings.length === 0) tryAll(table.commands);
  if (readings.length === 1) return readings[0]!;
  if (readings.length > 1) throw new CommandParseError(text, 'ambiguous', 1, ambiguous.size ? [...ambiguous] : [...new Set(readings.map((r) => r.command))]);
  const best = Math.max(...closestBy.values());
  const closest = [...closestBy].filter(([, p]) => p === best).map(([name]) => name).slice(0, 3);
  throw new CommandParseError(text, 'no-match', furthest + 1, closest, expected);
}

const leadingCache = new WeakMap<CommandTable, string[]>();

/** Each command's leading literal text (what every string of it starts with), '' when it starts otherwise. */
function leadingTexts(table: CommandTable): string[] {
  let texts = leadingCache.get(table);
  if (!texts) {
    const lead = (node: SyntaxTree): string => (node.kind === 'text' ? node.value : node.kind === 'seq' && node.items[0] ? lead(node.items[0]) : '');
    texts = table.commands.map((c) => lead(c.syntax));
    leadingCache.set(table, texts);
  }
  return texts;
}

/** The end of the JSON value that starts at `pos` (by brackets and strings), or -1. */
function jsonEnd(text: string, pos: number): number {
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

function stringEnd(text: string, pos: number): number {
  for (let i = pos + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

/** Structural equality of two readings (JSON values). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
