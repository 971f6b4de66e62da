/**
 * Frames written as JSON text with the text of the world's entities kept between answers: the entities the
 * Shaper made are written once per version of the world (it moves on with every command or peer action that
 * may change it), and every answer until the next change reuses that text. Writing JSON is most of what an
 * answer costs; this keeps the mock near a server that replays precomputed answers.
 */
export class FrameText {
  /**
   * Per entity: the version at which it was first written, or its text once written a second time in one version.
   * Most entities written once are never written again (a new chat item): keeping only a number for them keeps the
   * cache from holding a copy of every item's text.
   */
  private readonly cache = new WeakMap<object, { version: number; text?: string }>();

  constructor(
    private readonly isEntity: (value: object) => boolean,
    private readonly version: () => number,
  ) {}

  /** The JSON text of `value`, as JSON.stringify writes it. */
  write(value: unknown): string {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
    if (this.isEntity(value)) {
      const version = this.version();
      const kept = this.cache.get(value);
      if (kept?.version === version && kept.text !== undefined) return kept.text;
      const text = JSON.stringify(value);
      if (kept?.version === version) kept.text = text;
      else this.cache.set(value, { version });
      return text;
    }
    if (Array.isArray(value)) return `[${value.map((x) => (x === undefined || typeof x === 'function' ? 'null' : this.write(x))).join(',')}]`;
    let out = '{';
    let first = true;
    const record = value as Record<string, unknown>;
    for (const k in record) {
      if (!Object.hasOwn(record, k)) continue;
      const x = record[k];
      if (x === undefined || typeof x === 'function') continue;
      out += `${first ? '' : ','}${JSON.stringify(k)}:${this.write(x)}`;
      first = false;
    }
    return `${out}}`;
  }
}
