/**
 * When each item of the API appeared, computed with the changes engine over an ordered list of versions: a command,
 * parameter, response, event, type, field, union member or enum value is "since" the first version of the run of
 * versions, ending with the last, that has it (one removed and added again is since the version that added it
 * again). Items are named by keys (`itemKey`); what the last version removed is listed with the same names.
 */
import { compareModels, type ApiChange } from '../changes/compare.js';
import type { ApiModel, Field } from '../model/types.js';

/** One version of the history: its label and its model. */
export interface HistoryModel {
  label: string;
  model: ApiModel;
}

/** Something the last version no longer has, as the changes engine names it. */
export interface RemovedItem {
  key: string;
  kind: ApiChange['kind'];
  name: string;
  member?: string;
  parameter?: string;
  field?: string;
  value?: string;
  /** The version that still had it. */
  lastIn: string;
}

export interface SinceResult {
  /** Key → label of the version it appeared in, for every item of the last version. */
  since: Map<string, string>;
  removed: RemovedItem[];
}

/**
 * Keys: `command:X`, `command:X.param`, `response:X`, `response:X.field`, `event:X`, `event:X.field`, `type:X`,
 * `type:X.field` (record), `type:X.Member`, `type:X.Member.field` (union), `type:X=value` (enum).
 */
export const itemKey = {
  command: (name: string, parameter?: string) => `command:${name}${parameter !== undefined ? `.${parameter}` : ''}`,
  response: (name: string, field?: string) => `response:${name}${field !== undefined ? `.${field}` : ''}`,
  event: (name: string, field?: string) => `event:${name}${field !== undefined ? `.${field}` : ''}`,
  type: (name: string, member?: string, field?: string) => `type:${name}${member !== undefined ? `.${member}` : ''}${field !== undefined ? `.${field}` : ''}`,
  enumValue: (name: string, value: string) => `type:${name}=${value}`,
};

/** The `type` tag is part of every response, event and member from the start: not an item of its own. */
const fieldsOf = (fields: readonly Field[]) => fields.filter((f) => f.name !== 'type' || f.type.kind !== 'literal');

/** Every item key of a model, each with the key of what it belongs to (undefined for top-level items). */
export function itemKeys(model: ApiModel): Map<string, string | undefined> {
  const keys = new Map<string, string | undefined>();
  for (const c of model.commands) {
    const k = itemKey.command(c.name);
    keys.set(k, undefined);
    for (const p of c.params ?? []) keys.set(itemKey.command(c.name, p.name), k);
    for (const r of c.responses) {
      const rk = itemKey.response(r.name);
      if (keys.has(rk)) continue;
      keys.set(rk, undefined);
      for (const f of fieldsOf(r.fields)) keys.set(itemKey.response(r.name, f.name), rk);
    }
  }
  for (const e of model.events) {
    const k = itemKey.event(e.name);
    keys.set(k, undefined);
    for (const f of fieldsOf(e.fields)) keys.set(itemKey.event(e.name, f.name), k);
  }
  for (const t of model.types) {
    const k = itemKey.type(t.name);
    keys.set(k, undefined);
    if (t.kind === 'record') for (const f of t.fields) keys.set(itemKey.type(t.name, f.name), k);
    else if (t.kind === 'enum') for (const v of t.values) keys.set(itemKey.enumValue(t.name, v.value), k);
    else
      for (const m of t.members) {
        const mk = itemKey.type(t.name, m.name);
        keys.set(mk, k);
        for (const f of fieldsOf(m.fields)) keys.set(itemKey.type(t.name, m.name, f.name), mk);
      }
  }
  return keys;
}

/** The item a change adds or removes, or undefined for changes of another kind (a type changed, a description…). */
function changedItem(c: ApiChange): string | undefined {
  if (c.change === 'changed' && c.rule !== 'type-kind-changed') return undefined;
  switch (c.kind) {
    case 'command':
      if (c.rule.startsWith('response-') || c.rule.startsWith('error-')) return undefined; // a command's list of responses
      return itemKey.command(c.name, c.parameter);
    case 'response':
      return c.field !== undefined ? itemKey.response(c.name, c.field) : undefined;
    case 'event':
      return itemKey.event(c.name, c.field);
    case 'type':
      if (c.rule === 'type-kind-changed') return itemKey.type(c.name);
      if (c.rule.startsWith('enum-value-')) return itemKey.enumValue(c.name, (c.change === 'added' ? c.new : c.old) ?? '');
      return itemKey.type(c.name, c.member, c.field);
  }
}

/** Forgets `key` and everything under it. */
function forget(since: Map<string, string>, key: string): void {
  for (const k of [...since.keys()]) if (k === key || k.startsWith(`${key}.`) || k.startsWith(`${key}=`)) since.delete(k);
}

/** Since-labels for every item of the last version, and what the last version removed. */
export function computeSince(versions: readonly HistoryModel[]): SinceResult {
  const since = new Map<string, string>();
  const first = versions[0];
  if (!first) return { since, removed: [] };
  // Each version's items, once: a version is the "after" of one comparison and the "before" of the next.
  const keysOf = versions.map((v) => itemKeys(v.model));
  for (const k of keysOf[0]!.keys()) since.set(k, first.label);
  let removed: RemovedItem[] = [];
  for (let i = 1; i < versions.length; i++) {
    const before = versions[i - 1]!;
    const after = versions[i]!;
    const last = i === versions.length - 1;
    if (last) removed = [];
    const changes = compareModels(before.model, after.model);
    const beforeKeys = keysOf[i - 1]!;
    const afterKeys = keysOf[i]!;
    for (const c of changes) {
      const key = changedItem(c);
      if (key === undefined) continue;
      if (c.rule === 'type-kind-changed') {
        // The type stays (by name); what it had (values, fields, members) is gone, what it has now is new.
        const own = since.get(key);
        forget(since, key);
        if (own !== undefined) since.set(key, own);
        for (const [k, parent] of afterKeys) if (parent === key) since.set(k, after.label);
        if (last) {
          const kind = before.model.types.find((t) => t.name === c.name)?.kind;
          for (const [k, parent] of beforeKeys)
            if (parent === key && !afterKeys.has(k)) {
              const part = k.slice(key.length + 1);
              removed.push({ key: k, kind: 'type', name: c.name, ...(kind === 'enum' ? { value: part } : kind === 'union' ? { member: part } : { field: part }), lastIn: before.label });
            }
        }
        continue;
      }
      if (c.change === 'removed') {
        forget(since, key);
        if (last) removed.push(removedItem(c, key, before.label));
      }
      if (c.change === 'added') since.set(key, after.label);
    }
    // Responses by name: the engine compares a command's list of responses, not the set of response types.
    for (const k of afterKeys.keys()) if (k.startsWith('response:') && !k.includes('.') && !beforeKeys.has(k)) {
      forget(since, k);
      since.set(k, after.label);
    }
    for (const k of beforeKeys.keys())
      if (k.startsWith('response:') && !k.includes('.') && !afterKeys.has(k)) {
        forget(since, k);
        if (last) removed.push({ key: k, kind: 'response', name: k.slice('response:'.length), lastIn: before.label });
      }
  }
  // Items under something new carry no change of their own: they are as old as what holds them.
  const keys = keysOf[keysOf.length - 1]!;
  const resolved = new Map<string, string>();
  const resolve = (k: string): string => {
    const known = resolved.get(k) ?? since.get(k);
    if (known !== undefined) return known;
    const parent = keys.get(k);
    const label = parent !== undefined ? resolve(parent) : first.label;
    resolved.set(k, label);
    return label;
  };
  for (const k of keys.keys()) resolved.set(k, since.get(k) ?? resolve(k));
  return { since: resolved, removed: removed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}

function removedItem(c: ApiChange, key: string, lastIn: string): RemovedItem {
  const r: RemovedItem = { key, kind: c.kind, name: c.name, lastIn };
  if (c.member !== undefined) r.member = c.member;
  if (c.parameter !== undefined) r.parameter = c.parameter;
  if (c.field !== undefined) r.field = c.field;
  if (c.rule.startsWith('enum-value-') && c.old !== undefined) r.value = c.old;
  return r;
}
