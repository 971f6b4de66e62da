/** Type expressions as Python annotations (typing module), with widths kept for a trailing comment. */
import type { TypeExpr } from '../../model/types.js';
import { unwrapOptional } from '../../parse/typeExpr.js';
import { escapeInvisible, jsonString } from '../escape.js';

const PRIMITIVES: Record<string, { py: string; note?: string }> = {
  string: { py: 'str' },
  bool: { py: 'bool' },
  JSONObject: { py: 'dict[str, Any]' },
  UTCTime: { py: 'str', note: 'ISO-8601 timestamp' },
  double: { py: 'float', note: 'double' },
  float: { py: 'float', note: 'float' },
};
const INTEGER = /^(int|int8|int16|int32|int64|word|word8|word16|word32|word64|integer)$/;

export interface PyTypeText {
  type: string;
  notes: string[];
  optional: boolean;
}

export type PyQualify = (typeName: string) => string;

export function pyTypeOf(t: TypeExpr, qualify: PyQualify): PyTypeText {
  const { type, optional } = unwrapOptional(t);
  const notes: string[] = [];
  const text = render(type, qualify, notes);
  return { type: text, notes: [...new Set(notes)], optional };
}

function render(t: TypeExpr, qualify: PyQualify, notes: string[]): string {
  switch (t.kind) {
    case 'primitive': {
      const p = PRIMITIVES[t.name];
      if (p) {
        if (p.note) notes.push(p.note);
        return p.py;
      }
      notes.push(t.name);
      return INTEGER.test(t.name) ? 'int' : 'Any';
    }
    case 'ref':
      return qualify(t.name);
    case 'literal':
      return `Literal[${jsonString(t.value)}]`;
    case 'list':
      return `list[${render(t.element, qualify, notes)}]`;
    case 'optional':
      return `Optional[${render(t.inner, qualify, notes)}]`;
    case 'map':
      return `dict[${render(t.key, qualify, notes) === 'int' ? 'int' : 'str'}, ${render(t.value, qualify, notes)}]`;
  }
}

/** A docstring literal for `text`, indented for a body at `indent`; safe for quotes and backslashes. */
export function pyDocstring(text: string, indent: string): string {
  const body = text
    .replace(/\r\n?/g, '\n')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"');
  // Python source may not hold NUL bytes; other invisible characters are shown escaped too.
  return docstringOf(escapeInvisible(body), indent);
}

function docstringOf(body: string, indent: string): string {
  const lines = body.split('\n');
  if (lines.length === 1) return `"""${body}"""`;
  return `"""${lines.map((l, i) => (i === 0 || l === '' ? l : indent + l)).join('\n')}\n${indent}"""`;
}
