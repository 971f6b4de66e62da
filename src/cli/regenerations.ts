/**
 * The order of watch mode's regenerations: one at a time, after a short pause that gathers a save's events, and
 * each superseded by the next event (its signal aborts): a regeneration of a text already gone is not written.
 */

/**
 * A save's events (a write, a rename, a write in 8 KB pieces) reach the watcher together, in one read of the
 * kernel's queue (measured: one callback each). The pause only gathers those; a save slower than it (a checkout
 * writing the three documents in turn) supersedes the regeneration it started.
 */
export const PAUSE_MS = 2;

/** What a regeneration came to: true or false when it ran to the end, undefined when it was superseded. */
export type Regenerate = (changed: string[], superseded: AbortSignal) => Promise<boolean | undefined>;

export class Regenerations {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  /** The regeneration under way, which the next event supersedes. */
  private current: AbortController | undefined;

  /** `done` hears of every regeneration that ran to the end (not of superseded ones). */
  constructor(
    private readonly regenerate: Regenerate,
    private readonly done: (ok: boolean) => void = () => {},
    private readonly pauseMs = PAUSE_MS,
  ) {}

  /** A watched file changed (its path as shown in the line that reports the regeneration). */
  changed(file: string): void {
    this.pending.add(file);
    this.current?.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.running.then(() => this.next());
    }, this.pauseMs);
  }

  private async next(): Promise<void> {
    // The files are taken when the run starts: a run before it may have taken them already, or given back its own.
    if (!this.pending.size) return;
    const changed = [...this.pending].sort();
    this.pending.clear();
    const controller = (this.current = new AbortController());
    const ok = await this.regenerate(changed, controller.signal);
    if (this.current === controller) this.current = undefined;
    // Superseded: the run that the newer event scheduled names these files too.
    if (ok === undefined) for (const file of changed) this.pending.add(file);
    else this.done(ok);
  }

  /** Waits for the regeneration under way; nothing starts after. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
