/**
 * Renders a bound syntax tree as the JavaScript and Python expressions that build the command string, in the
 * conventions of the upstream documents (which changed between eras, see `SnippetEra`).
 */
import type { TypeExpr } from '../model/types.js';
import { unwrapOptional } from '../parse/typeExpr.js';
import { escapeInvisible } from '../emit/escape.js';
import type { SyntaxNode } from './ast.js';

/**
 * How `<str(p)>` is rendered:
 * - `seed`:   `p.toString()`          / `str(p)`
 * - `mid`:    `ChatRef.cmdString(p)`  / `str(p)`
 * - `latest`: `ChatRef.cmdString(p)`  / `ChatRef_cmd_string(p)`
 */
export type SnippetEra = 'seed' | 'mid' | 'latest';
export const SNIPPET_ERAS: readonly SnippetEra[] = ['seed', 'mid', 'latest'];

export interface SnippetStyle {
  js: 'toString' | 'cmdString';
  python: 'str' | 'cmd_string';
}

export const ERA_STYLES: Record<SnippetEra, SnippetStyle> = {
  seed: { js: 'toString', python: 'str' },
  mid: { js: 'cmdString', python: 'str' },
  latest: { js: 'cmdString', python: 'cmd_string' },
};

/** Parameter types by name, which decide `str(x)` against `x` in Python and the type whose syntax `<str(x)>` uses. */
export type ParamTypes = ReadonlyMap<string, TypeExpr>;

/** A rendered part: literals are kept apart so that adjacent ones can be merged (JavaScript) or not (Python). */
type Part = { literal: string } | { code: string };

/**
 * How JavaScript reaches parameters and types. The documented snippets use bare names and test presence by
 * truthiness; generated builders read `self.x`, qualify types, and test presence with `!== undefined` so that
 * `ttl: 0` and `''` are written rather than dropped.
 */
export interface JsOptions {
  style: SnippetStyle['js'];
  access: (name: string) => string;
  /** The expression naming a type whose `cmdString` renders `<str(p)>`, or undefined when the type is unknown. */
  typeRef: (typeName: string) => string | undefined;
  presence: 'truthy' | 'defined';
  /** Parameters of unknown type, concatenated through `String(...)` so that they type-check. */
  opaque: (name: string) => boolean;
}

export function renderJavaScript(node: SyntaxNode, types: ParamTypes, style: SnippetStyle['js'] | JsOptions): string {
  const options: JsOptions =
    typeof style === 'string' ? { style, access: (n) => n, typeRef: (t) => t, presence: 'truthy', opaque: () => false } : style;
  return new JsRenderer(types, options).expr(node, true);
}

/**
 * How Python reaches parameters. The documented snippets use bare names, `json.dumps` and `str(x)` throughout;
 * generated builders bind parameters to locals first and, in `builder` mode, write values exactly as the
 * TypeScript builders do (compact JSON, `true`/`false`, lists joined by `,`).
 */
export interface PyOptions {
  style: SnippetStyle['python'];
  access: (name: string) => string;
  json: (expr: string) => string;
  /** The function rendering `<str(p)>` for a type, or undefined to fall back to `str(p)`. */
  typeFn: (typeName: string) => string | undefined;
  builder: boolean;
}

export function renderPython(node: SyntaxNode, types: ParamTypes, style: SnippetStyle['python'] | PyOptions): string {
  const options: PyOptions =
    typeof style === 'string' ? { style, access: (n) => n, json: (e) => `json.dumps(${e})`, typeFn: (t) => `${t}_cmd_string`, builder: false } : style;
  return new PyRenderer(types, options).expr(node, true);
}

const QUOTED_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A single-quoted string literal, safe for any text, that JavaScript and Python read alike (Python source may
 * not hold a NUL byte at all, even inside a string literal: every invisible character is escaped).
 */
export function jsString(s: string): string {
  return `'${escapeInvisible(s.replace(/[\\'\n\r\t]/g, (c) => QUOTED_ESCAPES[c]!))}'`;
}

/** A Python string literal in single quotes: the same escapes serve both languages. */
export const pyString = jsString;

/** The type a parameter of type `t` refers to (optional or not), if it is a reference. */
export function typeName(t: TypeExpr | undefined): string | undefined {
  const base = t && unwrapOptional(t).type;
  return base?.kind === 'ref' ? base.name : undefined;
}

function isString(t: TypeExpr | undefined): boolean {
  const base = t && unwrapOptional(t).type;
  return base?.kind === 'primitive' && base.name === 'string';
}

abstract class Renderer {
  constructor(readonly types: ParamTypes) {}
  abstract literal(s: string): string;
  abstract mergeLiterals: boolean;
  /** The construct itself, without the parentheses it needs inside a concatenation. */
  protected abstract bare(node: SyntaxNode): string;

  /** A node as parts of a concatenation: a bool's label is a literal of its own (Python writes it apart). */
  part(node: SyntaxNode): Part[] {
    switch (node.kind) {
      case 'seq':
        return node.items.flatMap((n) => this.part(n));
      case 'text':
        return [{ literal: node.value }];
      case 'bool':
        return [...(node.label ? [{ literal: node.label }] : []), { code: `(${this.bare(node)})` }];
      default:
        return [{ code: this.wrapped(node) }];
    }
  }

  protected wrapped(node: SyntaxNode): string {
    const bare = this.bare(node);
    return needsParens(node) ? `(${bare})` : bare;
  }

  /** A single construct at the top of an expression is written without its parentheses. */
  unwrap(node: SyntaxNode): string {
    return node.kind === 'seq' && node.items.length === 1 ? this.unwrap(node.items[0]!) : this.bare(node);
  }

  /** Renders a node; `top` is the whole expression (never parenthesised). */
  expr(node: SyntaxNode, top: boolean): string {
    const parts = node.kind === 'seq' ? node.items.flatMap((n) => this.part(n)) : this.part(node);
    if (parts.length === 0) return this.literal('');
    if (parts.length === 1) {
      const only = parts[0]!;
      if ('literal' in only) return this.literal(only.literal);
      return top ? this.unwrap(node) : only.code;
    }
    const merged: Part[] = [];
    for (const p of parts) {
      const last = merged[merged.length - 1];
      if (this.mergeLiterals && last && 'literal' in last && 'literal' in p) last.literal += p.literal;
      else merged.push({ ...p });
    }
    return merged.map((p) => ('literal' in p ? this.literal(p.literal) : p.code)).join(' + ');
  }
}

class JsRenderer extends Renderer {
  mergeLiterals = true;
  constructor(
    types: ParamTypes,
    readonly o: JsOptions,
  ) {
    super(types);
  }
  private v(name: string): string {
    return this.o.access(name);
  }
  private plain(name: string): string {
    return this.o.opaque(name) ? `String(${this.v(name)})` : this.v(name);
  }
  literal(s: string): string {
    return jsString(s);
  }
  protected bare(node: SyntaxNode): string {
    switch (node.kind) {
      case 'seq':
      case 'text':
        return this.expr(node, false);
      case 'param': {
        if (node.form === 'json') return `JSON.stringify(${this.v(node.name)})`;
        if (node.form === 'str') {
          const t = typeName(this.types.get(node.name));
          const ref = t === undefined ? undefined : this.o.typeRef(t);
          if (this.o.style === 'toString') return `${this.v(node.name)}.toString()`;
          return ref === undefined ? `String(${this.v(node.name)})` : `${ref}.cmdString(${this.v(node.name)})`;
        }
        return this.plain(node.name);
      }
      case 'join':
        return `${this.v(node.name)}.join(${jsString(node.separator)})`;
      case 'bool':
        return `${this.v(node.name)} ? 'on' : 'off'`;
      case 'flag':
        return `${node.when ? '' : '!'}${this.v(node.name)} ? ${jsString(node.text)} : ''`;
      case 'optional': {
        const body = this.expr(node.body, false);
        const opt = unwrapOptional(this.types.get(node.name) ?? { kind: 'primitive', name: '' });
        // An optional bool must distinguish false from absent.
        if (node.body.kind === 'bool' && opt.type.kind === 'primitive' && opt.type.name === 'bool')
          return `typeof ${this.v(node.name)} == 'boolean' ? ${body} : ''`;
        const test = this.o.presence === 'truthy' ? this.v(node.name) : `${this.v(node.name)} !== undefined`;
        return `${test} ? ${body} : ''`;
      }
      case 'enum':
        return this.plain(node.name);
      case 'valueMap':
        return [...node.cases.map((c) => `${this.v(node.name)} == ${jsString(c.value)} ? ${jsString(c.text)}`), jsString(node.fallback)].join(' : ');
      case 'tagGuard':
        return `${node.absent.map((t) => `${this.v(node.name)} == ${jsString(t)} ? ''`).join(' : ')} : ${this.wrapped(node.body)}`;
    }
  }
}

class PyRenderer extends Renderer {
  mergeLiterals = false;
  constructor(
    types: ParamTypes,
    readonly o: PyOptions,
  ) {
    super(types);
  }
  literal(s: string): string {
    return pyString(s);
  }
  private v(name: string): string {
    return this.o.access(name);
  }
  /** A parameter's value as text. */
  private value(name: string): string {
    const t = this.types.get(name);
    if (isString(t)) return this.v(name);
    const base = t && unwrapOptional(t).type;
    if (this.o.builder && base?.kind === 'list') return `','.join(map(str, ${this.v(name)}))`;
    if (this.o.builder && base?.kind === 'primitive' && base.name === 'bool') return `('true' if ${this.v(name)} else 'false')`;
    return `str(${this.v(name)})`;
  }
  /** A parameter compared with a literal: builders compare the value itself, so that type checkers narrow. */
  private compared(name: string): string {
    return this.o.builder ? this.v(name) : this.value(name);
  }
  protected bare(node: SyntaxNode): string {
    switch (node.kind) {
      case 'seq':
      case 'text':
        return this.expr(node, false);
      case 'param':
        if (node.form === 'json') return this.o.json(this.v(node.name));
        if (node.form === 'str') {
          const t = typeName(this.types.get(node.name));
          const fn = t === undefined ? undefined : this.o.typeFn(t);
          return this.o.style === 'cmd_string' && fn ? `${fn}(${this.v(node.name)})` : `str(${this.v(node.name)})`;
        }
        return this.value(node.name);
      case 'join': {
        const list = unwrapOptional(this.types.get(node.name) ?? { kind: 'primitive', name: '' }).type;
        const strings = list.kind === 'list' && isString(list.element);
        return `${pyString(node.separator)}.join(${strings ? this.v(node.name) : `map(str, ${this.v(node.name)})`})`;
      }
      case 'bool':
        return `'on' if ${this.v(node.name)} else 'off'`;
      case 'flag':
        return `${pyString(node.text)} if ${node.when ? '' : 'not '}${this.v(node.name)} else ''`;
      case 'optional':
        return `(${this.expr(node.body, false)}) if ${this.v(node.name)} is not None else ''`;
      case 'enum':
        return this.value(node.name);
      case 'valueMap':
        return [...node.cases.map((c) => `${pyString(c.text)} if ${this.compared(node.name)} == ${pyString(c.value)}`), pyString(node.fallback)].join(' else ');
      case 'tagGuard':
        return `${node.absent.map((t) => `'' if ${this.compared(node.name)} == ${pyString(t)}`).join(' else ')} else ${this.wrapped(node.body)}`;
    }
  }
}

/** Constructs that are conditional expressions, which need parentheses inside a concatenation. */
function needsParens(node: SyntaxNode): boolean {
  return node.kind === 'flag' || node.kind === 'optional' || node.kind === 'valueMap' || node.kind === 'tagGuard';
}
