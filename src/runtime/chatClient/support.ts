/** The client's bookkeeping: pending commands, reconnection state, checked options, and events kept until someone listens. */

export interface Pending {
  resolve: (value: { type: string }) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  /** Whether the frame was written (a lost connection loses its reply). */
  written: boolean;
}

export const OPEN = 1;

/** ReconnectOptions with every default filled in. */
export interface Reconnection {
  initialDelayMs: number;
  maxDelayMs: number;
  giveUpAfterMs: number;
  whileDisconnected: 'queue' | 'reject';
  maxQueued: number;
}

/** A positive whole number, or the default. */
export function countOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive whole number, not ${String(value)}`);
  return value;
}

/** A number of milliseconds setTimeout can wait: positive, finite, below 2^31 (a larger one fires at once). */
export function millisOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0 && value < 2 ** 31)) throw new RangeError(`${name} must be a positive number of milliseconds below 2^31, not ${String(value)}`);
  return value;
}

/** Events in arrival order, at most `max`: when full, the oldest goes and is counted. */
export class EventBuffer<E> {
  private items: E[] = [];
  private head = 0;
  dropped = 0;
  readonly max: number;
  // A field, not a parameter property: this file must be erasable syntax (Node's type stripping).
  constructor(max: number) {
    this.max = max;
  }
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: E): void {
    if (this.length >= this.max) {
      this.head++;
      this.dropped++;
    }
    this.items.push(item);
    // Compact now and then: shift() on a long array costs a copy each time.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
  shift(): E | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    }
    return item;
  }
  drain(): E[] {
    const out = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return out;
  }
}
