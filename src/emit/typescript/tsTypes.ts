/** Type expressions as TypeScript type text, with the documented widths (`int64`, …) kept for a trailing comment. */
import type { TypeExpr } from '../../model/types.js';
import { unwrapOptional } from '../../parse/typeExpr.js';
import { jsonString } from '../escape.js';

/** Primitives the documents use, as TypeScript types; numbers keep their width as a comment. */
const PRIMITIVES: Record<string, { ts: string; note?: string }> = {
  string: { ts: 'string' },
  bool: { ts: 'boolean' },
  JSONObject: { ts: 'object' },
  UTCTime: { ts: 'string', note: 'ISO-8601 timestamp' },
};
const NUMERIC = /^(int|int8|int16|int32|int64|word|word8|word16|word32|word64|double|float|integer|number)$/;

export interface TsTypeText {
  type: string;
  /** Width or format notes, e.g. `int64`, for a trailing comment. */
  notes: string[];
  optional: boolean;
}

export type Qualify = (typeName: string) => string;

/** True for primitive names this generator has no TypeScript type for (declared as `unknown`). */
export function isUnknownPrimitive(name: string): boolean {
  return !(name in PRIMITIVES) && !NUMERIC.test(name);
}

export function tsTypeOf(t: TypeExpr, qualify: Qualify): TsTypeText {
  const { type, optional } = unwrapOptional(t);
  const notes: string[] = [];
  const text = render(type, qualify, notes);
  return { type: text, notes: [...new Set(notes)], optional };
}

function render(t: TypeExpr, qualify: Qualify, notes: string[]): string {
  switch (t.kind) {
    case 'primitive': {
      const p = PRIMITIVES[t.name];
      if (p) {
        if (p.note) notes.push(p.note);
        return p.ts;
      }
      notes.push(t.name);
      return NUMERIC.test(t.name) ? 'number' : 'unknown';
    }
    case 'ref':
      return qualify(t.name);
    case 'literal':
      return jsonString(t.value);
    case 'list': {
      const inner = render(t.element, qualify, notes);
      return /[ |]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
    }
    case 'optional':
      // Inside lists and maps an absent value travels as JSON null.
      return `${render(t.inner, qualify, notes)} | null`;
    case 'map':
      return `{[key: ${render(t.key, qualify, notes) === 'number' ? 'number' : 'string'}]: ${render(t.value, qualify, notes)}}`;
  }
}
