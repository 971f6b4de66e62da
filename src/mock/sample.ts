/**
 * Values drawn from the decode schema, deterministically from a seed: valid by construction (every required
 * field present, every tag and enum value known), so that they pass the decoders in strict mode. The mock chat
 * core fills its answers with them; the tests draw from them too.
 */
import type { Schema, SchemaField, SchemaType } from '../runtime/decoder.js';

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

const WORDS = ['hello', 'bot', 'SimpleX', 'a b', "it's", 'say "hi"', 'back\\slash', '日本語', 'émoji 🎉', ''];

/** Beyond this depth only what is required is drawn (lists empty, optionals absent), so that drawing ends. */
const SHALLOW = 3;

export class Sampler {
  private readonly random: () => number;
  constructor(
    private readonly schema: Schema,
    seed: number,
  ) {
    this.random = seededRandom(seed);
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
      if (optional && (depth >= SHALLOW || this.random() < 0.5)) continue;
      out[name] = this.value(type, depth + 1);
    }
    return out;
  }

  /** A member of a tagged union: any, or when deep the one with the fewest required fields. */
  member(members: { readonly [tag: string]: readonly SchemaField[] }, depth: number, tag?: string): Record<string, unknown> {
    const tags = Object.keys(members);
    const chosen =
      tag ?? (depth >= SHALLOW ? tags.reduce((a, b) => (members[b]!.filter((f) => !f[2]).length < members[a]!.filter((f) => !f[2]).length ? b : a)) : this.pick(tags));
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
          return this.pick(WORDS);
        case 'int':
          return this.int();
        case 'number':
          return Math.floor(this.random() * 4000 - 2000) / 4;
        case 'bool':
          return this.random() < 0.5;
        case 'time':
          return new Date(Date.UTC(2024, 0, 1) + Math.floor(this.random() * 1e10)).toISOString();
        case 'object':
          return depth >= SHALLOW ? {} : { key: this.pick(WORDS), n: this.int() };
        case 'any':
          return this.pick(WORDS);
      }
    }
    switch (t[0]) {
      case 'lit':
        return t[1];
      case 'opt':
        return depth >= SHALLOW || this.random() < 0.3 ? null : this.value(t[1], depth);
      case 'list': {
        const n = depth >= SHALLOW ? 0 : Math.floor(this.random() * 3);
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
        if (!entry) return this.pick(WORDS);
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
