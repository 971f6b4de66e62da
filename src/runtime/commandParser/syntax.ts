/** The command parser's tables and readings as types, its error, and the state of one search (see ../commandParser.ts). */

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
export function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 100)}…${text.slice(-60)}` : text);
}

/** What a reading has bound so far: a list, newest first, so that binding costs nothing and no copy is made. */
export type Env = { readonly name: string; readonly value: unknown; readonly up: Env } | null;
export type Then = (pos: number, env: Env) => void;
export type Matcher = (r: Run, pos: number, env: Env, then: Then) => void;
export type ValueThen = (pos: number, v: unknown) => void;
export type Reader = (r: Run, pos: number, then: ValueThen) => void;

/** What can start where a node is read: fixed texts, any other character (a value), or nothing at all. */
export interface First {
  lits: readonly string[];
  any: boolean;
  nullable: boolean;
}
/** What can come after a node: fixed texts, a value, or the end of the string. */
export interface Follow {
  lits: readonly string[];
  any: boolean;
  end: boolean;
}

/** The kinds of characters, least specific first. */
export const FREE = 0;
export const VALUE = 1;
export const FIXED = 2;

/** Work beyond this many steps per character is not done (no syntax of the documents comes near it). */
export const STEPS_PER_CHAR = 64;
export const MIN_STEPS = 100_000;

/** The state of one call of parseCommandWith. */
export interface Run {
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
