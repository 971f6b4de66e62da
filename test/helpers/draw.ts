/**
 * fast-check arbitraries for parameter values, drawn from the model's own types: every enum value, both
 * booleans, absent and present optionals, empty and non-empty strings, and 0 are all in reach.
 */
import fc from 'fast-check';
import type { ApiModel, Field, TypeDoc, TypeExpr } from '../../src/model/types.js';
import { unwrapOptional } from '../../src/parse/typeExpr.js';

/** Characters that stress escaping: quotes, backslashes, template and comment markers, non-ASCII. */
const CHARS = [...'ab Z09_-.\'"\\{}$*/日é'];
export const arbText = fc.oneof(fc.constant(''), fc.string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 6 }));
const INT = fc.oneof(fc.constant(0), fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 2_000_000_000 }));

export interface DrawOptions {
  /** List parameters the syntax joins: drawn non-empty. */
  nonEmpty?: ReadonlySet<string>;
  /** Optional parameters the syntax uses outside `[...]`: always drawn present. */
  alwaysPresent?: ReadonlySet<string>;
}

/** Text as the chat core reads a word of a command (a link, an id): no spaces. */
export const arbWord = fc.oneof(fc.constant(''), fc.string({ unit: fc.constantFrom(...CHARS.filter((c) => c !== ' ')), minLength: 1, maxLength: 6 }));

export class Drawer {
  private readonly types: Map<string, TypeDoc>;
  private readonly text: fc.Arbitrary<string>;
  /** `words`: strings drawn without spaces (free text that more syntax follows cannot hold the space it stops at). */
  constructor(model: ApiModel, options: { words?: boolean } = {}) {
    this.types = new Map(model.types.map((t) => [t.name, t]));
    this.text = options.words ? arbWord : arbText;
  }

  value(t: TypeExpr, depth = 0): fc.Arbitrary<unknown> {
    switch (t.kind) {
      case 'primitive':
        return this.primitive(t.name);
      case 'literal':
        return fc.constant(t.value);
      case 'optional':
        return fc.option(this.value(t.inner, depth + 1), { nil: null });
      case 'list':
        return depth > 3 ? fc.constant([]) : fc.array(this.value(t.element, depth + 1), { maxLength: 3 });
      case 'map':
        return depth > 3 ? fc.constant({}) : fc.dictionary(fc.string({ maxLength: 4 }), this.value(t.value, depth + 1), { maxKeys: 2 });
      case 'ref':
        return this.ref(t.name, depth);
    }
  }

  private primitive(name: string): fc.Arbitrary<unknown> {
    if (name === 'string') return this.text;
    if (name === 'bool') return fc.boolean();
    if (name === 'double' || name === 'float') return fc.integer({ min: -400, max: 400 }).map((n) => n / 4);
    if (name === 'UTCTime') return fc.constantFrom('2024-01-02T03:04:05Z', '1970-01-01T00:00:00.5Z');
    if (name === 'JSONObject') return fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(this.text, INT, fc.boolean()), { maxKeys: 2 });
    if (/^(int|word)\d*$/.test(name)) return INT;
    return this.text;
  }

  private ref(name: string, depth: number): fc.Arbitrary<unknown> {
    const t = this.types.get(name);
    if (!t) return this.text;
    if (t.kind === 'enum') return fc.constantFrom(...t.values.map((v) => v.value));
    if (depth > 4) return fc.constant({});
    if (t.kind === 'record') return this.record(t.fields, depth + 1);
    if (t.members.length === 0) return fc.constant({});
    return fc.oneof(...t.members.map((m) => this.record(m.fields, depth + 1)));
  }

  /** A record value: optional fields absent or present (absent keys are left out, as JSON would). */
  record(fields: readonly Field[], depth: number, options: DrawOptions = {}): fc.Arbitrary<Record<string, unknown>> {
    const parts: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) {
      const { type, optional } = unwrapOptional(f.type);
      let arb = this.value(type, depth);
      if (options.nonEmpty?.has(f.name) && type.kind === 'list') arb = fc.array(this.value(type.element, depth + 1), { minLength: 1, maxLength: 3 });
      parts[f.name] = optional && !options.alwaysPresent?.has(f.name) ? fc.option(arb, { nil: undefined }) : arb;
    }
    return fc.record(parts).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
  }
}
