/** A command's or type's `cmd_string` builder in Python: its locals, the checks of its parameters, and the rendered body. */
import type { Field, SyntaxBlock } from '../../model/types.js';
import { unwrapOptional } from '../../parse/typeExpr.js';
import { joinedParams, paramsUsedOutsideOptional } from '../../syntax/ast.js';
import { renderPython, pyString } from '../../syntax/render.js';
import { paramTypesOf } from '../../syntax/snippets.js';
import { jsonString } from '../escape.js';
import { NameScope, PY_RESERVED, pyIdentifier } from '../identifiers.js';
import { pyDocstring } from './pyTypes.js';

export interface PyBuilder {
  name: string;
  selfType: string;
  doc: string;
  locals: { name: string; expr: string }[];
  /** Whether reading the locals can fail (a required key missing, parameters that are not a dict). */
  guarded: boolean;
  checks: { test: string; field: string; problem: string }[];
  body: string;
  /** The owner's name as a Python string, and the error class as the module reaches it. */
  owner: string;
  error: string;
}

/** A builder's locals live beside what its body calls. */
const BUILDER_RESERVED = [...PY_RESERVED, 'self'];

export function builder(owner: string, fnName: string, selfType: string, syntax: SyntaxBlock, fields: readonly Field[], qualifyFn: (t: string) => string | undefined, selfIsValue: boolean, error: string, sometimesAbsent: ReadonlySet<string> = new Set()): PyBuilder {
  const ast = syntax.ast!;
  const types = paramTypesOf(fields);
  const scope = new NameScope(BUILDER_RESERVED);
  const required = new Set(fields.filter((f) => !unwrapOptional(f.type).optional && !sometimesAbsent.has(f.name)).map((f) => f.name));
  const locals: PyBuilder['locals'] = [];
  const local = (n: string) => scope.name(n, pyIdentifier(n));
  if (!selfIsValue)
    for (const f of fields) {
      const id = local(f.name);
      const key = jsonString(f.name);
      // Tags and required keys are always there; optional keys (and keys some union members lack) may not be.
      locals.push({ name: id, expr: required.has(f.name) ? `self[${key}]` : `self.get(${key})` });
    }
  const access = (n: string) => (selfIsValue && n === 'self' ? 'self' : local(n));
  const checks: PyBuilder['checks'] = [];
  for (const n of paramsUsedOutsideOptional(ast))
    if (unwrapOptional(types.get(n) ?? { kind: 'primitive', name: '' }).optional)
      checks.push({ test: `${access(n)} is None`, field: pyString(n), problem: pyString('is required by the syntax') });
  for (const n of joinedParams(ast)) {
    const optional = unwrapOptional(types.get(n) ?? { kind: 'primitive', name: '' }).optional;
    checks.push({ test: `${optional ? `${access(n)} is not None and ` : ''}len(${access(n)}) == 0`, field: pyString(n), problem: pyString('must not be empty') });
  }
  // Locals that the expression never reads would only be noise.
  const body = renderPython(ast, types, { style: 'cmd_string', access, json: (e) => `_json(${e})`, typeFn: qualifyFn, builder: true });
  const used = locals.filter((l) => new RegExp(`\\b${l.name}\\b`).test(body) || checks.some((c) => new RegExp(`\\b${l.name}\\b`).test(c.test)));
  const guarded = used.some((l) => l.expr.startsWith('self['));
  return { name: fnName, selfType, doc: pyDocstring(`The command string: ${syntax.text}`, '    '), locals: used, guarded, checks, body, owner: pyString(owner), error };
}
