/**
 * Values drawn from the decode schema, deterministically from a seed: valid by construction (every required
 * field present, every tag and enum value known), so that they pass the decoders in strict mode. The mock chat
 * core fills its answers with them; the tests draw from them too.
 */
import type { Schema, SchemaField, SchemaType } from '../runtime/decoder.js';
import { isoTime } from './isoTime.js';

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit hash (FNV-1a) of a text under a seed: answers depend on the seed and the command, not on arrival order. */
export function hash(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const WORDS = ['hello', 'bot', 'SimpleX', 'a b', "it's", 'say "hi"', 'back\\slash', '日本語', 'émoji 🎉', ''];

/**
 * Values a drawn answer should carry where a field of the same name and type appears (the mock chat core echoes
 * what a command carried: a sent message's content comes back in the new chat item). By field name.
 */
export type Echo = ReadonlyMap<string, { type: string; values: readonly unknown[] }>;

/**
 * What the chat core keeps of a value it reads into its types: documented fields only, each of its documented
 * kind; undefined when the value does not fit (a missing required field, a wrong kind, an unknown tag), so that
 * nothing the documents do not say is echoed back.
 */
export function keepDocumented(schema: Schema, t: SchemaType, v: unknown, depth = 0): unknown {
  if (v === undefined || depth > 64) return undefined;
  if (typeof t === 'string') {
    switch (t) {
      case 'string':
      case 'time':
        return typeof v === 'string' ? v : undefined;
      case 'int':
        return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
      case 'number':
        return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
      case 'bool':
        return typeof v === 'boolean' ? v : undefined;
      case 'object':
        return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
      default:
        return v;
    }
  }
  switch (t[0]) {
    case 'opt':
      return v === null ? null : keepDocumented(schema, t[1], v, depth);
    case 'lit':
      return v === t[1] ? v : undefined;
    case 'list': {
      if (!Array.isArray(v)) return undefined;
      const out = v.map((x) => keepDocumented(schema, t[1], x, depth + 1));
      return out.includes(undefined) ? undefined : out;
    }
    case 'map': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const kept = keepDocumented(schema, t[2], x, depth + 1);
        if (kept === undefined) return undefined;
        out[k] = kept;
      }
      return out;
    }
    case 'ref': {
      const entry = schema.types[t[1]];
      if (!entry) return v;
      if (entry.kind === 'enum') return typeof v === 'string' && entry.values.includes(v) ? v : undefined;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
      const record = v as Record<string, unknown>;
      let fields: readonly SchemaField[];
      const out: Record<string, unknown> = {};
      if (entry.kind === 'record') fields = entry.fields;
      else {
        const tag = record['type'];
        if (typeof tag !== 'string' || !Object.hasOwn(entry.members, tag)) return undefined;
        fields = entry.members[tag]!;
        out['type'] = tag;
      }
      for (const [name, ft, optional] of fields) {
        if (name === 'type' && out['type'] !== undefined) continue;
        const x = record[name];
        if (x === undefined || (x === null && optional)) {
          if (!optional) return undefined;
          continue;
        }
        const kept = keepDocumented(schema, ft, x, depth + 1);
        if (kept === undefined) {
          if (!optional) return undefined;
          continue;
        }
        out[name] = kept;
      }
      return out;
    }
  }
}

/**
 * A schema type's JSON, the key echoes compare types by. Remembered per type object: the
 * schema's types are shared, and a sampler (one a command) asks for the same ones thousands of times.
 */
const typeJsonOf = new WeakMap<object, string>();
function typeJson(t: SchemaType): string {
  if (typeof t === 'string') return JSON.stringify(t);
  let json = typeJsonOf.get(t);
  if (json === undefined) typeJsonOf.set(t, (json = JSON.stringify(t)));
  return json;
}

/** What an echo offers, by name and type: every field of `value` (read along `type`) with its value. */
export function echoOf(schema: Schema, fields: readonly SchemaField[], value: Readonly<Record<string, unknown>>): Echo {
  const out = new Map<string, { type: string; values: unknown[] }>();
  const add = (name: string, t: SchemaType, v: unknown) => {
    if (name === 'type' || v === undefined) return;
    const key = typeJson(t);
    const entry = out.get(name);
    if (!entry) out.set(name, { type: key, values: [v] });
    else if (entry.type === key) entry.values.push(v);
  };
  const walk = (t: SchemaType, v: unknown, depth: number): void => {
    if (depth > 8 || typeof t === 'string' || v === null || v === undefined) return;
    switch (t[0]) {
      case 'opt':
        return walk(t[1], v, depth);
      case 'list':
        if (Array.isArray(v)) for (const x of v) walk(t[1], x, depth + 1);
        return;
      case 'ref': {
        const entry = schema.types[t[1]];
        if (!entry || typeof v !== 'object' || entry.kind === 'enum') return;
        const record = v as Record<string, unknown>;
        const list = entry.kind === 'record' ? entry.fields : entry.members[String(record['type'])] ?? [];
        for (const [name, ft] of list) {
          add(name, ft, record[name]);
          walk(ft, record[name], depth + 1);
        }
      }
    }
  };
  for (const [name, t] of fields) {
    // Only what the chat core would keep of a parameter is echoed (undocumented keys are dropped).
    const kept = keepDocumented(schema, t, value[name]);
    add(name, t, kept);
    walk(t, kept, 0);
  }
  return out;
}

/** Beyond this depth only what is required is drawn (lists empty, optionals absent), so that drawing ends. */
const SHALLOW = 3;

/**
 * What an echo can reach, worked out once for each set of echoed names: a sampler is made for every command the
 * mock answers, and working it out afresh each time cost most of an answer (a millisecond for `/_get chats`).
 * `reaches(t, depth)` asks only of deeper types, so an entry never depends on the order it was asked in.
 */
interface ReachMemo {
  /** By type object, then depth. */
  byType: Map<SchemaType & object, (boolean | undefined)[]>;
  /** The first member of a union (by its members object) that can hold an echoed field, or null. */
  echoingTag: Map<object, string | null>;
}
const reachMemos = new WeakMap<Schema, Map<string, ReachMemo>>();
/** Sets of echoed names remembered for a schema: they come from the commands' parameters, so they are few. */
const MAX_ECHO_SETS = 512;

function reachMemoOf(schema: Schema, echo: Echo): ReachMemo {
  let bySet = reachMemos.get(schema);
  if (!bySet) reachMemos.set(schema, (bySet = new Map()));
  const key = [...echo.keys()].sort().join('\u0000');
  let memo = bySet.get(key);
  if (!memo) {
    if (bySet.size >= MAX_ECHO_SETS) bySet.clear();
    bySet.set(key, (memo = { byType: new Map(), echoingTag: new Map() }));
  }
  return memo;
}

export class Sampler {
  private readonly random: () => number;
  private readonly used = new Map<string, number>();
  private readonly reach: ReachMemo;
  constructor(
    private readonly schema: Schema,
    seed: number,
    private readonly echo: Echo = new Map(),
    /** The strings drawn: by default ones that stress quoting; the HTML reference's examples draw plain words. */
    private readonly words: readonly string[] = WORDS,
  ) {
    this.random = seededRandom(seed);
    this.reach = reachMemoOf(schema, echo);
  }

  /** The next echoed value for a field of this name and type, if the echo has one. */
  private echoed(name: string, t: SchemaType): { value: unknown } | undefined {
    const entry = this.echo.get(name);
    if (!entry || entry.type !== typeJson(t) || entry.values.length === 0) return undefined;
    const i = this.used.get(name) ?? 0;
    this.used.set(name, i + 1);
    return { value: entry.values[i % entry.values.length] };
  }

  /** Whether a value of `t` can hold a field the echo has (so that lists grow to carry them, unions pick them). */
  private reaches(t: SchemaType, depth = 0): boolean {
    if (this.echo.size === 0 || depth > 6 || typeof t === 'string') return false;
    let byDepth = this.reach.byType.get(t);
    if (!byDepth) this.reach.byType.set(t, (byDepth = []));
    const known = byDepth[depth];
    if (known !== undefined) return known;
    let found = false;
    if (t[0] === 'opt' || t[0] === 'list') found = this.reaches(t[1], depth + 1);
    else if (t[0] === 'ref') {
      const entry = this.schema.types[t[1]];
      const lists = !entry || entry.kind === 'enum' ? [] : entry.kind === 'record' ? [entry.fields] : Object.values(entry.members);
      found = lists.some((fs) => fs.some(([name, ft]) => this.echo.has(name) || this.reaches(ft, depth + 1)));
    }
    byDepth[depth] = found;
    return found;
  }

  private echoingTag(members: { readonly [tag: string]: readonly SchemaField[] }, tags: readonly string[]): string | undefined {
    let tag = this.reach.echoingTag.get(members);
    if (tag === undefined) this.reach.echoingTag.set(members, (tag = tags.find((t) => members[t]!.some(([name, ft]) => this.echo.has(name) || this.reaches(ft))) ?? null));
    return tag ?? undefined;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.random() * xs.length)]!;
  }

  private int(): number {
    const r = this.random();
    return r < 0.3 ? Math.floor(this.random() * 10) : r < 0.9 ? 1 + Math.floor(this.random() * 100_000) : Math.floor(this.random() * 2 ** 40);
  }

  /** A record's fields: the required ones always, optional ones half the time (none when deep). */
  fields(fields: readonly SchemaField[], depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, type, optional] of fields) {
      const echoed = this.echoed(name, type);
      if (echoed) {
        out[name] = echoed.value;
        continue;
      }
      if (optional && (depth >= SHALLOW || this.random() < 0.5)) continue;
      out[name] = this.value(type, depth + 1);
    }
    return out;
  }

  /** A member of a tagged union: any, or when deep the one with the fewest required fields. */
  member(members: { readonly [tag: string]: readonly SchemaField[] }, depth: number, tag?: string): Record<string, unknown> {
    if (tag !== undefined) return this.fields(members[tag]!, depth);
    const tags = Object.keys(members);
    const echoing = this.echo.size ? this.echoingTag(members, tags) : undefined;
    const chosen =
      echoing ??
      (depth >= SHALLOW ? tags.reduce((a, b) => (members[b]!.filter((f) => !f[2]).length < members[a]!.filter((f) => !f[2]).length ? b : a)) : this.pick(tags));
    return this.fields(members[chosen]!, depth);
  }

  response(tag: string): Record<string, unknown> {
    return this.member(this.schema.responses, 0, tag);
  }

  event(tag: string): Record<string, unknown> {
    return this.member(this.schema.events, 0, tag);
  }

  value(t: SchemaType, depth = 0): unknown {
    if (depth > 40) throw new Error('the schema nests required values without end');
    if (typeof t === 'string') {
      switch (t) {
        case 'string':
          return this.pick(this.words);
        case 'int':
          return this.int();
        case 'number':
          return Math.floor(this.random() * 4000 - 2000) / 4;
        case 'bool':
          return this.random() < 0.5;
        case 'time':
          return isoTime(Date.UTC(2024, 0, 1) + Math.floor(this.random() * 1e10));
        case 'object':
          return depth >= SHALLOW ? {} : { key: this.pick(this.words), n: this.int() };
        case 'any':
          return this.pick(this.words);
      }
    }
    switch (t[0]) {
      case 'lit':
        return t[1];
      case 'opt':
        return depth >= SHALLOW || this.random() < 0.3 ? null : this.value(t[1], depth);
      case 'list': {
        // A list that can carry echoed values is as long as the longest of them (a chat item per sent message).
        const echoed = this.reaches(t[1]) ? Math.max(1, ...[...this.echo.values()].map((e) => e.values.length)) : 0;
        const n = echoed || (depth >= SHALLOW ? 0 : Math.floor(this.random() * 3));
        return Array.from({ length: n }, () => this.value(t[1], depth + 1));
      }
      case 'map': {
        const n = depth >= SHALLOW ? 0 : Math.floor(this.random() * 3);
        const out: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) out[t[1] === 'int' ? String(this.int()) : `k${i}`] = this.value(t[2], depth + 1);
        return out;
      }
      case 'ref': {
        const entry = this.schema.types[t[1]];
        if (!entry) return this.pick(this.words);
        switch (entry.kind) {
          case 'enum':
            return this.pick(entry.values);
          case 'record':
            return this.fields(entry.fields, depth);
          case 'union':
            return this.member(entry.members, depth);
        }
      }
    }
  }
}
