/**
 * Checks JSON from the chat core against what the documents say, forward-compatibly: required fields present,
 * primitive kinds, lists, maps, optionals, nested records, enums and unions, recursively. A value that breaks
 * the contract is a DecodeError naming the place (`$.chatItems[0].meta.itemTs`), what was expected and what
 * was found. Forward compatibility, as upstream asks of bot clients: unknown fields are kept; an unknown union
 * tag or enum value is kept as it came and reported as a warning; `strict` rejects all three instead.
 *
 * Values are checked in place and returned as they are (nothing is copied). This file is self-contained: the
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
const INT_KEY = /^-?[0-9]+$/;

/** Checks `value` against the schema, starting with `start`; returns it unchanged or throws DecodeError. */
export function decodeWith(schema: Schema, start: SchemaType | 'ChatResponse' | 'ChatEvent', value: unknown, options: DecodeOptions = {}): unknown {
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
      const x = v[name];
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
    const tag = v['type'];
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
