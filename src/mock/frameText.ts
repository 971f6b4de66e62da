/**
 * Frames written as JSON text with the text of the world's entities kept between answers: the entities the
 * Shaper made are written once per version of the world (it moves on with every command or peer action that
 * may change it), and every answer until the next change reuses that text. Writing JSON is most of what an
 * answer costs; this keeps the mock near a server that replays precomputed answers.
 */
export class FrameText {
  private readonly cache = new WeakMap<object, { version: number; text: string }>();

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
      if (kept && kept.version === version) return kept.text;
      const text = JSON.stringify(value);
      this.cache.set(value, { version, text });
      return text;
    }
    if (Array.isArray(value)) return `[${value.map((x) => (x === undefined || typeof x === 'function' ? 'null' : this.write(x))).join(',')}]`;
    let out = '{';
    for (const [k, x] of Object.entries(value)) {
      if (x === undefined || typeof x === 'function') continue;
      out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${this.write(x)}`;
    }
    return `${out}}`;
  }
}
