/**
 * Structural sharing between the models of one session (watch mode): an item equal to the same-named item of the
 * previous model is replaced by that earlier object, and a list whose items all are, by the earlier list. Equal
 * content then means the same object, so caches keyed by identity (the JSON of model.json's parts) hold across
 * rebuilds exactly as long as what they were made from, and a one-section edit leaves every other item shared.
 */
import type { ApiModel } from './types.js';

/** Deep equality of the model's data: plain objects, arrays and primitives (what the parsers build). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** `next`'s items, each replaced by the previous list's item of its name when equal; the previous list when all are. */
function internList<T extends { name: string }>(previous: readonly T[] | undefined, next: T[]): T[] {
  if (!previous) return next;
  const byName = new Map<string, T>();
  for (const item of previous) if (!byName.has(item.name)) byName.set(item.name, item);
  let allShared = previous.length === next.length;
  const out = next.map((item, i) => {
    const before = byName.get(item.name);
    const shared = before !== undefined && sameData(before, item) ? before : item;
    if (shared !== previous[i]) allShared = false;
    return shared;
  });
  return allShared ? (previous as T[]) : out;
}

/** Keeps the last model and shares its parts with the next one (see the module's comment). */
export class ModelInterner {
  private previous: ApiModel | undefined;

  intern(model: ApiModel): ApiModel {
    const p = this.previous;
    if (p) {
      model.types = internList(p.types, model.types);
      model.commands = internList(p.commands, model.commands);
      model.events = internList(p.events, model.events);
      model.commandCategories = internList(p.commandCategories, model.commandCategories);
      model.eventCategories = internList(p.eventCategories, model.eventCategories);
      for (const kind of ['COMMANDS', 'TYPES', 'EVENTS'] as const) {
        const before = p.sources[kind];
        if (before !== undefined && sameData(before, model.sources[kind])) model.sources[kind] = before;
      }
      if (sameData(p.sources, model.sources)) model.sources = p.sources;
    }
    this.previous = model;
    return model;
  }
}
