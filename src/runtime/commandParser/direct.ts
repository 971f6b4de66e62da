/** The direct reading: one regular expression per command, where it must give the search's answer. */
import { type CommandTable, type Follow, type ParamSpec, type ParsedCommandValue, type SyntaxOwner, type SyntaxTree } from './syntax.js';
import { Compiler, followOf } from './compile.js';
import { byLength, jsonSpace, shallowJson, tokenValues, valueOfType } from './values.js';

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

export const RE_INT = '-?(?:0|[1-9][0-9]*)';
export const RE_NUMBER = '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:e[+-]?[0-9]+)?';

/** Text as a regular expression, the same in JavaScript (without flags) and Python. */
export function reText(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}/-]/g, '\\$&');
}

export function compatible(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

export function prefixFree(values: readonly string[]): boolean {
  for (let i = 0; i < values.length; i++) for (let j = i + 1; j < values.length; j++) if (compatible(values[i]!, values[j]!)) return false;
  return values.length > 0;
}

/** Whether no string can start both with one of `lits` and with what `follow` allows. */
export function apart(lits: readonly string[], follow: Follow): boolean {
  return !follow.any && lits.every((l) => l !== '' && follow.lits.every((f) => !compatible(l, f)));
}

/** Whether what follows cannot continue a number. */
export function numberApart(follow: Follow): boolean {
  return !follow.any && follow.lits.every((f) => !/^[0-9.eE+-]/.test(f));
}

export const JSON_REST = '([\\s\\S]*)';

/** A syntax that has no direct reading. */
export const INDIRECT = new Error('indirect');

export class DirectCompiler {
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

export interface DirectReader {
  re: RegExp;
  ops: DirectOp[];
  rest: boolean;
}

/** The value of a group, or NO_VALUE when the search must decide (a value that does not convert). */
export const NO_VALUE = Symbol('no value');

export function converted(conv: DirectConv, s: string): unknown {
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
export function bindDirect(ops: readonly DirectOp[], m: RegExpExecArray, types: CommandTable['types'], out: Record<string, unknown>): boolean {
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
export function readDirect(table: CommandTable, readers: readonly (DirectReader | null)[], candidates: readonly number[], text: string): ParsedCommandValue | null {
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
