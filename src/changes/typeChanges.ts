/** Changes to fields and types, judged by whether bots send them, receive them, or both. */
import type { Field, SourceRef, TypeDoc, TypeExpr } from '../model/types.js';
import { pyTypeOf } from '../emit/python/pyTypes.js';
import { tsTypeOf } from '../emit/typescript/tsTypes.js';
import { unwrapOptional } from '../parse/typeExpr.js';
import { strictest, subjectOf, typeText, type ApiChange, type Direction, type Owner, type Push } from './change.js';
import { syntaxShape, valueTextsChanged } from './syntaxShape.js';

function codeTypes(t: TypeExpr): string | undefined {
  const ts = tsTypeOf(t, (n) => n).type;
  const py = pyTypeOf(t, (n) => n).type;
  return /\bunknown\b/.test(ts) || /\bAny\b/.test(py) ? undefined : `${ts} / ${py}`;
}

/** A parameter or field present on both sides whose type or optionality changed. */
export function compareFieldType(what: Pick<ApiChange, 'kind' | 'name' | 'member' | 'parameter' | 'field'>, before: Field, after: Field, dir: Direction, push: Push): void {
  const subject = subjectOf(what);
  const a = unwrapOptional(before.type);
  const b = unwrapOptional(after.type);
  const refs = { oldRef: before.source, newRef: after.source };
  if (typeText(a.type) !== typeText(b.type)) {
    // `int` → `int64`: the generated code reads the same (number / int); only the documented range changed.
    const same = codeTypes(a.type) !== undefined && codeTypes(a.type) === codeTypes(b.type);
    push({
      level: same ? 'warning' : 'breaking',
      rule: same ? 'field-type-changed-same-code' : 'field-type-changed',
      ...what,
      change: 'changed',
      message: `${subject}: type changed${same ? ' (the same TypeScript and Python type)' : ''}`,
      old: typeText(before.type),
      new: typeText(after.type),
      ...refs,
    });
    return;
  }
  if (a.optional && !b.optional)
    push({ level: dir.sent ? 'breaking' : 'info', rule: 'made-required', ...what, change: 'changed', message: `${subject}: is now required${dir.sent ? ' (bots must send it)' : ''}`, old: typeText(before.type), new: typeText(after.type), ...refs });
  if (!a.optional && b.optional)
    push({ level: dir.received ? 'breaking' : 'info', rule: 'made-optional', ...what, change: 'changed', message: `${subject}: is now optional${dir.received ? ' (bots may no longer receive it)' : ''}`, old: typeText(before.type), new: typeText(after.type), ...refs });
}

/** The fields of a record, union member, response or event on both sides (`source`: the node holding them). */
export function compareFields(owner: Owner, before: { fields: readonly Field[]; source: SourceRef }, after: { fields: readonly Field[]; source: SourceRef }, dir: Direction, push: Push): void {
  const subject = subjectOf(owner);
  const oldFields = new Map(before.fields.map((f) => [f.name, f]));
  const newFields = new Map(after.fields.map((f) => [f.name, f]));
  for (const [name, f] of oldFields)
    if (!newFields.has(name))
      push({
        level: strictest(dir.received ? 'breaking' : 'info', dir.sent ? 'warning' : 'info'),
        rule: 'field-removed',
        ...owner,
        field: name,
        change: 'removed',
        message: `${subject}: field ${name} was removed${dir.received ? ' (bots reading it break)' : ''}`,
        old: typeText(f.type),
        oldRef: f.source,
        newRef: after.source,
      });
  for (const [name, f] of newFields) {
    const prev = oldFields.get(name);
    if (!prev) {
      const optional = unwrapOptional(f.type).optional;
      push({
        level: dir.sent && !optional ? 'breaking' : 'info',
        rule: optional ? 'optional-field-added' : 'required-field-added',
        ...owner,
        field: name,
        change: 'added',
        message: `${subject}: ${optional ? 'optional' : 'required'} field ${name} was added${dir.sent && !optional ? ' (bots must send it)' : ''}`,
        new: typeText(f.type),
        oldRef: before.source,
        newRef: f.source,
      });
      continue;
    }
    compareFieldType({ ...owner, field: name }, prev, f, dir, push);
  }
}

export function compareType(before: TypeDoc, after: TypeDoc, dir: Direction, push: Push): void {
  const owner: Owner = { kind: 'type', name: after.name };
  const subject = subjectOf(owner);
  const refs = { oldRef: before.source, newRef: after.source };
  if (before.kind !== after.kind) {
    push({ level: 'breaking', rule: 'type-kind-changed', ...owner, change: 'changed', message: `${subject}: changed from ${before.kind} to ${after.kind}`, old: before.kind, new: after.kind, ...refs });
    return;
  }
  if (before.kind === 'record' && after.kind === 'record') compareFields(owner, before, after, dir, push);
  if (before.kind === 'enum' && after.kind === 'enum') {
    const oldValues = new Map(before.values.map((v) => [v.value, v]));
    const newValues = new Map(after.values.map((v) => [v.value, v]));
    for (const [v, doc] of newValues)
      if (!oldValues.has(v))
        push({ level: dir.received ? 'warning' : 'info', rule: 'enum-value-added', ...owner, change: 'added', message: `${subject}: value "${v}" was added${dir.received ? ' (bots may receive it)' : ''}`, new: v, oldRef: before.source, newRef: doc.source });
    for (const [v, doc] of oldValues)
      if (!newValues.has(v))
        push({ level: dir.sent ? 'breaking' : 'info', rule: 'enum-value-removed', ...owner, change: 'removed', message: `${subject}: value "${v}" was removed${dir.sent ? ' (bots may send it)' : ''}`, old: v, oldRef: doc.source, newRef: after.source });
  }
  if (before.kind === 'union' && after.kind === 'union') {
    const oldMembers = new Map(before.members.map((m) => [m.tag, m]));
    const newMembers = new Map(after.members.map((m) => [m.tag, m]));
    for (const [tag, m] of newMembers) {
      const prev = oldMembers.get(tag);
      if (!prev)
        push({
          level: dir.received ? 'warning' : 'info',
          rule: 'union-member-added',
          ...owner,
          member: m.name,
          change: 'added',
          message: `${subject}: member ${m.name} ("${tag}") was added${dir.received ? ' (bots may receive it)' : ''}`,
          new: m.name,
          oldRef: before.source,
          newRef: m.source,
        });
      else compareFields({ ...owner, member: m.name }, prev, m, dir, push);
    }
    for (const [tag, m] of oldMembers)
      if (!newMembers.has(tag))
        push({
          level: dir.sent ? 'breaking' : 'info',
          rule: 'union-member-removed',
          ...owner,
          member: m.name,
          change: 'removed',
          message: `${subject}: member ${m.name} ("${tag}") was removed${dir.sent ? ' (bots may send it)' : ''}`,
          old: m.name,
          oldRef: m.source,
          newRef: after.source,
        });
  }
  const oldSyntax = before.syntax ? syntaxShape(before.syntax.ast, before.syntax.text) : undefined;
  const newSyntax = after.syntax ? syntaxShape(after.syntax.ast, after.syntax.text) : undefined;
  if (oldSyntax !== newSyntax || valueTextsChanged(before.syntax?.ast, after.syntax?.ast))
    push({
      level: dir.sent ? 'breaking' : 'info',
      rule: 'syntax-changed',
      ...owner,
      change: 'changed',
      message: `${subject}: its syntax changed${dir.sent ? ' (command strings that include it change)' : ''}`,
      old: before.syntax?.text ?? '(none)',
      new: after.syntax?.text ?? '(none)',
      oldRef: before.syntax?.source ?? before.source,
      newRef: after.syntax?.source ?? after.source,
    });
  if (before.description !== after.description)
    push({ level: 'info', rule: 'description-changed', ...owner, change: 'changed', message: `${subject}: description changed`, old: before.description, new: after.description, ...refs });
}
