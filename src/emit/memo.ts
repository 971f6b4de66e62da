/**
 * What the emitters remember between the emits of one watch session: each result under a name, with the values it
 * was made from, taken again while every one of them is the same (by identity). A session's models share every
 * item an edit did not touch (ModelInterner), so a one-section edit makes again only what reads that section.
 * Whatever `make` reads must be among `deps`: names, options, templates, model items or lists.
 */
import type { Memo } from '../util/memo.js';

export { remembered } from '../util/memo.js';

export class EmitMemo implements Memo {
  private entries = new Map<string, { deps: readonly unknown[]; value: unknown }>();
  private used = new Map<string, { deps: readonly unknown[]; value: unknown }>();

  get<T>(name: string, deps: readonly unknown[], make: () => T, same?: (a: T, b: T) => boolean): T {
    const entry = this.used.get(name) ?? this.entries.get(name);
    if (entry && entry.deps.length === deps.length && entry.deps.every((d, i) => Object.is(d, deps[i]))) {
      this.used.set(name, entry);
      return entry.value as T;
    }
    const made = make();
    const value = entry && same?.(entry.value as T, made) ? (entry.value as T) : made;
    this.used.set(name, { deps, value });
    return value;
  }

  /** Forgets what the last emit did not ask for, so that memory follows the documents as they are now. */
  sweep(): void {
    this.entries = this.used;
    this.used = new Map();
  }
}
