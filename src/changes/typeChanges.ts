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
    const values = (t: typeof before) => new Map(t.values.map((v) => [v.value, v]));
    compareMembers('enum-value', owner, { items: values(before), source: before.source }, { items: values(after), source: after.source }, (v) => ({ text: `value "${v}"`, name: v }), dir, push);
  }
  if (before.kind === 'union' && after.kind === 'union') {
    const members = (t: typeof before) => new Map(t.members.map((m) => [m.tag, m]));
    const oldMembers = members(before);
    compareMembers('union-member', owner, { items: oldMembers, source: before.source }, { items: members(after), source: after.source }, (tag, m) => ({ text: `member ${m.name} ("${tag}")`, name: m.name, member: m.name }), dir, push);
    for (const m of after.members) {
      const prev = oldMembers.get(m.tag);
      if (prev) compareFields({ ...owner, member: m.name }, prev, m, dir, push);
    }
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

/**
 * An enum's values or a union's members, by key, on both sides: an added one may reach bots that receive the type
 * (a warning), a removed one may still be sent by bots (breaking).
 */
function compareMembers<V extends { source: SourceRef }>(
  rule: 'enum-value' | 'union-member',
  owner: Owner,
  before: { items: ReadonlyMap<string, V>; source: SourceRef },
  after: { items: ReadonlyMap<string, V>; source: SourceRef },
  describe: (key: string, v: V) => { text: string; name: string; member?: string },
  dir: Direction,
  push: Push,
): void {
  const subject = subjectOf(owner);
  for (const [key, v] of after.items)
    if (!before.items.has(key)) {
      const d = describe(key, v);
      push({ level: dir.received ? 'warning' : 'info', rule: `${rule}-added`, ...owner, ...(d.member !== undefined ? { member: d.member } : {}), change: 'added', message: `${subject}: ${d.text} was added${dir.received ? ' (bots may receive it)' : ''}`, new: d.name, oldRef: before.source, newRef: v.source });
    }
  for (const [key, v] of before.items)
    if (!after.items.has(key)) {
      const d = describe(key, v);
      push({ level: dir.sent ? 'breaking' : 'info', rule: `${rule}-removed`, ...owner, ...(d.member !== undefined ? { member: d.member } : {}), change: 'removed', message: `${subject}: ${d.text} was removed${dir.sent ? ' (bots may send it)' : ''}`, old: d.name, oldRef: v.source, newRef: after.source });
    }
}
