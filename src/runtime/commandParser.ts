/**
 * Reads a command string back into its command and parameters: the inverse of the builders. It interprets the
 * bound syntax tree of each command (the one the builders are rendered from), never a grammar of its own.
 *
 * This file is self-contained (no imports): the TypeScript target copies it verbatim into `parse.ts`, and the
 * mock chat core runs it as it is, so both read command strings with the same code. The Python target carries
 * the same algorithm (src/runtime/python/_command_parser.py); the tests hold the two to the same answers.
 *
 * Which reading wins, as the chat core's parsers decide: every character of a reading is consumed by fixed text
 * (a literal, keyword, enum value, on/off: the most specific), by a typed value (an integer, a number, JSON), or
 * by free text (the least specific). Of the readings that fit, the one whose sequence of kinds is greatest,
 * compared character by character from the left, wins: fixed text beats free text that would swallow the same
 * characters (`approved_relays=on` is the flag, not a file path), and an optional part that is consumed beats
 * free text that would take it (`<a>[ <b>]` reads "x y" as a="x", b="y"). Readings whose sequences are equal are
 * truly ambiguous: reported with every candidate, or, with `prefer: "first"`, the first in document order wins.
 *
 * The search is linear in the length of the string for every syntax shape: free text ends only where what
 * follows it in the syntax can start (found by `indexOf`, shortest first), a JSON value that ends the string is
 * handed to `JSON.parse` whole, joined lists are read in a loop, and once a reading is known every other one is
 * cut at its first character that is less specific.
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
  /** A union's members (tag and field names), to tag a value whose syntax implies its member. */
  members?: readonly { tag: string; fields: readonly string[] }[];
}

export interface CommandTable {
  commands: readonly (SyntaxOwner & { name: string })[];
  types: { readonly [name: string]: TypeEntry };
}

export interface ParseOptions {
  /**
   * What to do when equally specific readings fit: `"error"` (the default) throws CommandParseError with reason
   * `"ambiguous"` and every candidate; `"first"` takes the command the documents list first and says so in
   * `warning`.
   */
  prefer?: 'error' | 'first';
}

export interface ParsedCommandValue {
  command: string;
  params: Record<string, unknown>;
  /** Set when `prefer: "first"` chose between equally specific readings: which ones, and which was taken. */
  warning?: string;
}

/** Why a string could not be read: no command fits it, more than one reading does, or it is beyond the limits. */
export class CommandParseError extends Error {
  /** The string that was read. */
  readonly text: string;
  readonly reason: 'no-match' | 'ambiguous' | 'limit';
  /** 1-based column where matching failed (no-match), where the readings part (ambiguous), or where the limit was met. */
  readonly column: number;
  /** The commands that came closest (no-match), or every command with an equally specific reading (ambiguous). */
  readonly closest: readonly string[];
  /** What was expected at `column` (no-match). */
  readonly expected: readonly string[];
  // Fields, not parameter properties: this file must be erasable syntax (Node's type stripping).
  constructor(text: string, reason: 'no-match' | 'ambiguous' | 'limit', column: number, closest: readonly string[], expected: readonly string[] = []) {
    super(
      reason === 'ambiguous'
        ? `ambiguous command string: equally specific readings of ${closest.join(', ')} fit ${quote(text)}`
        : reason === 'limit'
          ? `command string beyond the parser's limits at column ${column}: ${expected.join('; ')}`
          : `no command matches ${quote(text)}: at column ${column}${expected.length ? ` expected ${expected.slice(0, 5).join(' or ')}` : ''}${closest.length ? ` (closest: ${closest.join(', ')})` : ''}`,
    );
    this.name = 'CommandParseError';
    this.text = text;
    this.reason = reason;
    this.column = column;
    this.closest = closest;
    this.expected = expected;
  }
}

/** The string in messages: JSON-quoted, long ones shortened in the middle. */
function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 100)}…${text.slice(-60)}` : text);
}

/** What a reading has bound so far: a list, newest first, so that binding costs nothing and no copy is made. */
type Env = { readonly name: string; readonly value: unknown; readonly up: Env } | null;
type Then = (pos: number, env: Env) => void;
type Matcher = (r: Run, pos: number, env: Env, then: Then) => void;
type ValueThen = (pos: number, v: unknown) => void;
type Reader = (r: Run, pos: number, then: ValueThen) => void;

/** What can start where a node is read: fixed texts, any other character (a value), or nothing at all. */
interface First {
  lits: readonly string[];
  any: boolean;
  nullable: boolean;
}
/** What can come after a node: fixed texts, a value, or the end of the string. */
interface Follow {
  lits: readonly string[];
  any: boolean;
  end: boolean;
}

/** The kinds of characters, least specific first. */
const FREE = 0;
const VALUE = 1;
const FIXED = 2;

/** Work beyond this many steps per character is not done (no syntax of the documents comes near it). */
const STEPS_PER_CHAR = 64;
const MIN_STEPS = 100_000;

/** The state of one call of parseCommandWith. */
interface Run {
  text: string;
  n: number;
  steps: number;
  budget: number;
  /** The best reading so far and its kinds as merged segments [start, end, kind, ...] covering the whole string. */
  best: ParsedCommandValue | null;
  bestSegments: number[];
  /** Counts the best readings found: a frame that sees it change knows its prefix is now the best's. */
  version: number;
  /** Readings as specific as the best (other commands or other values). */
  ties: ParsedCommandValue[];
  /** Whether the spans read so far are already more specific than the best's (else equal: lesser ones are cut). */
  greater: boolean;
  /** The spans of the reading in progress: [start, end, kind, ...] up to `top` (a stack that is never shrunk). */
  spans: number[];
  top: number;
  /** Whether failures are recorded (only when no reading was found: the search runs again to say why). */
  record: boolean;
  furthest: number;
  expected: string[];
  closestBy: Map<string, number> | null;
  owner: string;
  /** JSON values read, by position (the last one, and a map when several positions are read). */
  jsonKey: number;
  jsonLast: { end: number; value: unknown } | null;
  json: Map<number, { end: number; value: unknown } | null> | null;
}

export function parseCommandWith(table: CommandTable, text: string, options?: ParseOptions): ParsedCommandValue {
  const compiled = compile(table);
  const candidates = compiled.candidates(text);
  return readDirect(table, compiled.direct, candidates, text) ?? searchReadings(compiled, text, candidates, options);
}

/** The direct reading alone (see below): the answer, or null where the search must decide. */
export function parseCommandDirectly(table: CommandTable, text: string): ParsedCommandValue | null {
  const compiled = compile(table);
  return readDirect(table, compiled.direct, compiled.candidates(text), text);
}

/** The same answer as parseCommandWith, always found by the search (what the direct reading is checked against). */
export function parseCommandBySearch(table: CommandTable, text: string, options?: ParseOptions): ParsedCommandValue {
  const compiled = compile(table);
  return searchReadings(compiled, text, compiled.candidates(text), options);
}

function searchReadings(compiled: Compiled, text: string, candidates: readonly number[], options: ParseOptions | undefined): ParsedCommandValue {
  const r: Run = {
    text,
    n: text.length,
    steps: 0,
    budget: MIN_STEPS + STEPS_PER_CHAR * text.length,
    best: null,
    bestSegments: [],
    version: 0,
    ties: [],
    greater: false,
    spans: [],
    top: 0,
    record: false,
    furthest: -1,
    expected: [],
    closestBy: null,
    owner: '',
    jsonKey: NaN,
    jsonLast: null,
    json: null,
  };
  const search = (indices: readonly number[]): void => {
    for (const i of indices) {
      const command = compiled.commands[i]!;
      r.owner = command.name;
      r.top = 0;
      r.greater = false;
      command.matcher(r, 0, null, (pos, env) => complete(r, command.name, pos, env));
    }
  };
  try {
    // Only commands whose leading text the string starts with can match; the others are tried (for the closest
    // commands and the column of a failure) only when none does.
    search(candidates);
    if (!r.best) {
      r.record = true;
      r.closestBy = new Map();
      search(compiled.all);
    }
  } catch (e) {
    if (e instanceof RangeError) throw new CommandParseError(text, 'limit', 1, [r.owner], ['nesting too deep to read']);
    throw e;
  }
  const best = r.best as ParsedCommandValue | null;
  if (!best) {
    const closestBy = r.closestBy ?? new Map<string, number>();
    const most = Math.max(-1, ...closestBy.values());
    const closest = [...closestBy].filter(([, p]) => p === most).map(([name]) => name).slice(0, 3);
    throw new CommandParseError(text, 'no-match', r.furthest + 1, closest, r.expected);
  }
  if (r.ties.length === 0) return best;
  const all = [best, ...r.ties];
  const commands = [...new Set(all.map((x) => x.command))].sort((a, b) => compiled.order.get(a)! - compiled.order.get(b)!);
  if (options?.prefer !== 'first') throw new CommandParseError(text, 'ambiguous', 1, commands);
  const chosen = all.find((x) => x.command === commands[0])!;
  return { ...chosen, warning: `equally specific readings of ${commands.join(', ')} fit ${quote(text)}: took ${chosen.command}, the first the documents list` };
}

/** The bound values as an object, in the order the syntax binds them. */
function envObject(env: Env): Record<string, unknown> {
  const names: string[] = [];
  const values: unknown[] = [];
  for (let e = env; e; e = e.up) {
    if (names.includes(e.name)) continue;
    names.push(e.name);
    values.push(e.value);
  }
  const out: Record<string, unknown> = {};
  for (let i = names.length - 1; i >= 0; i--) out[names[i]!] = values[i];
  return out;
}

function lookup(env: Env, name: string): unknown {
  for (let e = env; e; e = e.up) if (e.name === name) return e.value;
  return undefined;
}

/** A reading reached the end of the syntax at `pos`. */
function complete(r: Run, command: string, pos: number, env: Env): void {
  if (pos !== r.n) return failAt(r, pos, 'end of the command');
  const reading: ParsedCommandValue = { command, params: envObject(env) };
  if (!r.best || r.greater) {
    // The first reading, or one more specific than the best: it is the best now, and every frame below this one
    // holds a prefix of it.
    r.best = reading;
    r.bestSegments = mergeSpans(r.spans, r.top);
    r.ties = [];
    r.version++;
    r.greater = false;
    return;
  }
  // As specific as the best, character by character.
  if (sameReading(reading, r.best) || r.ties.some((t) => sameReading(t, reading))) return;
  r.ties.push(reading);
}

function sameReading(a: ParsedCommandValue, b: ParsedCommandValue): boolean {
  return a.command === b.command && sameValue(a.params, b.params);
}

function mergeSpans(spans: readonly number[], top: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < top; i += 3) {
    const k = out.length;
    if (k && out[k - 2] === spans[i] && out[k - 1] === spans[i + 2]) out[k - 2] = spans[i + 1]!;
    else out.push(spans[i]!, spans[i + 1]!, spans[i + 2]!);
  }
  return out;
}

/** Index (a multiple of 3) of the best's segment that holds position `pos`. */
function segmentAt(seg: readonly number[], pos: number): number {
  let lo = 0;
  let hi = seg.length / 3 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (seg[mid * 3]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo * 3;
}

/** The kind `kind` over [a, b) against the best's: -1 less specific at the first difference, 1 more, 0 equal. */
function compareToBest(r: Run, a: number, b: number, kind: number): number {
  const seg = r.bestSegments;
  for (let i = segmentAt(seg, a); i < seg.length && seg[i]! < b; i += 3) if (seg[i + 2] !== kind) return seg[i + 2]! < kind ? 1 : -1;
  return 0;
}

/** The first position at or after `pos` where the best reading has more than free text. */
function freeUntil(r: Run, pos: number): number {
  const seg = r.bestSegments;
  let i = segmentAt(seg, pos);
  while (i < seg.length && seg[i + 2] === FREE) i += 3;
  return i < seg.length ? seg[i]! : r.n;
}

/** Consumes [a, b) as `kind` and goes on, unless that makes the reading less specific than the best. */
function consume(r: Run, a: number, b: number, kind: number, then: () => void): void {
  if (++r.steps > r.budget) throw new CommandParseError(r.text, 'limit', a + 1, [r.owner], ['fewer readings to explore']);
  if (a === b) return then();
  const greater = r.greater;
  const version = r.version;
  if (r.best && !greater) {
    const c = compareToBest(r, a, b, kind);
    if (c < 0) return;
    if (c > 0) r.greater = true;
  }
  const depth = r.top;
  r.spans[depth] = a;
  r.spans[depth + 1] = b;
  r.spans[depth + 2] = kind;
  r.top = depth + 3;
  then();
  r.top = depth;
  // A new best found below holds this prefix: from here on the reading is equal to it, not greater.
  r.greater = version === r.version && greater;
}

/** Consumes several spans ([start, end, kind, ...]) at once: a joined list. */
function consumeAll(r: Run, spans: readonly number[], count: number, then: () => void): void {
  const greater = r.greater;
  const version = r.version;
  const depth = r.top;
  for (let i = 0; i < count; i += 3) {
    if (spans[i] === spans[i + 1]) continue;
    if (r.best && !r.greater) {
      const c = compareToBest(r, spans[i]!, spans[i + 1]!, spans[i + 2]!);
      if (c < 0) {
        r.top = depth;
        r.greater = greater;
        return;
      }
      if (c > 0) r.greater = true;
    }
    r.spans[r.top] = spans[i]!;
    r.spans[r.top + 1] = spans[i + 1]!;
    r.spans[r.top + 2] = spans[i + 2]!;
    r.top += 3;
  }
  then();
  r.top = depth;
  r.greater = version === r.version && greater;
}

function failAt(r: Run, pos: number, what: string): void {
  if (!r.record) return;
  if (pos > r.furthest) {
    r.furthest = pos;
    r.expected = [what];
  } else if (pos === r.furthest && !r.expected.includes(what)) r.expected.push(what);
  if (pos > (r.closestBy!.get(r.owner) ?? -1)) r.closestBy!.set(r.owner, pos);
}

/** Whether `value` stands at `pos`; if not, the failure is recorded where the text parts from it. */
function literal(r: Run, value: string, pos: number): boolean {
  if (r.text.startsWith(value, pos)) return true;
  if (!r.record) return false;
  let k = 0;
  while (k < value.length && r.text[pos + k] === value[k]) k++;
  failAt(r, pos + k, JSON.stringify(value.slice(k)));
  return false;
}

/** Whether what `follow` allows can start at `pos`. */
function canStart(r: Run, follow: Follow, pos: number): boolean {
  if (pos === r.n) return follow.end;
  if (follow.any) return true;
  for (const l of follow.lits) if (r.text.startsWith(l, pos)) return true;
  return false;
}

// ---- Compiling a table: every node becomes a matcher that knows what can follow it ----

interface Compiled {
  commands: { name: string; matcher: Matcher }[];
  all: number[];
  /** Commands in document order, for `prefer: "first"`. */
  order: Map<string, number>;
  /** The commands a string can be (by its leading text). */
  candidates: (text: string) => number[];
  /** Each command's direct reading, or null. */
  direct: (DirectReader | null)[];
}

const compiledTables = new WeakMap<CommandTable, Compiled>();

let lastTable: CommandTable | null = null;
let lastCompiled: Compiled | null = null;

function compile(table: CommandTable): Compiled {
  if (table === lastTable) return lastCompiled!;
  let compiled = compiledTables.get(table);
  if (!compiled) {
    const c = new Compiler(table);
    const end: Follow = { lits: [], any: false, end: true };
    const lead = (node: SyntaxTree): string => (node.kind === 'text' ? node.value : node.kind === 'seq' && node.items[0] ? lead(node.items[0]) : '');
    const leading = table.commands.map((cmd) => lead(cmd.syntax));
    // By the first word of the leading text when it has a space after it; the rest are checked one by one.
    const byWord = new Map<string, number[]>();
    const other: number[] = [];
    leading.forEach((l, i) => {
      const space = l.indexOf(' ');
      if (space < 0) other.push(i);
      else byWord.set(l.slice(0, space), [...(byWord.get(l.slice(0, space)) ?? []), i]);
    });
    compiled = {
      commands: table.commands.map((cmd) => ({ name: cmd.name, matcher: c.node(cmd.syntax, cmd.params, end) })),
      all: table.commands.map((_, i) => i),
      direct: directPathsOf(table).map((d) => d && { re: new RegExp(d.rest ? `^(?:${d.re})` : `^(?:${d.re})$`), ops: d.ops, rest: d.rest }),
      order: new Map(table.commands.map((cmd, i) => [cmd.name, i])),
      candidates: (text) => {
        const space = text.indexOf(' ');
        const word = byWord.get(space < 0 ? text : text.slice(0, space));
        const out: number[] = [];
        for (const i of word ?? []) if (text.startsWith(leading[i]!)) out.push(i);
        for (const i of other) if (text.startsWith(leading[i]!)) out.push(i);
        return other.length && word ? out.sort((a, b) => a - b) : out;
      },
    };
    compiledTables.set(table, compiled);
  }
  lastTable = table;
  lastCompiled = compiled;
  return compiled;
}

const ANY: First = { lits: [], any: true, nullable: false };
const FREE_TEXT: First = { lits: [], any: true, nullable: true };

function fixed(...texts: string[]): First {
  const lits = texts.filter((t) => t !== '');
  return { lits, any: false, nullable: lits.length < texts.length };
}

function followOf(first: First, after: Follow): Follow {
  if (!first.nullable) return { lits: first.lits, any: first.any, end: false };
  return { lits: [...new Set([...first.lits, ...after.lits])], any: first.any || after.any, end: after.end };
}

function seqFirst(parts: readonly First[]): First {
  const lits: string[] = [];
  let any = false;
  for (const p of parts) {
    for (const l of p.lits) if (!lits.includes(l)) lits.push(l);
    any = any || p.any;
    if (!p.nullable) return { lits, any, nullable: false };
  }
  return { lits, any, nullable: true };
}

class Compiler {
  private readonly table: CommandTable;
  private readonly typeMatchers = new Map<string, Matcher>();

  constructor(table: CommandTable) {
    this.table = table;
  }

  first(node: SyntaxTree, specs: SyntaxOwner['params']): First {
    switch (node.kind) {
      case 'seq':
        return seqFirst(node.items.map((n) => this.first(n, specs)));
      case 'text':
        return fixed(node.value);
      case 'param':
        return this.valueFirst(specs[node.name] ?? { k: 'string' }, node.form);
      case 'join':
        return this.valueFirst(this.element(specs[node.name]), 'plain');
      case 'bool':
        return fixed(`${node.label}on`, `${node.label}off`);
      case 'flag':
        return { lits: node.text ? [node.text] : [], any: false, nullable: true };
      case 'optional':
      case 'tagGuard': {
        const f = this.first(node.body, specs);
        return { lits: f.lits, any: f.any, nullable: true };
      }
      case 'enum': {
        const values = this.enumValues(node, specs);
        return { lits: values, any: false, nullable: false };
      }
      case 'valueMap':
        return { lits: node.cases.map((c) => c.text).filter((t) => t !== ''), any: false, nullable: false };
    }
  }

  valueFirst(spec: ParamSpec, form: 'plain' | 'str' | 'json'): First {
    if (form === 'json' || spec.k === 'json') return ANY;
    switch (spec.k) {
      case 'string':
        return FREE_TEXT;
      case 'int':
      case 'number':
        return ANY;
      case 'bool':
        return fixed('true', 'false');
      case 'enum':
        return { lits: spec.values.filter((v) => v !== ''), any: false, nullable: false };
      case 'list': {
        const f = this.valueFirst(spec.of, 'plain');
        return { lits: f.lits, any: f.any, nullable: true };
      }
      case 'ref': {
        const type = this.table.types[spec.type];
        if (form === 'str' && type?.syntax) return this.first(type.syntax, type.params);
        if (type?.values) return { lits: type.values.filter((v) => v !== ''), any: false, nullable: false };
        return { lits: [], any: false, nullable: false };
      }
      case 'none':
        return { lits: [], any: false, nullable: false };
    }
  }

  element(spec: ParamSpec | undefined): ParamSpec {
    return spec?.k === 'list' ? spec.of : { k: 'string' };
  }

  enumValues(node: { name: string; values: readonly string[] }, specs: SyntaxOwner['params']): string[] {
    // The builder writes the parameter's value as it is: any value of its enum type, listed here or not.
    const spec = specs[node.name];
    const typeValues = spec?.k === 'ref' ? this.table.types[spec.type]?.values : spec?.k === 'enum' ? spec.values : undefined;
    return byLength([...new Set([...node.values, ...(typeValues ?? [])])].filter((v) => v !== ''));
  }

  node(node: SyntaxTree, specs: SyntaxOwner['params'], follow: Follow): Matcher {
    switch (node.kind) {
      case 'seq': {
        const items = node.items;
        const matchers: Matcher[] = new Array(items.length);
        let after = follow;
        for (let i = items.length - 1; i >= 0; i--) {
          matchers[i] = this.node(items[i]!, specs, after);
          after = followOf(this.first(items[i]!, specs), after);
        }
        if (matchers.length === 0) return (_r, pos, env, then) => then(pos, env);
        const at = (i: number): Matcher => {
          if (i === matchers.length - 1) return matchers[i]!;
          const m = matchers[i]!;
          const rest = at(i + 1);
          return (r, pos, env, then) => m(r, pos, env, (q, e) => rest(r, q, e, then));
        };
        return at(0);
      }
      case 'text': {
        const value = node.value;
        return (r, pos, env, then) => {
          if (!literal(r, value, pos)) return;
          const end = pos + value.length;
          consume(r, pos, end, FIXED, () => then(end, env));
        };
      }
      case 'param': {
        const name = node.name;
        const read = this.value(specs[name] ?? { k: 'string' }, node.form, follow);
        return (r, pos, env, then) => read(r, pos, (q, v) => then(q, bind(env, name, v)));
      }
      case 'join': {
        const name = node.name;
        const read = this.list(this.element(specs[name]), node.separator, false, follow);
        return (r, pos, env, then) => read(r, pos, (q, v) => then(q, bind(env, name, v)));
      }
      case 'bool': {
        const { name, label } = node;
        return (r, pos, env, then) => {
          if (!literal(r, label, pos)) return;
          const at = pos + label.length;
          for (const [word, v] of [['on', true], ['off', false]] as const)
            if (literal(r, word, at)) consume(r, pos, at + word.length, FIXED, () => then(at + word.length, bind(env, name, v)));
        };
      }
      case 'flag': {
        const { name, text, when } = node;
        return (r, pos, env, then) => {
          if (text && literal(r, text, pos)) consume(r, pos, pos + text.length, FIXED, () => then(pos + text.length, bind(env, name, when)));
          then(pos, bind(env, name, !when));
        };
      }
      case 'optional': {
        const body = this.node(node.body, specs, follow);
        // The part first: a reading that consumes it is the more specific one.
        return (r, pos, env, then) => {
          body(r, pos, env, then);
          then(pos, env);
        };
      }
      case 'enum': {
        const name = node.name;
        const values = this.enumValues(node, specs);
        return (r, pos, env, then) => {
          for (const v of values) {
            if (r.text.startsWith(v, pos)) consume(r, pos, pos + v.length, FIXED, () => then(pos + v.length, bind(env, name, v)));
            else if (r.record) failAt(r, pos, JSON.stringify(v));
          }
        };
      }
      case 'valueMap': {
        // The fallback is written for values the syntax does not list: it names no value to read back.
        const name = node.name;
        const cases = node.cases.filter((c) => c.text !== '');
        return (r, pos, env, then) => {
          for (const c of cases) {
            if (r.text.startsWith(c.text, pos)) consume(r, pos, pos + c.text.length, FIXED, () => then(pos + c.text.length, bind(env, name, c.value)));
            else if (r.record) failAt(r, pos, JSON.stringify(c.text));
          }
        };
      }
      case 'tagGuard': {
        const { name, absent } = node;
        const body = this.node(node.body, specs, follow);
        return (r, pos, env, then) => {
          const tag = lookup(env, name);
          if (typeof tag === 'string' && absent.includes(tag)) return then(pos, env);
          return body(r, pos, env, then);
        };
      }
    }
  }

  /** Every way a value of `spec` can be read at a position, given what follows it. */
  value(spec: ParamSpec, form: 'plain' | 'str' | 'json', follow: Follow): Reader {
    if (form === 'json' || spec.k === 'json') return jsonReader(follow);
    switch (spec.k) {
      case 'ref': {
        const type = this.table.types[spec.type];
        if (form === 'str' && type?.syntax) {
          const key = `${spec.type}\u0000${JSON.stringify(follow)}`;
          let m = this.typeMatchers.get(key);
          if (!m) {
            m = this.node(type.syntax, type.params, follow);
            this.typeMatchers.set(key, m);
          }
          const matcher = m;
          const finish = typeValue(type);
          return (r, pos, then) =>
            matcher(r, pos, null, (q, env) => {
              const v = finish(env);
              if (v === undefined) failAt(r, q, `a member of ${spec.type}`);
              else then(q, v);
            });
        }
        if (type?.values) return this.value({ k: 'enum', values: type.values }, 'plain', follow);
        return (r, pos) => failAt(r, pos, `${spec.type} written by its syntax`);
      }
      case 'string':
        return freeTextReader(follow);
      case 'int':
      case 'number': {
        const re = spec.k === 'int' ? INT : NUMBER;
        const full = spec.k === 'int' ? INT_FULL : NUMBER_FULL;
        const what = spec.k === 'int' ? 'an integer' : 'a number';
        return (r, pos, then) => {
          const m = re.exec(r.text.slice(pos, pos + 40));
          if (!m) return failAt(r, pos, what);
          // The longest number first; a shorter one only where what follows can start (`<a><b>` with two integers).
          for (let len = m[0].length; len > 0; len--) {
            const s = m[0].slice(0, len);
            if ((len === m[0].length || canStart(r, follow, pos + len)) && full.test(s)) consume(r, pos, pos + len, VALUE, () => then(pos + len, Number(s)));
          }
        };
      }
      case 'bool':
        return (r, pos, then) => {
          for (const [word, v] of [['true', true], ['false', false]] as const) {
            if (r.text.startsWith(word, pos)) consume(r, pos, pos + word.length, FIXED, () => then(pos + word.length, v));
            else if (r.record) failAt(r, pos, `"${word}"`);
          }
        };
      case 'enum': {
        const values = byLength(spec.values.filter((v) => v !== ''));
        return (r, pos, then) => {
          for (const v of values) {
            if (r.text.startsWith(v, pos)) consume(r, pos, pos + v.length, FIXED, () => then(pos + v.length, v));
            else if (r.record) failAt(r, pos, JSON.stringify(v));
          }
        };
      }
      case 'list':
        // A list named plainly is written with its elements joined by ",", and as nothing when it is empty.
        return this.list(spec.of, ',', true, follow);
      case 'none':
        return (r, pos) => failAt(r, pos, 'a value that can be read back');
    }
  }

  /** Elements joined by `separator` (at least one unless `empty`): read in a loop, the longest list first. */
  list(element: ParamSpec, separator: string, empty: boolean, follow: Follow): Reader {
    const elementFollow: Follow = { lits: [...new Set([separator, ...follow.lits])], any: follow.any, end: follow.end };
    const token = tokenReader(element, this.table);
    if (token) {
      return (r, pos, then) => {
        const items: unknown[] = [];
        const spans: number[] = [];
        let p = pos;
        let t = token(r, p);
        while (t) {
          items.push(t.value);
          spans.push(p, t.end, t.kind);
          p = t.end;
          // The separator belongs to the list only when an element follows it.
          const next = r.text.startsWith(separator, p) ? token(r, p + separator.length) : null;
          if (!next) break;
          spans.push(p, p + separator.length, FIXED);
          p += separator.length;
          t = next;
        }
        if (r.steps + items.length > r.budget) throw new CommandParseError(r.text, 'limit', pos + 1, [r.owner], ['fewer list elements']);
        r.steps += items.length;
        for (let k = items.length; k >= (empty ? 0 : 1); k--) {
          // [element, separator, element, ...]: k elements end at span index 6k - 3 (the element's end).
          const end = k === 0 ? pos : spans[6 * k - 5]!;
          if (k < items.length && !canStart(r, follow, end)) continue;
          consumeAll(r, spans, Math.max(0, 6 * k - 3), () => then(end, items.slice(0, k)));
        }
      };
    }
    const read = this.value(element, 'plain', elementFollow);
    return (r, pos, then) => {
      if (empty) then(pos, []);
      const more = (p: number, items: unknown[]): void => {
        then(p, items);
        if (r.text.startsWith(separator, p)) consume(r, p, p + separator.length, FIXED, () => read(r, p + separator.length, (q, v) => more(q, [...items, v])));
      };
      read(r, pos, (q, v) => more(q, [v]));
    };
  }
}

const INT = /^-?(?:0|[1-9][0-9]*)/;
const INT_FULL = /^-?(?:0|[1-9][0-9]*)$/;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?/;
const NUMBER_FULL = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?$/;

/** Longest first: `internalMark` before `internal`. */
function byLength(values: readonly string[]): string[] {
  return [...values].sort((a, b) => b.length - a.length);
}

function bind(env: Env, name: string, value: unknown): Env {
  return { name, value, up: env };
}

/** The fixed texts a list element is written as (an enum's values, true/false), or undefined for other kinds. */
function tokenValues(spec: ParamSpec, table: CommandTable): readonly string[] | undefined {
  return spec.k === 'enum' ? spec.values : spec.k === 'ref' && !table.types[spec.type]?.syntax ? table.types[spec.type]?.values : spec.k === 'bool' ? ['true', 'false'] : undefined;
}

/** A list element read one way only (an integer, a number, an enum value), or undefined for other kinds. */
function tokenReader(spec: ParamSpec, table: CommandTable): ((r: Run, pos: number) => { end: number; value: unknown; kind: number } | null) | undefined {
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
function typeValue(type: TypeEntry): (env: Env) => unknown {
  if (type.kind === 'enum') return (env) => lookup(env, 'self');
  if (type.kind === 'record' || !type.members) return envObject;
  return (bound) => valueOfType(type, envObject(bound));
}

/** The value of a type whose syntax bound `bound` (undefined when no union member fits it). */
function valueOfType(type: TypeEntry, bound: Record<string, unknown>): unknown {
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
function freeTextReader(follow: Follow): Reader {
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
function jsonSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** A JSON value: handed to JSON.parse whole when it ends the string, else measured by its brackets first. */
function jsonReader(follow: Follow): Reader {
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
function shallowJson(text: string, value: unknown): boolean {
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

// ---- The direct reading: one regular expression per command, where it must give the search's answer ----
//
// Most commands have one reading at most for any string: every optional part, flag and enum value is told apart
// by its first characters from what may follow it, every number by a character that cannot continue it, and
// their free text (one at most) ends at the first place where the rest fits, which is the most specific end (at
// that character the rest is fixed text, where any longer extent is free text). For those, a regular expression
// of the syntax finds the reading in one pass of the language's own engine. `parseCommandWith` takes it when the
// command is the only candidate whose expression matches and every value converts; in every other case (no
// match, several matches, a command of another shape, a value that does not convert) the search decides, so
// the two cannot differ in what they answer.

/** How a captured group becomes a value: integer, number, string, JSON, true/false, on/off, enum value, a value
 * map (text to value), or a list split at its separator with its elements converted. */
export type DirectConv = 'i' | 'n' | 's' | 'j' | 't' | 'o' | 'e' | ['m', { readonly [text: string]: string }] | ['l', string, 'i' | 'e' | 't'];
/** What a match binds, in the order the syntax binds it: a value from a group; a flag (set when its group
 * matched); the ops of an optional part whose group matched; a value of a type read by its own syntax. */
export type DirectOp = ['b', string, number, DirectConv] | ['f', string, number, boolean] | ['?', number, DirectOp[]] | ['r', string, string, DirectOp[]];
/** A command's regular expression (the same text in JavaScript and Python) and what it binds. With `rest`, the
 * expression reads the string up to a JSON value that ends it, and that value is the group after its last one;
 * else the expression is matched against the whole string. */
export interface DirectPath {
  re: string;
  ops: DirectOp[];
  rest: boolean;
}

const RE_INT = '-?(?:0|[1-9][0-9]*)';
const RE_NUMBER = '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:e[+-]?[0-9]+)?';

/** Text as a regular expression, the same in JavaScript (without flags) and Python. */
function reText(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}/-]/g, '\\$&');
}

function compatible(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

function prefixFree(values: readonly string[]): boolean {
  for (let i = 0; i < values.length; i++) for (let j = i + 1; j < values.length; j++) if (compatible(values[i]!, values[j]!)) return false;
  return values.length > 0;
}

/** Whether no string can start both with one of `lits` and with what `follow` allows. */
function apart(lits: readonly string[], follow: Follow): boolean {
  return !follow.any && lits.every((l) => l !== '' && follow.lits.every((f) => !compatible(l, f)));
}

/** Whether what follows cannot continue a number. */
function numberApart(follow: Follow): boolean {
  return !follow.any && follow.lits.every((f) => !/^[0-9.eE+-]/.test(f));
}

const JSON_REST = '([\\s\\S]*)';

/** A syntax that has no direct reading. */
const INDIRECT = new Error('indirect');

class DirectCompiler {
  private readonly c: Compiler;
  private readonly table: CommandTable;
  private groups = 0;
  private freeTexts = 0;

  constructor(c: Compiler, table: CommandTable) {
    this.c = c;
    this.table = table;
  }

  group(): number {
    return ++this.groups;
  }

  /** How many groups the expression has. */
  get groupCount(): number {
    return this.groups;
  }

  bind(bound: Set<string>, name: string): void {
    if (bound.has(name)) throw INDIRECT;
    bound.add(name);
  }

  node(node: SyntaxTree, specs: SyntaxOwner['params'], follow: Follow, ops: DirectOp[], bound: Set<string>): string {
    switch (node.kind) {
      case 'seq': {
        const follows: Follow[] = new Array(node.items.length);
        let after = follow;
        for (let i = node.items.length - 1; i >= 0; i--) {
          follows[i] = after;
          after = followOf(this.c.first(node.items[i]!, specs), after);
        }
        return node.items.map((n, i) => this.node(n, specs, follows[i]!, ops, bound)).join('');
      }
      case 'text':
        return reText(node.value);
      case 'param':
        return this.value(node.name, specs[node.name] ?? { k: 'string' }, node.form, follow, ops, bound);
      case 'join':
        this.bind(bound, node.name);
        return this.list(node.name, this.c.element(specs[node.name]), node.separator, false, follow, ops);
      case 'bool':
        this.bind(bound, node.name);
        ops.push(['b', node.name, this.group(), 'o']);
        return `${reText(node.label)}(on|off)`;
      case 'flag': {
        if (!apart([node.text], follow)) throw INDIRECT;
        this.bind(bound, node.name);
        ops.push(['f', node.name, this.group(), node.when]);
        return `(${reText(node.text)})?`;
      }
      case 'optional': {
        const f = this.c.first(node.body, specs);
        if (f.nullable || f.any || !apart(f.lits, follow)) throw INDIRECT;
        const g = this.group();
        const inner: DirectOp[] = [];
        const body = this.node(node.body, specs, follow, inner, bound);
        ops.push(['?', g, inner]);
        return `(${body})?`;
      }
      case 'enum':
        return this.choice(node.name, this.c.enumValues(node, specs), 'e', ops, bound, follow);
      case 'valueMap': {
        const cases = node.cases.filter((c) => c.text !== '');
        return this.choice(node.name, cases.map((c) => c.text), ['m', Object.fromEntries(cases.map((c) => [c.text, c.value]))], ops, bound, follow);
      }
      case 'tagGuard':
        throw INDIRECT;
    }
  }

  /** One of several fixed texts: where one is the start of another, what follows tells them apart. */
  choice(name: string, texts: readonly string[], conv: DirectConv, ops: DirectOp[], bound: Set<string>, follow: Follow): string {
    if (texts.length === 0 || new Set(texts).size < texts.length) throw INDIRECT;
    for (const v of texts) for (const w of texts) if (w !== v && w.startsWith(v) && !apart([w.slice(v.length)], follow)) throw INDIRECT;
    this.bind(bound, name);
    ops.push(['b', name, this.group(), conv]);
    return `(${texts.map(reText).join('|')})`;
  }

  value(name: string, spec: ParamSpec, form: 'plain' | 'str' | 'json', follow: Follow, ops: DirectOp[], bound: Set<string>): string {
    if (form === 'json' || spec.k === 'json') {
      // Only a JSON value that ends the string: it is handed to the JSON parser whole, as the search does.
      if (!follow.end || follow.any || follow.lits.length) throw INDIRECT;
      this.bind(bound, name);
      ops.push(['b', name, this.group(), 'j']);
      return JSON_REST;
    }
    switch (spec.k) {
      case 'string':
        // One free text at most: two could make the expression try every pair of ends.
        if (follow.any || ++this.freeTexts > 1) throw INDIRECT;
        this.bind(bound, name);
        ops.push(['b', name, this.group(), 's']);
        return '([\\s\\S]*?)';
      case 'int':
      case 'number':
        if (!numberApart(follow)) throw INDIRECT;
        this.bind(bound, name);
        ops.push(['b', name, this.group(), spec.k === 'int' ? 'i' : 'n']);
        return `(${spec.k === 'int' ? RE_INT : RE_NUMBER})`;
      case 'bool':
        return this.choice(name, ['true', 'false'], 't', ops, bound, follow);
      case 'enum':
        return this.choice(name, byLength(spec.values.filter((v) => v !== '')), 'e', ops, bound, follow);
      case 'list':
        this.bind(bound, name);
        return this.list(name, spec.of, ',', true, follow, ops);
      case 'ref': {
        const type = this.table.types[spec.type];
        if (form === 'str' && type?.syntax) {
          this.bind(bound, name);
          const inner: DirectOp[] = [];
          const re = this.node(type.syntax, type.params, follow, inner, new Set());
          // An enum written by its syntax is the value its syntax binds to `self`: bound directly.
          const only = inner.length === 1 ? inner[0]! : undefined;
          if (type.kind === 'enum' && only?.[0] === 'b' && only[1] === 'self') ops.push(['b', name, only[2], only[3]]);
          else ops.push(['r', name, spec.type, inner]);
          return `(?:${re})`;
        }
        if (type?.values) return this.choice(name, byLength(type.values.filter((v) => v !== '')), 'e', ops, bound, follow);
        throw INDIRECT;
      }
      case 'none':
        throw INDIRECT;
    }
  }

  /** Elements read one way only (integers, enum values), joined by `separator`: always the longest list. */
  list(name: string, element: ParamSpec, separator: string, empty: boolean, follow: Follow, ops: DirectOp[]): string {
    const values = tokenValues(element, this.table);
    if (separator === '' || follow.any || follow.lits.some((f) => compatible(f, separator))) throw INDIRECT;
    let token: string;
    let conv: 'i' | 'e' | 't';
    if (values) {
      const sorted = byLength(values.filter((v) => v !== ''));
      if (!prefixFree(sorted) || sorted.some((v) => v.includes(separator)) || (empty && !apart(sorted, follow))) throw INDIRECT;
      token = sorted.map(reText).join('|');
      conv = element.k === 'bool' ? 't' : 'e';
    } else if (element.k === 'int') {
      if (!numberApart(follow) || /^[0-9-]/.test(separator)) throw INDIRECT;
      token = RE_INT;
      conv = 'i';
    } else throw INDIRECT;
    ops.push(['b', name, this.group(), ['l', separator, conv]]);
    const list = `(?:${token})(?:${reText(separator)}(?:${token}))*`;
    return empty ? `((?:${list})?)` : `(${list})`;
  }
}

/** Each command's direct reading, or null for a command whose syntax needs the search. */
export function directPathsOf(table: CommandTable): (DirectPath | null)[] {
  const c = new Compiler(table);
  const end: Follow = { lits: [], any: false, end: true };
  return table.commands.map((cmd) => {
    const d = new DirectCompiler(c, table);
    const ops: DirectOp[] = [];
    try {
      const re = d.node(cmd.syntax, cmd.params, end, ops, new Set());
      // A JSON value that ends the string is the rest of it: the expression stops where it starts.
      const last = ops[ops.length - 1];
      const rest = last?.[0] === 'b' && last[3] === 'j' && last[2] === d.groupCount && re.endsWith(JSON_REST);
      return { re: rest ? re.slice(0, -JSON_REST.length) : re, ops, rest };
    } catch (e) {
      if (e === INDIRECT) return null;
      throw e;
    }
  });
}

interface DirectReader {
  re: RegExp;
  ops: DirectOp[];
  rest: boolean;
}

/** The value of a group, or NO_VALUE when the search must decide (a value that does not convert). */
const NO_VALUE = Symbol('no value');

function converted(conv: DirectConv, s: string): unknown {
  switch (conv) {
    case 'i':
    case 'n':
      // The search reads numbers of at most 40 characters.
      return s.length > 40 ? NO_VALUE : Number(s);
    case 's':
    case 'e':
      return s;
    case 't':
      return s === 'true';
    case 'o':
      return s === 'on';
    case 'j': {
      if (s === '' || jsonSpace(s.charCodeAt(0)) || jsonSpace(s.charCodeAt(s.length - 1))) return NO_VALUE;
      let v: unknown;
      try {
        v = JSON.parse(s);
      } catch {
        return NO_VALUE;
      }
      return shallowJson(s, v) ? v : NO_VALUE;
    }
  }
  if (conv[0] === 'm') return conv[1][s];
  if (s === '') return [];
  const items = s.split(conv[1]);
  const out: unknown[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const v = converted(conv[2], items[i]!);
    if (v === NO_VALUE) return NO_VALUE;
    out[i] = v;
  }
  return out;
}

/** Binds what `ops` say from the match into `out`; false when a value does not convert. */
function bindDirect(ops: readonly DirectOp[], m: RegExpExecArray, types: CommandTable['types'], out: Record<string, unknown>): boolean {
  for (const op of ops) {
    switch (op[0]) {
      case 'b': {
        const v = converted(op[3], m[op[2]]!);
        if (v === NO_VALUE) return false;
        out[op[1]] = v;
        break;
      }
      case 'f':
        out[op[1]] = m[op[2]] !== undefined ? op[3] : !op[3];
        break;
      case '?':
        if (m[op[1]] !== undefined && !bindDirect(op[2], m, types, out)) return false;
        break;
      case 'r': {
        const inner: Record<string, unknown> = {};
        if (!bindDirect(op[3], m, types, inner)) return false;
        const v = valueOfType(types[op[2]]!, inner);
        if (v === undefined) return false;
        out[op[1]] = v;
        break;
      }
    }
  }
  return true;
}

/** The reading of the only candidate whose expression matches, or null when the search must decide. */
function readDirect(table: CommandTable, readers: readonly (DirectReader | null)[], candidates: readonly number[], text: string): ParsedCommandValue | null {
  let hit = -1;
  let match: RegExpExecArray | null = null;
  for (const i of candidates) {
    const reader = readers[i];
    if (!reader) return null;
    const m = reader.re.exec(text);
    if (!m) continue;
    if (match) return null;
    if (reader.rest) m.push(text.slice(m[0].length));
    hit = i;
    match = m;
  }
  if (!match) return null;
  const params: Record<string, unknown> = {};
  return bindDirect(readers[hit]!.ops, match, table.types, params) ? { command: table.commands[hit]!.name, params } : null;
}
