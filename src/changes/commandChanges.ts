/** Changes to one command: its parameters, syntax, responses and description. */
import type { CommandDoc } from '../model/types.js';
import { unwrapOptional } from '../parse/typeExpr.js';
import { subjectOf, typeText, type Owner, type Push } from './change.js';
import { syntaxShape, syntaxWithout } from './syntaxShape.js';
import { compareFieldType } from './typeChanges.js';

export function compareCommand(before: CommandDoc, after: CommandDoc, push: Push): void {
  const owner: Owner = { kind: 'command', name: after.name };
  const subject = subjectOf(owner);
  const oldParams = new Map((before.params ?? []).map((p) => [p.name, p]));
  const newParams = new Map((after.params ?? []).map((p) => [p.name, p]));
  const added = [...newParams.keys()].filter((n) => !oldParams.has(n));
  const removed = [...oldParams.keys()].filter((n) => !newParams.has(n));

  // A syntax change that only adds or removes the parts writing added or removed parameters is those changes:
  // it is shown with them, not reported again.
  const oldShape = syntaxShape(before.syntax.ast, before.syntax.text);
  const newShape = syntaxShape(after.syntax.ast, after.syntax.text);
  const moved = new Set([...added, ...removed]);
  const explained = oldShape !== newShape && moved.size > 0 && syntaxWithout(before.syntax.ast, before.syntax.text, moved) === syntaxWithout(after.syntax.ast, after.syntax.text, moved);
  const syntax = oldShape !== newShape ? { old: before.syntax.text, new: after.syntax.text } : undefined;
  if (oldShape !== newShape && !explained)
    push({ level: 'breaking', rule: 'syntax-changed', ...owner, change: 'changed', message: `${subject}: the command syntax changed`, old: before.syntax.text, new: after.syntax.text, oldRef: before.syntax.source, newRef: after.syntax.source });

  for (const name of removed) {
    const p = oldParams.get(name)!;
    push({
      level: 'breaking',
      rule: 'parameter-removed',
      ...owner,
      parameter: name,
      change: 'removed',
      message: `${subject}: parameter ${name} was removed`,
      old: typeText(p.type),
      oldRef: p.source,
      newRef: after.source,
      ...(explained && syntax ? { syntax } : {}),
    });
  }
  for (const name of added) {
    const p = newParams.get(name)!;
    const optional = unwrapOptional(p.type).optional;
    push({
      level: optional ? 'info' : 'breaking',
      rule: optional ? 'optional-parameter-added' : 'required-parameter-added',
      ...owner,
      parameter: name,
      change: 'added',
      message: `${subject}: ${optional ? 'optional' : 'required'} parameter ${name} was added`,
      new: typeText(p.type),
      oldRef: before.source,
      newRef: p.source,
      ...(explained && syntax ? { syntax } : {}),
    });
  }
  for (const [name, p] of newParams) {
    const prev = oldParams.get(name);
    if (prev) compareFieldType({ ...owner, parameter: name }, prev, p, { sent: true, received: false }, push);
  }

  const oldResponses = new Set(before.responses.map((r) => r.name));
  const newResponses = new Map(after.responses.map((r) => [r.name, r]));
  for (const [r, doc] of newResponses)
    if (!oldResponses.has(r))
      push({ level: 'warning', rule: 'response-added', ...owner, change: 'added', message: `${subject}: may now respond with ${r}`, new: r, oldRef: before.source, newRef: doc.source });
  for (const r of before.responses)
    if (!newResponses.has(r.name)) push({ level: 'info', rule: 'response-removed', ...owner, change: 'removed', message: `${subject}: no longer responds with ${r.name}`, old: r.name, oldRef: r.source, newRef: after.source });

  const oldErrors = new Set((before.errors ?? []).map((e) => e.name));
  for (const e of after.errors ?? [])
    if (!oldErrors.has(e.name)) push({ level: 'info', rule: 'error-added', ...owner, change: 'added', message: `${subject}: documents error ${e.name}`, new: e.name, oldRef: before.source, newRef: e.source });

  if (before.networkUsage !== after.networkUsage)
    push({ level: 'info', rule: 'network-usage-changed', ...owner, change: 'changed', message: `${subject}: network usage changed`, old: before.networkUsage ?? '(none)', new: after.networkUsage ?? '(none)', oldRef: before.source, newRef: after.source });
  if (before.description !== after.description)
    push({ level: 'info', rule: 'description-changed', ...owner, change: 'changed', message: `${subject}: description changed`, old: before.description, new: after.description, oldRef: before.source, newRef: after.source });
}

/** The TypeScript and Python types a type expression becomes, or undefined where either is opaque. */
