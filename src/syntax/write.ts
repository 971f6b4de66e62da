/**
 * Writes a command string from parameter values by walking the bound syntax tree: what the generated
 * `cmdString` builders compute, without generating them (the HTML reference shows example command strings).
 */
import type { TypeDoc } from '../model/types.js';
import { unwrapOptional } from '../parse/typeExpr.js';
import type { SyntaxNode } from './ast.js';
import { paramTypesOf, typeSyntaxParams } from './snippets.js';
import { typeName, type ParamTypes } from './render.js';

/** The string `node` writes for `values`, as the TypeScript builder of its owner writes it. */
export function writeSyntax(node: SyntaxNode, values: Readonly<Record<string, unknown>>, types: ParamTypes, typeDocs: ReadonlyMap<string, TypeDoc>): string {
  const v = (name: string): unknown => (Object.hasOwn(values, name) ? values[name] : undefined);
  switch (node.kind) {
    case 'seq':
      return node.items.map((n) => writeSyntax(n, values, types, typeDocs)).join('');
    case 'text':
      return node.value;
    case 'param': {
      const value = v(node.name);
      if (node.form === 'json') return JSON.stringify(value) ?? 'undefined';
      if (node.form === 'str') {
        const name = typeName(types.get(node.name));
        const doc = name === undefined ? undefined : typeDocs.get(name);
        if (doc?.syntax?.ast) return writeTypeSyntax(doc, value, typeDocs);
      }
      return String(value);
    }
    case 'join':
      return (v(node.name) as unknown[]).join(node.separator);
    case 'bool':
      return node.label + (v(node.name) ? 'on' : 'off');
    case 'flag':
      return (node.when ? v(node.name) : !v(node.name)) ? node.text : '';
    case 'optional': {
      const value = v(node.name);
      const t = types.get(node.name);
      const base = t && unwrapOptional(t).type;
      // An optional bool is written only when it is a bool (the builders tell false from absent).
      const present = node.body.kind === 'bool' && base?.kind === 'primitive' && base.name === 'bool' ? typeof value === 'boolean' : value !== undefined;
      return present ? writeSyntax(node.body, values, types, typeDocs) : '';
    }
    case 'enum':
      return String(v(node.name));
    case 'valueMap':
      return node.cases.find((c) => v(node.name) === c.value)?.text ?? node.fallback;
    case 'tagGuard':
      return node.absent.includes(v(node.name) as string) ? '' : writeSyntax(node.body, values, types, typeDocs);
  }
}

/** `<str(p)>` of a type with its own syntax: the type's fields (or an enum's value, as `self`) written by it. */
function writeTypeSyntax(doc: TypeDoc, value: unknown, typeDocs: ReadonlyMap<string, TypeDoc>): string {
  const values = doc.kind === 'enum' ? { self: value } : ((value ?? {}) as Record<string, unknown>);
  return writeSyntax(doc.syntax!.ast!, values, paramTypesOf(typeSyntaxParams(doc)), typeDocs);
}
