/**
 * API changes between two models, classified for a bot that sends commands and reads responses and events.
 *
 * Every change says what changed (a path such as `command APISendMessages parameter ttl`), how (added, removed,
 * changed), the old and new values where there are any, and its level with the rule that gave it. Types are
 * judged by how bots meet them: a type reachable from command parameters is *sent*, one reachable from
 * responses or events is *received*; a type can be both, and then the stricter level wins.
 */
import type { ApiModel, CommandDoc, Field, TypeDoc, TypeExpr } from '../model/types.js';
import { formatTypeExpr, refsOf, unwrapOptional } from '../parse/typeExpr.js';
import type { SyntaxNode } from '../syntax/ast.js';
import { formatSyntax } from '../syntax/ast.js';

export type ChangeLevel = 'breaking' | 'warning' | 'info';
export const LEVELS: readonly ChangeLevel[] = ['breaking', 'warning', 'info'];

export interface ApiChange {
  level: ChangeLevel;
  /** The rule that classified it (see the README's table). */
  rule: string;
  /** What the change is about, e.g. `command APISendMessages`, `type ChatType`. */
  subject: string;
  change: 'added' | 'removed' | 'changed';
  /** Human-readable one-line summary. */
  message: string;
  old?: string;
  new?: string;
}

/** Type expressions compared without their link targets (`./TYPES.md#x` and `#x` are the same type). */
export function typeText(t: TypeExpr): string {
  return formatTypeExpr(t, (name) => `[${name}]`);
}

/** The syntax with enum choices written by parameter name: their values are compared as enum changes. */
function syntaxShape(node: SyntaxNode | undefined, text: string): string {
  if (!node) return text;
  const walk = (n: SyntaxNode): SyntaxNode => {
    switch (n.kind) {
      case 'seq':
        return { kind: 'seq', items: n.items.map(walk) };
      case 'enum':
        return { kind: 'text', value: `<${n.name}: one of its values>` };
      case 'valueMap':
        // New values with their own text are enum changes; the texts of existing values are compared apart.
        return { kind: 'text', value: `<${n.name}: its value's text>` };
      case 'optional':
      case 'tagGuard':
        return { ...n, body: walk(n.body) };
      default:
        return n;
    }
  };
  return formatSyntax(walk(node));
}

type Direction = { sent: boolean; received: boolean };

/** Which types a bot sends (reachable from command parameters) and receives (from responses and events). */
function directions(model: ApiModel): Map<string, Direction> {
  const types = new Map(model.types.map((t) => [t.name, t]));
  const out = new Map<string, Direction>();
  const visit = (name: string, key: keyof Direction) => {
    const d = out.get(name) ?? { sent: false, received: false };
    if (d[key]) return;
    d[key] = true;
    out.set(name, d);
    const t = types.get(name);
    if (!t) return;
    const fields = t.kind === 'record' ? t.fields : t.kind === 'union' ? t.members.flatMap((m) => m.fields) : [];
    for (const f of fields) for (const r of refsOf(f.type)) visit(r.name, key);
  };
  for (const c of model.commands) for (const p of c.params ?? []) for (const r of refsOf(p.type)) visit(r.name, 'sent');
  for (const c of model.commands) for (const resp of c.responses) for (const f of resp.fields) for (const r of refsOf(f.type)) visit(r.name, 'received');
  for (const e of model.events) for (const f of e.fields) for (const r of refsOf(f.type)) visit(r.name, 'received');
  return out;
}

const strictest = (...levels: ChangeLevel[]): ChangeLevel => LEVELS.find((l) => levels.includes(l)) ?? 'info';

export function compareModels(oldModel: ApiModel, newModel: ApiModel): ApiChange[] {
  const changes: ApiChange[] = [];
  const push = (c: ApiChange) => changes.push(c);
  const oldDir = directions(oldModel);
  const newDir = directions(newModel);
  const dirOf = (name: string): Direction => {
    const a = oldDir.get(name);
    const b = newDir.get(name);
    return { sent: !!(a?.sent || b?.sent), received: !!(a?.received || b?.received) };
  };

  // Commands.
  const oldCommands = new Map(oldModel.commands.map((c) => [c.name, c]));
  const newCommands = new Map(newModel.commands.map((c) => [c.name, c]));
  for (const [name, c] of oldCommands)
    if (!newCommands.has(name))
      push({ level: 'breaking', rule: 'command-removed', subject: `command ${name}`, change: 'removed', message: `command ${name} was removed`, old: c.syntax.text });
  for (const [name, c] of newCommands) {
    const before = oldCommands.get(name);
    if (!before) {
      push({ level: 'info', rule: 'command-added', subject: `command ${name}`, change: 'added', message: `command ${name} was added`, new: c.syntax.text });
      continue;
    }
    compareCommand(before, c, push);
  }

  // Responses, by name, as the union every command's responses belong to.
  const responses = (m: ApiModel) => {
    const out = new Map<string, { fields: Field[]; description: string }>();
    for (const c of m.commands) for (const r of c.responses) if (!out.has(r.name)) out.set(r.name, r);
    return out;
  };
  const oldResponses = responses(oldModel);
  const newResponses = responses(newModel);
  for (const [name, r] of newResponses) {
    const before = oldResponses.get(name);
    if (!before) continue;
    compareFields(`response ${name}`, before.fields, r.fields, { sent: false, received: true }, push);
    if (before.description !== r.description)
      push({ level: 'info', rule: 'description-changed', subject: `response ${name}`, change: 'changed', message: `response ${name}: description changed`, old: before.description, new: r.description });
  }

  // Events.
  const oldEvents = new Map(oldModel.events.map((e) => [e.name, e]));
  const newEvents = new Map(newModel.events.map((e) => [e.name, e]));
  for (const name of oldEvents.keys())
    if (!newEvents.has(name))
      push({ level: 'warning', rule: 'event-removed', subject: `event ${name}`, change: 'removed', message: `event ${name} was removed: handlers for it will no longer run (and no longer compile)` });
  for (const [name, e] of newEvents) {
    const before = oldEvents.get(name);
    if (!before) {
      push({ level: 'warning', rule: 'event-added', subject: `event ${name}`, change: 'added', message: `event ${name} was added: bots may receive it` });
      continue;
    }
    compareFields(`event ${name}`, before.fields, e.fields, { sent: false, received: true }, push);
    if (before.description !== e.description)
      push({ level: 'info', rule: 'description-changed', subject: `event ${name}`, change: 'changed', message: `event ${name}: description changed`, old: before.description, new: e.description });
  }

  // Types (only when both sides have TYPES.md: otherwise every type would look added or removed).
  if (oldModel.sources.TYPES && newModel.sources.TYPES) {
    const oldTypes = new Map(oldModel.types.map((t) => [t.name, t]));
    const newTypes = new Map(newModel.types.map((t) => [t.name, t]));
    for (const [name] of oldTypes)
      if (!newTypes.has(name)) {
        const d = dirOf(name);
        push({
          level: d.sent || d.received ? 'breaking' : 'info',
          rule: 'type-removed',
          subject: `type ${name}`,
          change: 'removed',
          message: `type ${name} was removed`,
        });
      }
    for (const [name, t] of newTypes) {
      const before = oldTypes.get(name);
      if (!before) push({ level: 'info', rule: 'type-added', subject: `type ${name}`, change: 'added', message: `type ${name} was added` });
      else compareType(before, t, dirOf(name), push);
    }
  }
  return changes;
}

function compareCommand(before: CommandDoc, after: CommandDoc, push: (c: ApiChange) => void): void {
  const subject = `command ${after.name}`;
  const oldShape = syntaxShape(before.syntax.ast, before.syntax.text);
  const newShape = syntaxShape(after.syntax.ast, after.syntax.text);
  if (oldShape !== newShape)
    push({ level: 'breaking', rule: 'syntax-changed', subject, change: 'changed', message: `${subject}: the command syntax changed`, old: before.syntax.text, new: after.syntax.text });

  const oldParams = new Map((before.params ?? []).map((p) => [p.name, p]));
  const newParams = new Map((after.params ?? []).map((p) => [p.name, p]));
  for (const [name, p] of oldParams)
    if (!newParams.has(name))
      push({ level: 'breaking', rule: 'parameter-removed', subject, change: 'removed', message: `${subject}: parameter ${name} was removed`, old: typeText(p.type) });
  for (const [name, p] of newParams) {
    const prev = oldParams.get(name);
    const optional = unwrapOptional(p.type).optional;
    if (!prev) {
      push({
        level: optional ? 'info' : 'breaking',
        rule: optional ? 'optional-parameter-added' : 'required-parameter-added',
        subject,
        change: 'added',
        message: `${subject}: ${optional ? 'optional' : 'required'} parameter ${name} was added`,
        new: typeText(p.type),
      });
      continue;
    }
    compareFieldType(`${subject} parameter ${name}`, prev.type, p.type, { sent: true, received: false }, push);
  }

  const oldResponses = new Set(before.responses.map((r) => r.name));
  const newResponses = new Set(after.responses.map((r) => r.name));
  for (const r of newResponses)
    if (!oldResponses.has(r))
      push({ level: 'warning', rule: 'response-added', subject, change: 'added', message: `${subject}: may now respond with ${r}` });
  for (const r of oldResponses)
    if (!newResponses.has(r)) push({ level: 'info', rule: 'response-removed', subject, change: 'removed', message: `${subject}: no longer responds with ${r}` });

  const oldErrors = new Set((before.errors ?? []).map((e) => e.name));
  for (const e of after.errors ?? [])
    if (!oldErrors.has(e.name)) push({ level: 'info', rule: 'error-added', subject, change: 'added', message: `${subject}: documents error ${e.name}` });

  if (before.networkUsage !== after.networkUsage)
    push({ level: 'info', rule: 'network-usage-changed', subject, change: 'changed', message: `${subject}: network usage changed`, old: before.networkUsage ?? '(none)', new: after.networkUsage ?? '(none)' });
  if (before.description !== after.description)
    push({ level: 'info', rule: 'description-changed', subject, change: 'changed', message: `${subject}: description changed`, old: before.description, new: after.description });
}

/** A field present on both sides whose type or optionality changed. */
function compareFieldType(subject: string, before: TypeExpr, after: TypeExpr, dir: Direction, push: (c: ApiChange) => void): void {
  const a = unwrapOptional(before);
  const b = unwrapOptional(after);
  if (typeText(a.type) !== typeText(b.type)) {
    push({ level: 'breaking', rule: 'field-type-changed', subject, change: 'changed', message: `${subject}: type changed`, old: typeText(before), new: typeText(after) });
    return;
  }
  if (a.optional && !b.optional)
    push({
      level: dir.sent ? 'breaking' : 'info',
      rule: 'made-required',
      subject,
      change: 'changed',
      message: `${subject}: is now required${dir.sent ? ' (bots must send it)' : ''}`,
      old: typeText(before),
      new: typeText(after),
    });
  if (!a.optional && b.optional)
    push({
      level: dir.received ? 'breaking' : 'info',
      rule: 'made-optional',
      subject,
      change: 'changed',
      message: `${subject}: is now optional${dir.received ? ' (bots may no longer receive it)' : ''}`,
      old: typeText(before),
      new: typeText(after),
    });
}

function compareFields(subject: string, before: readonly Field[], after: readonly Field[], dir: Direction, push: (c: ApiChange) => void): void {
  const oldFields = new Map(before.map((f) => [f.name, f]));
  const newFields = new Map(after.map((f) => [f.name, f]));
  for (const [name, f] of oldFields)
    if (!newFields.has(name))
      push({
        level: strictest(dir.received ? 'breaking' : 'info', dir.sent ? 'warning' : 'info'),
        rule: 'field-removed',
        subject: `${subject} field ${name}`,
        change: 'removed',
        message: `${subject}: field ${name} was removed${dir.received ? ' (bots reading it break)' : ''}`,
        old: typeText(f.type),
      });
  for (const [name, f] of newFields) {
    const prev = oldFields.get(name);
    if (!prev) {
      const optional = unwrapOptional(f.type).optional;
      push({
        level: dir.sent && !optional ? 'breaking' : 'info',
        rule: optional ? 'optional-field-added' : 'required-field-added',
        subject: `${subject} field ${name}`,
        change: 'added',
        message: `${subject}: ${optional ? 'optional' : 'required'} field ${name} was added${dir.sent && !optional ? ' (bots must send it)' : ''}`,
        new: typeText(f.type),
      });
      continue;
    }
    compareFieldType(`${subject} field ${name}`, prev.type, f.type, dir, push);
  }
}

function compareType(before: TypeDoc, after: TypeDoc, dir: Direction, push: (c: ApiChange) => void): void {
  const subject = `type ${after.name}`;
  if (before.kind !== after.kind) {
    push({ level: 'breaking', rule: 'type-kind-changed', subject, change: 'changed', message: `${subject}: changed from ${before.kind} to ${after.kind}`, old: before.kind, new: after.kind });
    return;
  }
  if (before.kind === 'record' && after.kind === 'record') compareFields(subject, before.fields, after.fields, dir, push);
  if (before.kind === 'enum' && after.kind === 'enum') {
    const oldValues = new Set(before.values.map((v) => v.value));
    const newValues = new Set(after.values.map((v) => v.value));
    for (const v of newValues)
      if (!oldValues.has(v))
        push({
          level: dir.received ? 'warning' : 'info',
          rule: 'enum-value-added',
          subject,
          change: 'added',
          message: `${subject}: value "${v}" was added${dir.received ? ' (bots may receive it)' : ''}`,
          new: v,
        });
    for (const v of oldValues)
      if (!newValues.has(v))
        push({
          level: dir.sent ? 'breaking' : 'info',
          rule: 'enum-value-removed',
          subject,
          change: 'removed',
          message: `${subject}: value "${v}" was removed${dir.sent ? ' (bots may send it)' : ''}`,
          old: v,
        });
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
          subject,
          change: 'added',
          message: `${subject}: member ${m.name} ("${tag}") was added${dir.received ? ' (bots may receive it)' : ''}`,
          new: m.name,
        });
      else compareFields(`${subject} member ${m.name}`, prev.fields, m.fields, dir, push);
    }
    for (const [tag, m] of oldMembers)
      if (!newMembers.has(tag))
        push({
          level: dir.sent ? 'breaking' : 'info',
          rule: 'union-member-removed',
          subject,
          change: 'removed',
          message: `${subject}: member ${m.name} ("${tag}") was removed${dir.sent ? ' (bots may send it)' : ''}`,
          old: m.name,
        });
  }
  const oldSyntax = before.syntax ? syntaxShape(before.syntax.ast, before.syntax.text) : undefined;
  const newSyntax = after.syntax ? syntaxShape(after.syntax.ast, after.syntax.text) : undefined;
  if (oldSyntax !== newSyntax || valueTextsChanged(before.syntax?.ast, after.syntax?.ast))
    push({
      level: dir.sent ? 'breaking' : 'info',
      rule: 'syntax-changed',
      subject,
      change: 'changed',
      message: `${subject}: its syntax changed${dir.sent ? ' (command strings that include it change)' : ''}`,
      old: before.syntax?.text ?? '(none)',
      new: after.syntax?.text ?? '(none)',
    });
  if (before.description !== after.description)
    push({ level: 'info', rule: 'description-changed', subject, change: 'changed', message: `${subject}: description changed`, old: before.description, new: after.description });
}

/** True when a value both enum syntaxes map is written differently. */
function valueTextsChanged(a: SyntaxNode | undefined, b: SyntaxNode | undefined): boolean {
  if (a?.kind !== 'valueMap' || b?.kind !== 'valueMap') return false;
  const texts = new Map(b.cases.map((c) => [c.value, c.text]));
  return a.cases.some((c) => texts.has(c.value) && texts.get(c.value) !== c.text) || a.fallback !== b.fallback;
}
