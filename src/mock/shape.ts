/**
 * Values of the model's types made from what the mock world knows: the fields given are kept (read along the
 * type), the required fields not given are drawn, optional ones not given are left out, and keys the type does
 * not have in this API version are dropped, so that one world serves every era and every value decodes strictly.
 */
import type { Schema, SchemaField, SchemaType } from '../runtime/decoder.js';
import type { Sampler } from './sample.js';

export type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Marks of what a shaper made, kept on the values themselves as non-enumerable symbol keys (no copy, spread,
 * structuredClone or JSON text carries them), whose value is the shaper: a WeakSet of every chat item ever made
 * cost more to grow, and to collect, than the items (about a sixth of what a sent message cost).
 *
 * TRUSTED: values this shaper made (whole, with everything inside), used as they are when they come back, so that
 * an answer built from the world's entities costs a walk of what is new, not of every entity again. Whoever
 * changes a trusted value puts only values of the right type into it (shaped with `value`).
 * SHARED: the trusted values that many answers carry (users, contacts, groups, members), whose text is worth keeping.
 */
const TRUSTED = Symbol('shaped');
const SHARED = Symbol('shared');
const mark = (value: object, key: symbol, owner: Shaper): void => {
  Object.defineProperty(value, key, { value: owner, enumerable: false, writable: true, configurable: true });
};

export class Shaper {
  constructor(
    readonly schema: Schema,
    private readonly sampler: Sampler,
  ) {}

  /** Whether this shaper made (or adopted) `value`. */
  isTrusted(value: object): boolean {
    return (value as Record<symbol, unknown>)[TRUSTED] === this;
  }

  /** Whether this shaper made `value` as an entity that many answers carry (see `make`). */
  isShared(value: object): boolean {
    return (value as Record<symbol, unknown>)[SHARED] === this;
  }

  /**
   * A value of the named type. `shared`: many answers will carry it (a contact, a group), so its JSON text is worth
   * keeping; false for what is mostly written once (a chat item), so that no copy of its text is kept.
   */
  make(typeName: string, partial: Json = {}, shared = true): Json {
    const made = this.value(['ref', typeName], partial) as Json;
    mark(made, TRUSTED, this);
    if (shared) mark(made, SHARED, this);
    return made;
  }

  /** A response or event by its tag, or undefined when this API version has no such tag. */
  member(kind: 'responses' | 'events', partial: Json & { type: string }): Json | undefined {
    const fields = Object.hasOwn(this.schema[kind], partial.type) ? this.schema[kind][partial.type]! : undefined;
    return fields ? this.fields(fields, partial) : undefined;
  }

  /** The type of a response's or event's field in this API version, or undefined. */
  fieldType(kind: 'responses' | 'events', tag: string, field: string): SchemaType | undefined {
    const fields = Object.hasOwn(this.schema[kind], tag) ? this.schema[kind][tag]! : undefined;
    return fields?.find((f) => f[0] === field)?.[1];
  }

  /** Whether this API version has a response or event of this tag. */
  has(kind: 'responses' | 'events', tag: string): boolean {
    return Object.hasOwn(this.schema[kind], tag);
  }

  /** Whether the named record or union member has this field (it may not, in an older API version). */
  hasField(typeName: string, field: string, tag?: string): boolean {
    const entry = this.schema.types[typeName];
    if (!entry || entry.kind === 'enum') return false;
    const fields = entry.kind === 'record' ? entry.fields : tag !== undefined ? entry.members[tag] : undefined;
    return !!fields?.some((f) => f[0] === field);
  }

  /**
   * Takes `value` as made by this shaper without walking it: for values built to a template that `fits` found to
   * come through `make` unchanged in this API version.
   */
  adopt(value: Json): Json {
    mark(value, TRUSTED, this);
    return value;
  }

  /** Whether making `typeName` from `value` gives it back unchanged (every key known, nothing missing). */
  fits(typeName: string, value: Json): boolean {
    return sameValue(this.value(['ref', typeName], value), value);
  }

  fields(fields: readonly SchemaField[], partial: Json): Json {
    const out: Json = {};
    for (const [name, t, optional] of fields) {
      const given = partial[name];
      if (given !== undefined) out[name] = this.value(t, given);
      else if (!optional) out[name] = this.sampler.value(t, 3);
    }
    return out;
  }

  value(t: SchemaType, given: unknown): unknown {
    if (given === undefined) return this.sampler.value(t, 3);
    if (typeof t === 'string') return given;
    switch (t[0]) {
      case 'lit':
        return t[1];
      case 'opt':
        return given === null ? null : this.value(t[1], given);
      case 'list':
        return Array.isArray(given) ? given.map((x) => this.value(t[1], x)) : this.sampler.value(t, 3);
      case 'map':
        return isRecord(given) ? Object.fromEntries(Object.entries(given).map(([k, v]) => [k, this.value(t[2], v)])) : this.sampler.value(t, 3);
      case 'ref': {
        const entry = this.schema.types[t[1]];
        if (!entry) return given;
        if (entry.kind === 'enum') return typeof given === 'string' && entry.values.includes(given) ? given : this.sampler.value(t, 3);
        if (!isRecord(given)) return this.sampler.value(t, 3);
        if (this.isTrusted(given)) return given;
        if (entry.kind === 'record') return this.fields(entry.fields, given);
        const tag = given['type'];
        // A member this version does not have: one it has, drawn (the value still decodes).
        if (typeof tag !== 'string' || !Object.hasOwn(entry.members, tag)) return this.sampler.value(t, 3);
        return this.fields(entry.members[tag]!, given);
      }
    }
  }
}

/** Deep equality of JSON values, whatever the order of keys. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameValue((a as Json)[k], (b as Json)[k]));
}
