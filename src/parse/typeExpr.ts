/**
 * Type expressions as the documents write them:
 *   string | int64 | [User](./TYPES.md#user) | [[ChatItem](#chatitem)] | {string : int64} | "tag" | X?
 * Parsed into `TypeExpr` trees; a failure says at which column and what was expected.
 */
import type { TypeExpr } from '../model/types.js';

export interface TypeExprError {
  /** 0-based offset into the parsed text. */
  offset: number;
  message: string;
  expected: string;
}

export type TypeExprResult = { ok: true; type: TypeExpr } | { ok: false; error: TypeExprError };

/** Nesting deeper than this is certainly not an API type; the limit keeps hostile input from exhausting the stack. */
const MAX_DEPTH = 32;

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

export function parseTypeExpr(text: string): TypeExprResult {
  let i = 0;
  const fail = (message: string, expected: string): never => {
    throw { offset: i, message, expected } satisfies TypeExprError;
  };

  const ident = (): string => {
    IDENT.lastIndex = i;
    const m = IDENT.exec(text);
    if (!m) return fail(`unexpected ${describe(text[i])} in type`, 'a type name');
    i += m[0].length;
    return m[0];
  };

  const expect = (s: string, expected = `"${s}"`) => {
    if (!text.startsWith(s, i)) fail(`unexpected ${describe(text[i])} in type`, expected);
    i += s.length;
  };

  const expr = (depth: number): TypeExpr => {
    if (depth > MAX_DEPTH) fail(`type nests deeper than ${MAX_DEPTH} levels`, 'a flatter type');
    const t = base(depth);
    if (text[i] !== '?') return t;
    i++;
    // `X??` says nothing `X?` does not, and a run of them would nest without bound.
    if (text[i] === '?') fail('"?" is repeated', 'a single "?" marking the type optional');
    return { kind: 'optional', inner: t };
  };

  const base = (depth: number): TypeExpr => {
    const c = text[i];
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) fail('unterminated string literal', 'a closing `"`');
      const value = text.slice(i + 1, end);
      i = end + 1;
      return { kind: 'literal', value };
    }
    if (c === '{') {
      i++;
      const key = expr(depth + 1);
      expect(' : ', '" : " between the key and value types of a map');
      const value = expr(depth + 1);
      expect('}', '"}" closing the map type');
      return { kind: 'map', key, value };
    }
    if (c === '[') {
      // `[Name](href)` is a link to a type; any other `[` opens a list.
      IDENT.lastIndex = i + 1;
      const m = IDENT.exec(text);
      if (m && text.startsWith('](', i + 1 + m[0].length)) {
        const hrefStart = i + 1 + m[0].length + 2;
        const close = text.indexOf(')', hrefStart);
        if (close < 0) {
          i = hrefStart;
          fail('unterminated link', '")" closing the link target');
        }
        const href = text.slice(hrefStart, close);
        i = close + 1;
        return { kind: 'ref', name: m[0], href };
      }
      i++;
      const element = expr(depth + 1);
      expect(']', '"]" closing the list type');
      return { kind: 'list', element };
    }
    return { kind: 'primitive', name: ident() };
  };

  try {
    const type = expr(0);
    if (i < text.length) fail(`unexpected ${describe(text[i])} after the type`, 'end of the type');
    return { ok: true, type };
  } catch (e) {
    return { ok: false, error: e as TypeExprError };
  }
}

function describe(c: string | undefined): string {
  return c === undefined ? 'end of text' : `"${c}"`;
}

/**
 * Writes a type expression back in the documents' own notation; `ref` decides how a type reference is written
 * (by default as the link the documents have, `[User](./TYPES.md#user)`; messages write it shorter).
 */
export function formatTypeExpr(t: TypeExpr, ref: (name: string, href: string) => string = (name, href) => `[${name}](${href})`): string {
  const format = (u: TypeExpr): string => {
    switch (u.kind) {
      case 'primitive':
        return u.name;
      case 'ref':
        return ref(u.name, u.href);
      case 'list':
        return `[${format(u.element)}]`;
      case 'optional':
        return `${format(u.inner)}?`;
      case 'map':
        return `{${format(u.key)} : ${format(u.value)}}`;
      case 'literal':
        return `"${u.value}"`;
    }
  };
  return format(t);
}

/** Strips one level of `?`. */
export function unwrapOptional(t: TypeExpr): { type: TypeExpr; optional: boolean } {
  return t.kind === 'optional' ? { type: t.inner, optional: true } : { type: t, optional: false };
}

/** Every type name a type expression references. */
export function refsOf(t: TypeExpr, out: { name: string; href: string }[] = []): { name: string; href: string }[] {
  switch (t.kind) {
    case 'ref':
      out.push({ name: t.name, href: t.href });
      break;
    case 'list':
      refsOf(t.element, out);
      break;
    case 'optional':
      refsOf(t.inner, out);
      break;
    case 'map':
      refsOf(t.key, out);
      refsOf(t.value, out);
      break;
  }
  return out;
}
