/**
 * API changes between two models, classified for a bot that sends commands and reads responses and events.
 *
 * Every change says what changed (a path such as `command APISendMessages parameter ttl`), how (added, removed,
 * changed), the old and new values where there are any, and its level with the rule that gave it. Types are
 * judged by how bots meet them: a type reachable from command parameters is *sent*, one reachable from
 * responses or events is *received*; a type can be both, and then the stricter level wins.
 */
import type { ApiModel, DocKind, Field, SourceRef } from '../model/types.js';
import { locate } from '../model/validate.js';
import { BOT_COMMANDS } from '../emit/botApi.js';
import { refsOf } from '../parse/typeExpr.js';
import type { ApiChange, ChangeAt, CompareFiles, Direction, Owner, Push } from './change.js';
import { compareCommand } from './commandChanges.js';
import { compareFields, compareType } from './typeChanges.js';

export { LEVELS, pathOf, subjectOf, typeText, type ApiChange, type ChangeAt, type ChangeKind, type ChangeLevel, type CompareFiles } from './change.js';

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
