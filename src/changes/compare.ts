/**
 * API changes between two models, classified for a bot that sends commands and reads responses and events.
 *
 * Every change says what changed (a path such as `command APISendMessages parameter ttl`), how (added, removed,
 * changed), the old and new values where there are any, and its level with the rule that gave it. Types are
 * judged by how bots meet them: a type reachable from command parameters is *sent*, one reachable from
 * responses or events is *received*; a type can be both, and then the stricter level wins.
 */
import type { ApiModel, CommandDoc, DocKind, Field, SourceRef, TypeDoc, TypeExpr } from '../model/types.js';
import { locate } from '../model/validate.js';
import { pyTypeOf } from '../emit/python/pyTypes.js';
import { tsTypeOf } from '../emit/typescript/tsTypes.js';
import { BOT_COMMANDS } from '../emit/botApi.js';
import { formatTypeExpr, refsOf, unwrapOptional } from '../parse/typeExpr.js';
import type { SyntaxNode } from '../syntax/ast.js';
import { formatSyntax } from '../syntax/ast.js';

export type ChangeLevel = 'breaking' | 'warning' | 'info';
export const LEVELS: readonly ChangeLevel[] = ['breaking', 'warning', 'info'];

export type ChangeKind = 'command' | 'response' | 'event' | 'type';

/** A place in one version's documents. */
export interface ChangeAt {
  file: string;
  line: number;
  column: number;
}

export interface ApiChange {
  level: ChangeLevel;
  /** The rule that classified it (see the README's table). */
  rule: string;
  /** What it is about: a command, a response (shared by commands), an event or a type, by name. */
  kind: ChangeKind;
  name: string;
  /** The union member (of a type) the change is in. */
  member?: string;
  /** The command parameter the change is about. */
  parameter?: string;
  /** The field (of a record, union member, response or event) the change is about. */
  field?: string;
  change: 'added' | 'removed' | 'changed';
  /** Human-readable one-line summary. */
  message: string;
  old?: string;
  new?: string;
  /** Where it is in the old and in the new version (the nearest enclosing node when it is not in one). */
  oldAt?: ChangeAt;
  newAt?: ChangeAt;
  /** A parameter added or removed together with the part of the syntax that writes it: the syntax before and after. */
  syntax?: { old: string; new: string };
  /** Set on changes to a command the generated bot framework sends (bot.ts, bot.py): its binding regenerates. */
  usedByBot?: true;
}

/** `command APISendMessages`, `type ChatItem member X field y`: the subject as the messages name it. */
export function subjectOf(c: Pick<ApiChange, 'kind' | 'name' | 'member' | 'parameter' | 'field'>): string {
  return [`${c.kind} ${c.name}`, c.member ? `member ${c.member}` : '', c.parameter ? `parameter ${c.parameter}` : '', c.field ? `field ${c.field}` : ''].filter(Boolean).join(' ');
}

/** `APISendMessages.ttl`, `ChatItem.X.y`: what an ignore entry names. */
export function pathOf(c: Pick<ApiChange, 'name' | 'member' | 'parameter' | 'field'>): string {
  return [c.name, c.member, c.parameter, c.field].filter((x) => x !== undefined).join('.');
}

/** The display path of each version's documents, for positions. */
export interface CompareFiles {
  old?: Partial<Record<DocKind, string>>;
  new?: Partial<Record<DocKind, string>>;
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

/** A change before its positions are looked up: the nodes it is about, on each side. */
type Draft = Omit<ApiChange, 'oldAt' | 'newAt'> & { oldRef?: SourceRef; newRef?: SourceRef };
type Push = (c: Draft) => void;
/** What a change is about, without the field: the command, response, event or type (and union member). */
type Owner = Pick<ApiChange, 'kind' | 'name' | 'member'>;

export function compareModels(oldModel: ApiModel, newModel: ApiModel, files: CompareFiles = {}): ApiChange[] {
  const changes: ApiChange[] = [];
  const oldFiles = files.old ?? fileNames(oldModel);
  const newFiles = files.new ?? fileNames(newModel);
  const at = (names: Partial<Record<DocKind, string>>, ref: SourceRef | undefined): ChangeAt | undefined => {
    if (!ref) return undefined;
    const [file, pos] = locate(names, ref);
    return { file, line: pos.line, column: pos.column };
  };
  const push: Push = ({ oldRef, newRef, ...c }) => {
    const change: ApiChange = { ...c };
    if (c.kind === 'command' && BOT_COMMANDS.has(c.name)) change.usedByBot = true;
    const o = at(oldFiles, oldRef);
    const n = at(newFiles, newRef);
    if (o) change.oldAt = o;
    if (n) change.newAt = n;
    changes.push(change);
  };
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
      push({ level: 'breaking', rule: 'command-removed', kind: 'command', name, change: 'removed', message: `command ${name} was removed`, old: c.syntax.text, oldRef: c.source });
  for (const [name, c] of newCommands) {
    const before = oldCommands.get(name);
    if (!before) {
      push({ level: 'info', rule: 'command-added', kind: 'command', name, change: 'added', message: `command ${name} was added`, new: c.syntax.text, newRef: c.source });
      continue;
    }
    compareCommand(before, c, push);
  }

  // Responses, by name, as the union every command's responses belong to.
  const responses = (m: ApiModel) => {
    const out = new Map<string, { fields: Field[]; description: string; source: SourceRef }>();
    for (const c of m.commands) for (const r of c.responses) if (!out.has(r.name)) out.set(r.name, r);
    return out;
  };
  const oldResponses = responses(oldModel);
  const newResponses = responses(newModel);
  for (const [name, r] of newResponses) {
    const before = oldResponses.get(name);
    if (!before) continue;
    const owner: Owner = { kind: 'response', name };
    compareFields(owner, before, r, { sent: false, received: true }, push);
    if (before.description !== r.description)
      push({ level: 'info', rule: 'description-changed', ...owner, change: 'changed', message: `response ${name}: description changed`, old: before.description, new: r.description, oldRef: before.source, newRef: r.source });
  }

  // Events.
  const oldEvents = new Map(oldModel.events.map((e) => [e.name, e]));
  const newEvents = new Map(newModel.events.map((e) => [e.name, e]));
  for (const [name, e] of oldEvents)
    if (!newEvents.has(name))
      push({ level: 'warning', rule: 'event-removed', kind: 'event', name, change: 'removed', message: `event ${name} was removed: handlers for it will no longer run (and no longer compile)`, oldRef: e.source });
  for (const [name, e] of newEvents) {
    const before = oldEvents.get(name);
    if (!before) {
      push({ level: 'warning', rule: 'event-added', kind: 'event', name, change: 'added', message: `event ${name} was added: bots may receive it`, newRef: e.source });
      continue;
    }
    const owner: Owner = { kind: 'event', name };
    compareFields(owner, before, e, { sent: false, received: true }, push);
    if (before.description !== e.description)
      push({ level: 'info', rule: 'description-changed', ...owner, change: 'changed', message: `event ${name}: description changed`, old: before.description, new: e.description, oldRef: before.source, newRef: e.source });
  }

  // Types (only when both sides have TYPES.md: otherwise every type would look added or removed).
  if (oldModel.sources.TYPES && newModel.sources.TYPES) {
    const oldTypes = new Map(oldModel.types.map((t) => [t.name, t]));
    const newTypes = new Map(newModel.types.map((t) => [t.name, t]));
    for (const [name, t] of oldTypes)
      if (!newTypes.has(name)) {
        const d = dirOf(name);
        push({ level: d.sent || d.received ? 'breaking' : 'info', rule: 'type-removed', kind: 'type', name, change: 'removed', message: `type ${name} was removed`, oldRef: t.source });
      }
    for (const [name, t] of newTypes) {
      const before = oldTypes.get(name);
      if (!before) push({ level: 'info', rule: 'type-added', kind: 'type', name, change: 'added', message: `type ${name} was added`, newRef: t.source });
      else compareType(before, t, dirOf(name), push);
    }
  }
  return changes;
}

function fileNames(model: ApiModel): Partial<Record<DocKind, string>> {
  const out: Partial<Record<DocKind, string>> = {};
  for (const [kind, source] of Object.entries(model.sources) as [DocKind, { file: string }][]) out[kind] = source.file;
  return out;
}

/** The syntax with the parts that write `names` left out, and spaces collapsed: what remains when they go. */
function syntaxWithout(node: SyntaxNode | undefined, text: string, names: ReadonlySet<string>): string {
  if (!node) return text;
  const erase = (n: SyntaxNode): SyntaxNode | undefined => {
    switch (n.kind) {
      case 'seq': {
        const items = n.items.map(erase).filter((x): x is SyntaxNode => x !== undefined);
        return { kind: 'seq', items };
      }
      case 'text':
        return n;
      case 'optional':
      case 'tagGuard': {
        if (names.has(n.name)) return undefined;
        const body = erase(n.body);
        return body ? { ...n, body } : undefined;
      }
      default:
        return names.has(n.name) ? undefined : n;
    }
  };
  const erased = erase(node);
  return syntaxShape(erased, '').replace(/ {2,}/g, ' ').trim();
}

function compareCommand(before: CommandDoc, after: CommandDoc, push: Push): void {
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
function codeTypes(t: TypeExpr): string | undefined {
  const ts = tsTypeOf(t, (n) => n).type;
  const py = pyTypeOf(t, (n) => n).type;
  return /\bunknown\b/.test(ts) || /\bAny\b/.test(py) ? undefined : `${ts} / ${py}`;
}

/** A parameter or field present on both sides whose type or optionality changed. */
function compareFieldType(what: Pick<ApiChange, 'kind' | 'name' | 'member' | 'parameter' | 'field'>, before: Field, after: Field, dir: Direction, push: Push): void {
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
function compareFields(owner: Owner, before: { fields: readonly Field[]; source: SourceRef }, after: { fields: readonly Field[]; source: SourceRef }, dir: Direction, push: Push): void {
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

function compareType(before: TypeDoc, after: TypeDoc, dir: Direction, push: Push): void {
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

/** True when a value both enum syntaxes map is written differently. */
function valueTextsChanged(a: SyntaxNode | undefined, b: SyntaxNode | undefined): boolean {
  if (a?.kind !== 'valueMap' || b?.kind !== 'valueMap') return false;
  const texts = new Map(b.cases.map((c) => [c.value, c.text]));
  return a.cases.some((c) => texts.has(c.value) && texts.get(c.value) !== c.text) || a.fallback !== b.fallback;
}
