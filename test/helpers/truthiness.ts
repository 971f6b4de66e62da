/**
 * Upstream's JavaScript snippets test an optional parameter by truthiness (`ttl ? … : ''`), so `ttl: 0` and
 * `filePath: ''` are dropped; Python's `is not None` and this project's builders write them. These helpers
 * compute what the truthiness test keeps.
 */
import type { ApiModel, Field, TypeExpr } from '../../src/model/types.js';
import { unwrapOptional } from '../../src/parse/typeExpr.js';
import type { SyntaxNode } from '../../src/syntax/ast.js';

/** Parameters that a syntax writes only when present (`[...]`), excluding optional bools (tested by type). */
export function truthinessTested(node: SyntaxNode, fields: readonly Field[], out: string[] = []): string[] {
  if (node.kind === 'optional') {
    const f = fields.find((x) => x.name === node.name);
    const base = f && unwrapOptional(f.type).type;
    if (!(base?.kind === 'primitive' && base.name === 'bool')) out.push(node.name);
  }
  if (node.kind === 'seq') node.items.forEach((n) => truthinessTested(n, fields, out));
  if (node.kind === 'tagGuard') truthinessTested(node.body, fields, out);
  return out;
}

/**
 * The values with every falsy optional that a truthiness test drops (at the top level and inside values of
 * types with a syntax of their own) removed.
 */
export function withoutFalsyOptionals(model: ApiModel, values: Record<string, unknown>, fields: readonly Field[], syntax: SyntaxNode): Record<string, unknown> {
  const types = new Map(model.types.map((t) => [t.name, t]));
  const visit = (value: unknown, type: TypeExpr): unknown => {
    if (value === null || value === undefined) return value;
    const base = unwrapOptional(type).type;
    if (base.kind === 'list' && Array.isArray(value)) return value.map((v) => visit(v, base.element));
    if (base.kind !== 'ref') return value;
    const t = types.get(base.name);
    if (!t || t.kind === 'enum' || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const memberFields = t.kind === 'record' ? t.fields : (t.members.find((m) => m.tag === obj.type)?.fields ?? []);
    return strip(obj, memberFields, t.syntax?.ast ? truthinessTested(t.syntax.ast, memberFields) : []);
  };
  const strip = (obj: Record<string, unknown>, fs: readonly Field[], names: readonly string[]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (names.includes(k) && (v === 0 || v === '')) continue;
      const f = fs.find((x) => x.name === k);
      out[k] = f ? visit(v, f.type) : v;
    }
    return out;
  };
  return strip(values, fields, truthinessTested(syntax, fields));
}
