/**
 * Checks JSON from the chat core against what the documents say, forward-compatibly: required fields present,
 * primitive kinds, lists, maps, optionals, nested records, enums and unions, recursively. A value that breaks
 * the contract is a DecodeError naming the place (`$.chatItems[0].meta.itemTs`), what was expected and what
 * was found. Forward compatibility, as upstream asks of bot clients: unknown fields are kept; an unknown union
 * tag or enum value is kept as it came and reported as a warning; `strict` rejects all three instead.
 *
 * Values are checked in place and returned as they are (nothing is copied). A field is an object's own enumerable
 * property, as in JSON (an inherited `constructor` is not a field). This file is self-contained: the
 * TypeScript target copies it verbatim into `decode.ts`, and the mock chat core runs it as it is.
 */

/** A field or element type: a primitive by name, or a constructor. */
export type SchemaType =
  | 'string'
  | 'int'
  | 'number'
  | 'bool'
  | 'time'
  | 'object'
  | 'any'
  | readonly ['list', SchemaType]
  | readonly ['map', SchemaType, SchemaType]
  | readonly ['opt', SchemaType]
  | readonly ['ref', string]
  | readonly ['lit', string];

/** `[name, type, optional]`. */
export type SchemaField = readonly [string, SchemaType, boolean];

export type SchemaEntry =
  | { kind: 'record'; fields: readonly SchemaField[] }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'union'; members: { readonly [tag: string]: readonly SchemaField[] } };

export interface Schema {
  types: { readonly [name: string]: SchemaEntry };
  /** `ChatResponse` and `ChatEvent`: their members by tag. */
  responses: { readonly [tag: string]: readonly SchemaField[] };
  events: { readonly [tag: string]: readonly SchemaField[] };
}

export interface DecodeWarning {
  /** Where, as `$.chatInfo.type`. */
  path: string;
  message: string;
}

// `| undefined` on optional options: callers under exactOptionalPropertyTypes may pass an undefined through.
export interface DecodeOptions {
  /** Reject unknown fields, union tags and enum values instead of keeping them. */
  strict?: boolean | undefined;
  /** Told of every unknown union tag or enum value that was kept. */
  onWarning?: ((warning: DecodeWarning) => void) | undefined;
  /** Values nested deeper than this (default 512) are a DecodeError, before any deeper work. */
  maxDepth?: number | undefined;
}

/** How deep a value may nest (its path's length) unless DecodeOptions.maxDepth says otherwise. */
export const DEFAULT_MAX_DEPTH = 512;

/** A value that breaks the documented contract. */
export class DecodeError extends Error {
  /** Where, as `$.chatItems[0].meta.itemTs`. */
  readonly path: string;
  readonly expected: string;
  /** What was there instead, briefly. */
  readonly found: string;
  // Fields, not parameter properties: this file must be erasable syntax (Node's type stripping).
  constructor(path: string, expected: string, found: string) {
    super(`${path}: expected ${expected}, found ${found}`);
    this.name = 'DecodeError';
    this.path = path;
    this.expected = expected;
    this.found = found;
  }
}

const describe = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  // Whatever a caller passes (a BigInt, a function, a symbol) is described, never a TypeError.
  let text: string;
  try {
    text = typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
  } catch {
    text = typeof v;
  }
  return `${typeof v} ${text.length > 40 ? text.slice(0, 37) + '...' : text}`;
};

const PRIMITIVE_NAMES: { readonly [k: string]: string } = {
  string: 'a string',
  int: 'an integer',
  number: 'a number',
  bool: 'a boolean',
  time: 'a UTCTime string',
  object: 'a JSON object',
};

const isObject = (v: unknown): v is { readonly [k: string]: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A field of a JSON object: its own enumerable property (not `constructor` or anything else inherited). */
const field = (v: { readonly [k: string]: unknown }, name: string): unknown => (Object.prototype.propertyIsEnumerable.call(v, name) ? v[name] : undefined);
const INT_KEY = /^-?[0-9]+$/;

/**
 * Whether a value passes, answered without a path: `depth` is the value's path length. False means "not
 * plainly valid" (an error, an unknown tag or enum value that needs its warning, a value too deep, an
 * exhausted stack): decodeWith then walks the value again with its path to say what and where.
 */
type Passes = (v: unknown, depth: number) => boolean;

interface CompiledSchema {
  ref(name: string): Passes;
  type(t: SchemaType): Passes;
  responses: Passes;
  events: Passes;
  /** The depth limit of the running call (decodeWith sets it; nothing runs in between). */
  limit: number;
}

const compiledSchemas = new WeakMap<Schema, { lenient?: CompiledSchema; strict?: CompiledSchema }>();

/**
 * The schema's rules as closures, one per type, built once per schema: most values are valid, and checking
 * them this way costs a fraction of walking the tables with a path (decodeWith's walk, which stays the one
 * source of errors and warnings). A record or union met often then gets a function of its own (`tiered`).
 */
function compileSchema(schema: Schema, strict: boolean): CompiledSchema {
  const refs = new Map<string, Passes>();
  // Made before the unions below: the records' generated checks are given it.
  const c: CompiledSchema = { ref, type, responses: () => false, events: () => false, limit: DEFAULT_MAX_DEPTH };
  c.responses = union(schema.responses);
  c.events = union(schema.events);

  // Types refer to themselves and to each other; entry() calls no ref() (a record's checks are filled on first
  // use), so a type's closure is made whole before anything refers to it.
  function ref(name: string): Passes {
    let known = refs.get(name);
    if (!known) refs.set(name, (known = entry(name)));
    return known;
  }

  function entry(name: string): Passes {
    const e = Object.prototype.hasOwnProperty.call(schema.types, name) ? schema.types[name] : undefined;
    if (!e) return (_v, d) => d <= c.limit; // declared opaquely: anything goes
    switch (e.kind) {
      case 'record':
        return fields(e.fields);
      case 'union':
        return union(e.members);
      case 'enum': {
        const values = new Set(e.values);
        return (v, d) => d <= c.limit && typeof v === 'string' && values.has(v);
      }
    }
  }

  /**
   * A record's checks: its own enumerable keys are read in one pass (for...in), so that absent optional fields
   * cost nothing and each value is read by the key at hand. `tagged`: a union member's, called once the union
   * has read its tag, which is then not checked again.
   */
  function fields(list: readonly SchemaField[], tagged?: string): Passes {
    const index = new Map<string, number>();
    list.forEach(([name], i) => index.set(name, i));
    const optional = list.map((f) => f[2]);
    const required = optional.filter((o) => !o).length;
    // Primitive, literal and enum fields are checked in the loop (by kind), the rest by their closures, filled
    // on first use: a record's fields may refer back to the record.
    const kinds = list.map(([name, t, isOptional]) =>
      name === 'type' && !isOptional && typeof t === 'object' && t[0] === 'lit' && t[1] === tagged ? KIND_TAG : primitiveKind(t),
    );
    const lits = list.map((f, i) => (kinds[i] === KIND_OTHER && typeof f[1] === 'object' && f[1][0] === 'lit' ? ((kinds[i] = KIND_LIT), f[1][1]) : undefined));
    const enums = list.map((f, i) => {
      const e = kinds[i] === KIND_OTHER && typeof f[1] === 'object' && f[1][0] === 'ref' && Object.prototype.hasOwnProperty.call(schema.types, f[1][1]) ? schema.types[f[1][1]] : undefined;
      return e?.kind === 'enum' ? ((kinds[i] = KIND_ENUM), new Set(e.values)) : undefined;
    });
    const checks: Passes[] = [];
    let ready = false;
    const fill = (): readonly Passes[] => {
      if (!ready) {
        list.forEach((f, i) => checks.push(kinds[i] === KIND_OTHER ? type(f[1]) : () => true));
        ready = true;
      }
      return checks;
    };
    const lastKeys: string[] = [];
    const lastIndex: (number | undefined)[] = [];
    return tiered(() => generatedRecordCheck(list, index, kinds, lits, enums, required, strict, c, fill, type), (v, d) => {
      // At the limit its fields would be too deep: the walk decides (a record with none present passes there).
      // Only plain objects: for...in would also list a prototype's enumerable keys.
      if (d >= c.limit || typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
      fill();
      const o = v as { readonly [k: string]: unknown };
      let seen = 0;
      let at = 0;
      for (const key in o) {
        // Values of one type mostly list their keys in one order: the index found at this place last time is
        // taken when the key is the same string (a pointer comparison for property names).
        let i: number | undefined;
        if (at < CACHED_KEYS && lastKeys[at] === key) i = lastIndex[at];
        else {
          i = index.get(key);
          if (at < CACHED_KEYS) {
            lastKeys[at] = key;
            lastIndex[at] = i;
          }
        }
        at++;
        if (i === undefined) {
          if (strict) return false;
          continue;
        }
        const x = o[key];
        if (x === undefined) continue; // as if absent, as the walk reads it
        if (!optional[i]) seen++;
        if (x === null && optional[i]) continue;
        switch (kinds[i]) {
          case KIND_TAG:
            continue;
          case KIND_STRING:
            if (typeof x !== 'string') return false;
            continue;
          case KIND_INT:
            if (!Number.isInteger(x)) return false;
            continue;
          case KIND_BOOL:
            if (typeof x !== 'boolean') return false;
            continue;
          case KIND_NULLABLE_STRING:
            if (x !== null && typeof x !== 'string') return false;
            continue;
          case KIND_LIT:
            if (x !== lits[i]) return false;
            continue;
          case KIND_ENUM:
            if (typeof x !== 'string' || !enums[i]!.has(x)) return false;
            continue;
          default:
            if (!checks[i]!(x, d + 1)) return false;
        }
      }
      return seen === required;
    });
  }

  function union(members: { readonly [tag: string]: readonly SchemaField[] }): Passes {
    const byTag = new Map<string, Passes>();
    for (const tag of Object.keys(members)) byTag.set(tag, fields(members[tag]!, tag));
    return tiered(() => generatedUnionCheck(byTag), (v, d) => {
      if (!isObject(v)) return false;
      const tag = v['type'];
      const member = typeof tag === 'string' ? byTag.get(tag) : undefined;
      return member !== undefined && member(v, d);
    });
  }

  function type(t: SchemaType): Passes {
    if (typeof t === 'string') {
      switch (t) {
        case 'string':
        case 'time':
          return (v, d) => typeof v === 'string' && d <= c.limit;
        case 'int':
          return (v, d) => Number.isInteger(v) && d <= c.limit;
        case 'number':
          return (v, d) => Number.isFinite(v) && d <= c.limit;
        case 'bool':
          return (v, d) => typeof v === 'boolean' && d <= c.limit;
        case 'object':
          return (v, d) => isObject(v) && d <= c.limit;
        case 'any':
          return (_v, d) => d <= c.limit;
      }
    }
    switch (t[0]) {
      case 'opt': {
        const inner = type(t[1]);
        return (v, d) => (v === null ? d <= c.limit : inner(v, d));
      }
      case 'lit': {
        const lit = t[1];
        return (v, d) => v === lit && d <= c.limit;
      }
      case 'list': {
        const element = type(t[1]);
        return (v, d) => {
          if (!Array.isArray(v) || d > c.limit) return false;
          for (let i = 0; i < v.length; i++) if (!element(v[i], d + 1)) return false;
          return true;
        };
      }
      case 'map': {
        const intKeys = t[1] === 'int';
        const value = type(t[2]);
        return (v, d) => {
          if (!isObject(v) || d > c.limit) return false;
          for (const key of Object.keys(v)) if ((intKeys && !INT_KEY.test(key)) || !value(v[key], d + 1)) return false;
          return true;
        };
      }
      case 'ref':
        return ref(t[1]);
    }
  }

  return c;
}

/**
 * Calls of a record's or union's check before it gets a generated function: making one costs about as much as
 * checking a few hundred values, and most of a schema's types are met rarely or never.
 */
const GENERATE_AFTER = 16;

/** Where a tiered check keeps its generated function: a symbol of this module, out of any other code's reach. */
const GENERATED = Symbol('generated');

/**
 * A record's or union's check: `closure` for its first GENERATE_AFTER calls, then `make()`'s generated function.
 * The function is also kept on the check (under GENERATED), where generated checks look for it, so that one
 * generated check calls the next directly.
 */
function tiered(make: () => Passes | undefined, closure: Passes): Passes {
  if (!codeFromStrings) return closure;
  let calls = 0;
  const check = ((v, d) => {
    const generated = check[GENERATED];
    if (generated) return generated(v, d);
    if (++calls === GENERATE_AFTER && codeFromStrings) {
      const made = make();
      if (made) {
        check[GENERATED] = made;
        return made(v, d);
      }
    }
    return closure(v, d);
  }) as Passes & { [GENERATED]?: Passes | undefined };
  check[GENERATED] = undefined;
  return check;
}

/**
 * Whether this platform compiles code from strings, as far as we know: false once it refused (a content security
 * policy without 'unsafe-eval', Cloudflare Workers, `node --disallow-code-generation-from-strings`).
 */
let codeFromStrings = true;

/**
 * A record's check as a function of its own (new Function), its fields' names as `case` labels and their
 * checks inline: each record then has its own inline caches, where one closure shared by every record sees
 * every shape (a third to a half less time on item-heavy payloads, measured 2026-12-05). The same rules as
 * `fields`' closure, which stands in where code cannot be made from strings. Nothing of the schema reaches the
 * source but names and literals, each written by JSON.stringify (a string literal, whatever it holds).
 */
function generatedRecordCheck(
  list: readonly SchemaField[],
  index: ReadonlyMap<string, number>,
  kinds: readonly number[],
  lits: readonly (string | undefined)[],
  enums: readonly (ReadonlySet<string> | undefined)[],
  required: number,
  strict: boolean,
  c: { readonly limit: number },
  fill: () => readonly Passes[],
  typeCheck: (t: SchemaType) => Passes,
): Passes | undefined {
  let cases = '';
  let load = '';
  const locals: string[] = [];
  const order: string[] = [];
  list.forEach(([name, , optional], i) => {
    if (index.get(name) !== i) return; // as in the closure's index, the last field of a name counts
    order.push(name);
    let test: string;
    switch (kinds[i]) {
      case KIND_TAG:
        test = '';
        break;
      case KIND_STRING:
        test = 'if (typeof x !== "string") return false;';
        break;
      case KIND_INT:
        test = 'if (!isInteger(x)) return false;';
        break;
      case KIND_BOOL:
        test = 'if (typeof x !== "boolean") return false;';
        break;
      case KIND_NULLABLE_STRING:
        test = 'if (x !== null && typeof x !== "string") return false;';
        break;
      case KIND_LIT:
        test = `if (x !== ${JSON.stringify(lits[i])}) return false;`;
        break;
      case KIND_ENUM:
        test = `if (typeof x !== "string" || !enums[${i}].has(x)) return false;`;
        break;
      default: {
        const t = list[i]![1];
        if (typeof t === 'object' && t[0] === 'list') {
          // The loop in place: its call of the element's check then sees only this field's elements.
          test = `if (!isArray(x) || d + 1 > c.limit) return false; const e = k${i}[G] || k${i}; for (let j = 0; j < x.length; j++) if (!e(x[j], d + 2)) return false;`;
          load += ` k${i} = typeCheck(list[${i}][1][1]);`;
          locals.push(`k${i}`);
        } else {
          test = `if (!(k${i}[G] || k${i})(x, d + 1)) return false;`;
          load += ` k${i} = k[${i}];`;
          locals.push(`k${i}`);
        }
      }
    }
    cases += `      case ${order.length - 1}: { const x = v[key]; if (x === undefined) continue; ${optional ? 'if (x === null) continue;' : 'seen++;'} ${test} continue; }\n`;
  });
  const source = `"use strict";
let ready = false;${locals.length ? ` let ${locals.join(', ')};` : ''}
return function record(v, d) {
  if (d >= c.limit || typeof v !== "object" || v === null || getPrototypeOf(v) !== objectPrototype) return false;
  if (!ready) { const k = fill();${load} ready = true; }
  let seen = 0;
  let next = 0;
  for (const key in v) {
    let j = next;
    while (j < ${order.length} && order[j] !== key) j++;
    if (j < ${order.length}) next = j + 1;
    else {
      const at = position.get(key);
      if (at === undefined) ${strict ? 'return false;' : 'continue;'}
      j = at;
    }
    switch (j) {
${cases}    }
  }
  return seen === ${required};
};`;
  const make = functionOf(['c', 'fill', 'typeCheck', 'list', 'enums', 'order', 'position', 'G', 'isInteger', 'isArray', 'getPrototypeOf', 'objectPrototype'], source);
  return make?.(c, fill, typeCheck, list, enums, order, new Map(order.map((name, j) => [name, j])), GENERATED, Number.isInteger, Array.isArray, Object.getPrototypeOf, Object.prototype);
}

/** A union's check as a function of its own: a call of each member's check at a place of its own. */
function generatedUnionCheck(byTag: ReadonlyMap<string, Passes>): Passes | undefined {
  const tags = [...byTag.keys()];
  const source = `"use strict";
const [${tags.map((_, i) => `m${i}`).join(', ')}] = members;
return function union(v, d) {
  if (typeof v !== "object" || v === null || isArray(v)) return false;
  switch (v.type) {
${tags.map((tag, i) => `    case ${JSON.stringify(tag)}: return (m${i}[G] || m${i})(v, d);\n`).join('')}    default: return false;
  }
};`;
  return functionOf(['members', 'G', 'isArray'], source)?.([...byTag.values()], GENERATED, Array.isArray);
}

/**
 * `new Function(...params, source)`, or undefined where the platform cannot make code from strings: an
 * EvalError under a content security policy or on Cloudflare Workers, a TypeError under Trusted Types in some
 * browsers. After one refusal the closures do all the work. (A source of ours that did not compile would end the
 * same way, and the tests that find the generated checks in use would fail.)
 */
function functionOf(params: readonly string[], source: string): ((...args: unknown[]) => Passes) | undefined {
  try {
    return new Function(...params, source) as (...args: unknown[]) => Passes;
  } catch {
    codeFromStrings = false;
    return undefined;
  }
}

const KIND_OTHER = 0;
const KIND_STRING = 1;
const KIND_INT = 2;
const KIND_BOOL = 3;
const KIND_NULLABLE_STRING = 4;
const KIND_LIT = 5;
const KIND_ENUM = 6;
/** A union member's tag, already read by the union. */
const KIND_TAG = 7;
/** How many places of a record's key order are remembered (see `fields`). */
const CACHED_KEYS = 64;

/** A field type checked inline by compileSchema's records, or KIND_OTHER. */
function primitiveKind(t: SchemaType): number {
  if (t === 'string' || t === 'time') return KIND_STRING;
  if (t === 'int') return KIND_INT;
  if (t === 'bool') return KIND_BOOL;
  if (typeof t === 'object' && t[0] === 'opt' && (t[1] === 'string' || t[1] === 'time')) return KIND_NULLABLE_STRING;
  return KIND_OTHER;
}

/** Whether `value` plainly passes (see Passes); any doubt, a stack too small included, answers false. */
function plainlyPasses(schema: Schema, start: SchemaType | 'ChatResponse' | 'ChatEvent', value: unknown, strict: boolean, maxDepth: number): boolean {
  let both = compiledSchemas.get(schema);
  if (!both) compiledSchemas.set(schema, (both = {}));
  const c = strict ? (both.strict ??= compileSchema(schema, true)) : (both.lenient ??= compileSchema(schema, false));
  c.limit = maxDepth;
  // An enumerable key on Object.prototype would reach every record's for...in: then only the walk answers.
  for (const _ in Object.prototype) return false;
  const check = start === 'ChatResponse' ? c.responses : start === 'ChatEvent' ? c.events : typeof start === 'object' && start[0] === 'ref' ? c.ref(start[1]) : c.type(start);
  try {
    return check(value, 0);
  } catch (e) {
    if (e instanceof RangeError) return false;
    throw e;
  }
}

/** Checks `value` against the schema, starting with `start`; returns it unchanged or throws DecodeError. */
export function decodeWith(schema: Schema, start: SchemaType | 'ChatResponse' | 'ChatEvent', value: unknown, options: DecodeOptions = {}): unknown {
  if (plainlyPasses(schema, start, value, options.strict === true, options.maxDepth ?? DEFAULT_MAX_DEPTH)) return value;
  return walkWith(schema, start, value, options);
}

/**
 * decodeWith's answer by walking the tables with the path at hand, value by value: the same result, slower.
 * decodeWith comes here for every value it cannot plainly pass; the tests hold the two to the same answers.
 */
export function walkWith(schema: Schema, start: SchemaType | 'ChatResponse' | 'ChatEvent', value: unknown, options: DecodeOptions = {}): unknown {
  const strict = options.strict === true;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  // The path is kept as a stack of segments and written out only for an error or a warning.
  const path: (string | number)[] = [];
  const where = () => '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('');
  const fail = (expected: string, found: unknown): never => {
    throw new DecodeError(where(), expected, describe(found));
  };
  const unknownValue = (kind: 'tag' | 'value', owner: string, v: string) => {
    if (strict) fail(`one of the ${kind}s of ${owner}`, v);
    options.onWarning?.({ path: where(), message: `unknown ${kind} of ${owner}: ${JSON.stringify(v)} (kept)` });
  };

  const fields = (v: unknown, list: readonly SchemaField[], what: string): void => {
    if (!isObject(v)) return fail(what, v);
    for (const [name, t, optional] of list) {
      const x = field(v, name);
      if (x === undefined || (x === null && optional)) {
        if (!optional) {
          path.push(name);
          fail(typeof t === 'object' && t[0] === 'lit' ? `"${t[1]}"` : `the required field "${name}"`, x);
        }
        continue;
      }
      path.push(name);
      check(t, x);
      path.pop();
    }
    if (strict)
      for (const key of Object.keys(v))
        if (!list.some(([name]) => name === key)) {
          path.push(key);
          fail(`no field "${key}" (${what} has no such field)`, v[key]);
        }
  };

  const tagged = (v: unknown, members: { readonly [tag: string]: readonly SchemaField[] }, what: string): void => {
    if (!isObject(v)) return fail(what, v);
    const tag = field(v, 'type');
    if (typeof tag !== 'string') {
      path.push('type');
      return fail(`the tag of ${what} (a string)`, tag);
    }
    const member = Object.prototype.hasOwnProperty.call(members, tag) ? members[tag] : undefined;
    if (member) return fields(v, member, `${what} "${tag}"`);
    path.push('type');
    unknownValue('tag', what, tag);
    path.pop();
  };

  const check = (t: SchemaType, v: unknown): void => {
    if (path.length > maxDepth) fail(`a value nested at most ${maxDepth} deep`, v);
    if (typeof t === 'string') {
      switch (t) {
        case 'string':
        case 'time':
          if (typeof v !== 'string') fail(PRIMITIVE_NAMES[t]!, v);
          return;
        case 'int':
          if (typeof v !== 'number' || !Number.isInteger(v)) fail('an integer', v);
          return;
        case 'number':
          if (typeof v !== 'number' || !Number.isFinite(v)) fail('a number', v);
          return;
        case 'bool':
          if (typeof v !== 'boolean') fail('a boolean', v);
          return;
        case 'object':
          if (!isObject(v)) fail('a JSON object', v);
          return;
        case 'any':
          return;
      }
    }
    switch (t[0]) {
      case 'opt':
        if (v !== null) check(t[1], v);
        return;
      case 'lit':
        if (v !== t[1]) fail(`"${t[1]}"`, v);
        return;
      case 'list': {
        if (!Array.isArray(v)) return fail('an array', v);
        const element = t[1];
        for (let i = 0; i < v.length; i++) {
          path.push(i);
          check(element, v[i]);
          path.pop();
        }
        return;
      }
      case 'map': {
        if (!isObject(v)) return fail('an object (a map)', v);
        const intKeys = t[1] === 'int';
        for (const key of Object.keys(v)) {
          path.push(key);
          if (intKeys && !INT_KEY.test(key)) fail('an integer key', key);
          check(t[2], v[key]);
          path.pop();
        }
        return;
      }
      case 'ref': {
        const entry = schema.types[t[1]];
        if (!entry) return; // declared opaquely: anything goes
        switch (entry.kind) {
          case 'record':
            return fields(v, entry.fields, t[1]);
          case 'union':
            return tagged(v, entry.members, t[1]);
          case 'enum':
            if (typeof v !== 'string') return fail(`a ${t[1]} value (a string)`, v);
            if (!entry.values.includes(v)) unknownValue('value', t[1], v);
            return;
        }
      }
    }
  };

  try {
    if (start === 'ChatResponse') tagged(value, schema.responses, 'ChatResponse');
    else if (start === 'ChatEvent') tagged(value, schema.events, 'ChatEvent');
    else check(start, value);
  } catch (e) {
    // A stack too small for maxDepth (a caller's own limit) is still a DecodeError at its place.
    if (e instanceof RangeError) throw new DecodeError(where(), `a value nested less deep (the stack ended at depth ${path.length})`, 'deeper nesting');
    throw e;
  }
  return value;
}
