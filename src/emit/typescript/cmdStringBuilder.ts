/** A command's or type's `cmdString` builder in TypeScript: the checks of its parameters, then the rendered expression. */
import type { Field, SyntaxBlock } from '../../model/types.js';
import { unwrapOptional } from '../../parse/typeExpr.js';
import { joinedParams, paramsUsed, paramsUsedOutsideOptional, type SyntaxNode } from '../../syntax/ast.js';
import { renderJavaScript } from '../../syntax/render.js';
import { paramTypesOf } from '../../syntax/snippets.js';
import { jsonString } from '../escape.js';
import { OBJECT_PROTOTYPE_NAMES, tsAccess } from '../identifiers.js';
import type { TsNames } from './tsNames.js';
import { isUnknownPrimitive, type Qualify } from './tsTypes.js';

/** The body of a `cmdString` builder: list checks, then the rendered expression. */
export function builderStatements(owner: string, syntax: SyntaxBlock, fields: readonly Field[], qualify: Qualify, names: TsNames, selfIsValue: boolean): string[] {
  const ast = syntax.ast!;
  const types = paramTypesOf(fields);
  // A plain object inherits `constructor`, `toString`…: a parameter of such a name is read only when it is its own.
  const access = (n: string) =>
    selfIsValue && n === 'self' ? 'self' : OBJECT_PROTOTYPE_NAMES.has(n) ? `(Object.prototype.hasOwnProperty.call(self, ${jsonString(n)}) ? ${tsAccess('self', n)} : undefined)` : tsAccess('self', n);
  const opaque = (n: string) => {
    const base = unwrapOptional(types.get(n) ?? { kind: 'primitive', name: 'string' }).type;
    return (base.kind === 'ref' && !names.known.has(base.name)) || (base.kind === 'primitive' && isUnknownPrimitive(base.name));
  };
  const expr = renderJavaScript(ast, types, {
    style: 'cmdString',
    access,
    typeRef: (t) => (names.known.get(t)?.syntax ? qualify(t) : undefined),
    presence: 'defined',
    opaque,
  });
  // An optional parameter that the syntax needs (upstream's APIConnectPlan) must be present after all.
  const required = [...paramsUsedOutsideOptional(ast)]
    .filter((n) => unwrapOptional(types.get(n) ?? { kind: 'primitive', name: '' }).optional)
    .map((n) => `if (${access(n)} === undefined) throw new RangeError(${jsonString(`${owner}: ${n} is required by the syntax`)});`);
  const checks = joinedParams(ast).map((n) => {
    const optional = unwrapOptional(types.get(n) ?? { kind: 'primitive', name: '' }).optional;
    const v = access(n);
    const message = jsonString(`${owner}: ${n} must not be empty`);
    return `if (${optional ? `${v} !== undefined && ` : ''}${v}.length === 0) throw new RangeError(${message});`;
  });
  // A required parameter that is missing, or parameters that are not an object: a TypeError naming the command and
  // the field, never `undefined` in the string.
  // Parts some union members lack (`[ notify=off]` of ChatDeleteMode) are not required of the others.
  const guarded = new Set<string>();
  const collect = (node: SyntaxNode): void => {
    if (node.kind === 'tagGuard') paramsUsed(node.body, guarded);
    else if (node.kind === 'seq') node.items.forEach(collect);
    else if (node.kind === 'optional') collect(node.body);
  };
  collect(ast);
  const used = [...paramsUsed(ast)].filter((n) => types.has(n) && !guarded.has(n) && !unwrapOptional(types.get(n)!).optional);
  const present = selfIsValue || used.length === 0
    ? []
    : [
        `if (typeof self !== 'object' || self === null) throw new TypeError(${jsonString(`${owner}: the parameters must be an object`)});`,
        ...used.map((n) => `if (${access(n)} === undefined) throw new TypeError(${jsonString(`${owner}: ${n} is missing (a required parameter)`)});`),
      ];
  return [...present, ...required, ...checks, `return ${expr};`];
}

/** `cmdString(self: X): string { … }`, as a method of the value object. */
export function cmdStringMethod(selfType: string, statements: string[]): string {
  // A command without parameters never reads its argument: `_self` keeps noUnusedParameters quiet.
  const param = statements.some((st) => /\bself\b/.test(st.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, ''))) ? 'self' : '_self';
  return [`cmdString(${param}: ${selfType}): string {`, ...statements.map((st) => `  ${st}`), '},'].join('\n');
}
