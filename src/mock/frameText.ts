/**
 * Frames written as JSON text with the text of the world's entities kept between answers: the shared entities
 * the Shaper made (users, contacts, groups, members; not chat items) are written once per version of the world
 * (it moves on with every command or peer action that may change one), and every answer until the next change
 * reuses that text. Writing JSON is most of what an answer costs; this keeps the mock near a server that replays
 * precomputed answers.
 */
export class FrameText {
  /**
   * Per entity: the version at which it was first written, or its text once written a second time in one version,
   * so that an entity written once and never again costs a number, not a copy of its text.
   */
  private readonly cache = new WeakMap<object, { version: number; text?: string }>();
  /** Keys as JSON strings: the same few dozen keys are written again and again. */
  private readonly keys = new Map<string, string>();

  constructor(
    private readonly isShared: (value: object) => boolean,
    private readonly version: () => number,
  ) {}

  /** The JSON text of `value`, as JSON.stringify writes it. */
  write(value: unknown): string {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
    if (this.isShared(value)) {
      const version = this.version();
      const kept = this.cache.get(value);
      if (kept !== undefined && kept.version === version && kept.text !== undefined) return kept.text;
      const text = JSON.stringify(value);
      if (kept !== undefined && kept.version === version) kept.text = text;
      else this.cache.set(value, { version });
      return text;
    }
    // Without an entity inside, JSON.stringify is faster than any walk.
    if (!this.holdsEntity(value, 0)) return JSON.stringify(value);
    if (Array.isArray(value)) {
      let out = '[';
      for (let i = 0; i < value.length; i++) {
        const x: unknown = value[i];
        out += (i ? ',' : '') + (x === undefined || typeof x === 'function' ? 'null' : this.write(x));
      }
      return out + ']';
    }
    let out = '{';
    let first = true;
    const record = value as Record<string, unknown>;
    for (const k in record) {
      if (!Object.hasOwn(record, k)) continue;
      const x = record[k];
      if (x === undefined || typeof x === 'function') continue;
      let key = this.keys.get(k);
      if (key === undefined) this.keys.set(k, (key = JSON.stringify(k)));
      out += (first ? '' : ',') + key + ':' + this.write(x);
      first = false;
    }
    return out + '}';
  }

  /** Whether an entity is within the few levels a response wraps entities in. */
  private holdsEntity(value: object, depth: number): boolean {
    if (this.isShared(value)) return true;
    if (depth >= 4) return false;
    if (Array.isArray(value)) {
      for (const x of value) if (typeof x === 'object' && x !== null && this.holdsEntity(x, depth + 1)) return true;
      return false;
    }
    for (const k in value) {
      const x = (value as Record<string, unknown>)[k];
      if (typeof x === 'object' && x !== null && this.holdsEntity(x, depth + 1)) return true;
    }
    return false;
  }
}
