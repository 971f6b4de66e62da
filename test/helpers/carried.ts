/**
 * What a command string carries of the values it was built from: the parameters its syntax writes (and, for
 * `<str(p)>`, the fields the type's own syntax writes). A parser can give back exactly this, no more.
 */
import type { ApiModel } from '../../src/model/types.js';
import type { SyntaxNode } from '../../src/syntax/ast.js';

export function carried(model: ApiModel, ast: SyntaxNode, value: Record<string, unknown>): Record<string, unknown> {
  const types = new Map(model.types.map((t) => [t.name, t]));
  const project = (node: SyntaxNode, v: Record<string, unknown>, typeOf: (name: string) => string | undefined, out: Record<string, unknown>): void => {
    switch (node.kind) {
      case 'seq':
        node.items.forEach((n) => project(n, v, typeOf, out));
        return;
      case 'text':
        return;
      case 'optional':
        if (v[node.name] !== undefined) project(node.body, v, typeOf, out);
        return;
      case 'tagGuard':
        project(node.body, v, typeOf, out);
        return;
      case 'param': {
        const x = v[node.name];
        if (x === undefined) return;
        const t = node.form === 'str' ? types.get(typeOf(node.name) ?? '') : undefined;
        if (t?.syntax?.ast && t.kind !== 'enum' && typeof x === 'object' && x !== null) {
          const fields = t.kind === 'record' ? t.fields : t.members.flatMap((m) => m.fields);
          const inner: Record<string, unknown> = {};
          // A union read by its syntax comes back tagged with its member (the parser infers it).
          if (t.kind === 'union' && typeof (x as Record<string, unknown>)['type'] === 'string') inner['type'] = (x as Record<string, unknown>)['type'];
          project(t.syntax.ast, x as Record<string, unknown>, (n) => refName(fields.find((f) => f.name === n)?.type), inner);
          out[node.name] = inner;
        } else out[node.name] = x;
        return;
      }
      default:
        if (v[node.name] !== undefined) out[node.name] = v[node.name];
    }
  };
  const command = model.commands.find((c) => c.syntax.ast === ast);
  const out: Record<string, unknown> = {};
  project(ast, value, (n) => refName(command?.params?.find((p) => p.name === n)?.type), out);
  return out;
}

function refName(t: import('../../src/model/types.js').TypeExpr | undefined): string | undefined {
  while (t && t.kind === 'optional') t = t.inner;
  return t?.kind === 'ref' ? t.name : undefined;
}
