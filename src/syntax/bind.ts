/**
 * Binds a raw syntax tree to the parameters it renders: names in `<...>` bind directly; `on|off`, `[ name=on]`
 * and enum alternatives bind by position to the next unused parameter of a fitting type, in declared order
 * (the documents never name those parameters in the syntax).
 */
import type { DiagnosticCode, Severity } from '../diagnostics/diagnostic.js';
import { DiagnosticCodes } from '../diagnostics/diagnostic.js';
import type { TypeExpr } from '../model/types.js';
import { formatTypeExpr, unwrapOptional } from '../parse/typeExpr.js';
import type { RawNode, SyntaxNode } from './ast.js';

export interface BindParam {
  name: string;
  type: TypeExpr;
  /** The values of its enum type, when it is one (for a union's `type` tag: the member tags). */
  enumValues?: string[];
  /** Whether the parameter's type is a type with a syntax of its own (`<str(p)>`); undefined when unknown. */
  hasSyntax?: boolean;
  /** For union fields: the tags of the members that lack this field. */
  absentIn?: string[];
  /** The name of the tag field guarding `absentIn` (for unions: `type`). */
  tagField?: string;
}

export interface BindProblem {
  offset: number;
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  expected?: string;
}

export function bindSyntax(raw: RawNode, params: readonly BindParam[], owner: string): { node: SyntaxNode; problems: BindProblem[] } {
  const problems: BindProblem[] = [];
  const byName = new Map(params.map((p) => [p.name, p]));
  const named = new Set<string>();
  collectNamed(raw, named);
  const used = new Set<string>();

  const problem = (offset: number, code: DiagnosticCode, message: string, expected?: string, severity: Severity = 'error') =>
    problems.push({ offset, code, severity, message: `${owner}: ${message}`, expected });

  const nextPositional = (fits: (p: BindParam) => boolean): BindParam | undefined =>
    params.find((p) => !used.has(p.name) && !named.has(p.name) && fits(p));

  const lookup = (name: string, offset: number): BindParam | undefined => {
    const p = byName.get(name);
    if (!p)
      problem(offset, DiagnosticCodes.SYNTAX_UNDECLARED, `syntax names "${name}", which is not a declared parameter`,
        params.length ? `one of ${params.map((x) => `"${x.name}"`).join(', ')}` : 'no parameters (none are declared)');
    else used.add(name);
    return p;
  };

  const guard = (p: BindParam, node: SyntaxNode): SyntaxNode =>
    p.absentIn?.length && p.tagField ? { kind: 'tagGuard', name: p.tagField, absent: p.absentIn, body: node } : node;

  const bind = (node: RawNode, inOptional: boolean): SyntaxNode => {
    switch (node.kind) {
      case 'seq':
        return { kind: 'seq', items: node.items.map((n) => bind(n, inOptional)) };
      case 'text':
        return { kind: 'text', value: node.value };
      case 'param': {
        const p = lookup(node.name, node.offset);
        if (p && node.form === 'str' && p.hasSyntax === false)
          problem(node.offset, DiagnosticCodes.SYNTAX_TYPE, `"<str(${node.name})>" needs a type with a syntax of its own, but ${describeType(p.type)} has none`, `"<${node.name}>" or "<json(${node.name})>"`);
        if (p && !inOptional && unwrapOptional(p.type).optional)
          // Upstream documents do this (APIConnectPlan): a warning, since the string breaks only when it is absent.
          problem(node.offset, DiagnosticCodes.SYNTAX_TYPE, `optional parameter "${node.name}" is used outside "[...]"`, `"[ <${node.name}>]"`, 'warning');
        const bound: SyntaxNode = { kind: 'param', name: node.name, form: node.form };
        return p ? guard(p, bound) : bound;
      }
      case 'join': {
        const p = lookup(node.name, node.offset);
        if (p && unwrapOptional(p.type).type.kind !== 'list')
          problem(node.offset, DiagnosticCodes.SYNTAX_TYPE, `"${node.name}" is repeated as a list but is ${describeType(p.type)}`, 'a list parameter such as "[int64]"');
        return { kind: 'join', name: node.name, separator: node.separator };
      }
      case 'alternatives':
        return bindAlternatives(node, inOptional);
      case 'optional':
        return bindOptional(node);
    }
  };

  const bindAlternatives = (node: Extract<RawNode, { kind: 'alternatives' }>, inOptional: boolean): SyntaxNode => {
    const { options } = node;
    if (options.length === 2 && options[0] === 'on' && options[1] === 'off') {
      const p = nextPositional((q) => isBool(q.type, inOptional));
      if (!p) {
        problem(node.offset, DiagnosticCodes.SYNTAX_UNDECLARED, `"${node.label}on|off" has no ${inOptional ? 'optional ' : ''}bool parameter left to bind to`, `a parameter of type bool${inOptional ? '?' : ''}`);
        return { kind: 'text', value: node.label + options.join('|') };
      }
      used.add(p.name);
      const bound: SyntaxNode = { kind: 'bool', name: p.name, label: node.label };
      return node.label ? bound : guard(p, bound);
    }
    const values = options.filter((o, i) => o !== '' || i < options.length - 1);
    const exact = nextPositional((q) => !!q.enumValues && sameSet(q.enumValues, values));
    if (exact) {
      used.add(exact.name);
      return guard(exact, { kind: 'enum', name: exact.name, values });
    }
    // A syntax written when the enum had fewer values (the mid-era documents pair such versions): still the
    // enum, but the missing values are worth a warning.
    const subset = nextPositional((q) => !!q.enumValues && values.length > 0 && values.every((v) => q.enumValues!.includes(v)) && options[options.length - 1] !== '');
    if (subset) {
      used.add(subset.name);
      const missing = subset.enumValues!.filter((v) => !values.includes(v));
      problem(node.offset, DiagnosticCodes.SYNTAX_TYPE, `"${options.join('|')}" lists ${values.length} of the ${subset.enumValues!.length} values of "${subset.name}" (missing: ${missing.join(', ')})`, subset.enumValues!.join('|'), 'warning');
      return guard(subset, { kind: 'enum', name: subset.name, values });
    }
    // Without TYPES.md the enum's values are unknown: an unresolved type reference is taken on trust.
    const unknown = nextPositional((q) => q.enumValues === undefined && q.hasSyntax === undefined && unwrapOptional(q.type).type.kind === 'ref');
    if (unknown && options[options.length - 1] !== '') {
      used.add(unknown.name);
      return guard(unknown, { kind: 'enum', name: unknown.name, values });
    }
    const mapped = nextPositional((q) => !!q.enumValues && q.enumValues.length >= values.length);
    if (mapped && options[options.length - 1] === '') {
      used.add(mapped.name);
      const cases = values.map((text, i) => ({ value: mapped.enumValues![i]!, text }));
      return { kind: 'valueMap', name: mapped.name, cases, fallback: '' };
    }
    problem(node.offset, DiagnosticCodes.SYNTAX_UNDECLARED, `"${options.join('|')}" matches no enum parameter`, 'the values of an enum parameter, in order');
    return { kind: 'text', value: node.label + options.join('|') };
  };

  const bindOptional = (node: Extract<RawNode, { kind: 'optional' }>): SyntaxNode => {
    const body = node.body;
    if (body.kind === 'text') {
      // `[ live=on]` / `[ snd_files=off]`: a flag written when its bool is true (or false, for `=off`).
      const p = nextPositional((q) => isBool(q.type, false));
      if (!p) {
        problem(node.offset, DiagnosticCodes.SYNTAX_UNDECLARED, `"[${body.value}]" has no bool parameter left to bind to`, 'a parameter of type bool');
        return { kind: 'text', value: '' };
      }
      used.add(p.name);
      return guard(p, { kind: 'flag', name: p.name, text: body.value, when: !body.value.endsWith('=off') });
    }
    const before = new Set(used);
    const bound = bind(body, true);
    const inside = [...used].filter((n) => !before.has(n));
    if (inside.length !== 1) {
      problem(node.offset, DiagnosticCodes.SYNTAX_TYPE,
        inside.length === 0 ? 'optional part "[...]" uses no parameter' : `optional part "[...]" uses ${inside.length} parameters (${inside.join(', ')})`,
        'exactly one optional parameter inside "[...]"');
      return bound;
    }
    const p = byName.get(inside[0]!)!;
    if (!unwrapOptional(p.type).optional)
      problem(node.offset, DiagnosticCodes.SYNTAX_TYPE, `parameter "${p.name}" is in an optional part but is not optional (${describeType(p.type)})`, `type "${describeType(p.type)}?"`);
    return guard(p, { kind: 'optional', name: p.name, body: stripGuard(bound, p.name) });
  };

  const node = bind(raw, false);
  for (const p of params) {
    if (used.has(p.name) || unwrapOptional(p.type).optional || p.type.kind === 'literal') continue;
    problem(0, DiagnosticCodes.SYNTAX_UNUSED, `required parameter "${p.name}" is not used in the syntax`, `"<${p.name}>" somewhere in the syntax`, 'warning');
  }
  return { node, problems };
}

/** A guard on the optional's own parameter belongs outside the optional, not inside it. */
function stripGuard(node: SyntaxNode, name: string): SyntaxNode {
  if (node.kind === 'tagGuard' && (node.body as { name?: string }).name === name) return node.body;
  if (node.kind === 'seq') return { kind: 'seq', items: node.items.map((n) => stripGuard(n, name)) };
  return node;
}

function collectNamed(node: RawNode, out: Set<string>): void {
  if (node.kind === 'param' || node.kind === 'join') out.add(node.name);
  else if (node.kind === 'seq') node.items.forEach((n) => collectNamed(n, out));
  else if (node.kind === 'optional') collectNamed(node.body, out);
}

function isBool(t: TypeExpr, optional: boolean): boolean {
  const u = unwrapOptional(t);
  return u.type.kind === 'primitive' && u.type.name === 'bool' && u.optional === optional;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A type as messages name it: the documents' notation with references as bare names. */
function describeType(t: TypeExpr): string {
  return formatTypeExpr(t, (name) => name);
}
