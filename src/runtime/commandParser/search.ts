/** The search's steps: binding, spans and their kinds, the best reading so far, and what may follow a node. */
import { CommandParseError, type Env, type Follow, FREE, type ParsedCommandValue, type Run } from './syntax.js';

/** The bound values as an object, in the order the syntax binds them. */
export function envObject(env: Env): Record<string, unknown> {
  const names: string[] = [];
  const values: unknown[] = [];
  for (let e = env; e; e = e.up) {
    if (names.includes(e.name)) continue;
    names.push(e.name);
    values.push(e.value);
  }
  const out: Record<string, unknown> = {};
  for (let i = names.length - 1; i >= 0; i--) out[names[i]!] = values[i];
  return out;
}

export function lookup(env: Env, name: string): unknown {
  for (let e = env; e; e = e.up) if (e.name === name) return e.value;
  return undefined;
}

/** A reading reached the end of the syntax at `pos`. */
export function complete(r: Run, command: string, pos: number, env: Env): void {
  if (pos !== r.n) return failAt(r, pos, 'end of the command');
  const reading: ParsedCommandValue = { command, params: envObject(env) };
  if (!r.best || r.greater) {
    // The first reading, or one more specific than the best: it is the best now, and every frame below this one
    // holds a prefix of it.
    r.best = reading;
    r.bestSegments = mergeSpans(r.spans, r.top);
    r.ties = [];
    r.version++;
    r.greater = false;
    return;
  }
  // As specific as the best, character by character.
  if (sameReading(reading, r.best) || r.ties.some((t) => sameReading(t, reading))) return;
  r.ties.push(reading);
}

export function sameReading(a: ParsedCommandValue, b: ParsedCommandValue): boolean {
  return a.command === b.command && sameValue(a.params, b.params);
}

export function mergeSpans(spans: readonly number[], top: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < top; i += 3) {
    const k = out.length;
    if (k && out[k - 2] === spans[i] && out[k - 1] === spans[i + 2]) out[k - 2] = spans[i + 1]!;
    else out.push(spans[i]!, spans[i + 1]!, spans[i + 2]!);
  }
  return out;
}

/** Index (a multiple of 3) of the best's segment that holds position `pos`. */
export function segmentAt(seg: readonly number[], pos: number): number {
  let lo = 0;
  let hi = seg.length / 3 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (seg[mid * 3]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo * 3;
}

/** The kind `kind` over [a, b) against the best's: -1 less specific at the first difference, 1 more, 0 equal. */
export function compareToBest(r: Run, a: number, b: number, kind: number): number {
  const seg = r.bestSegments;
  for (let i = segmentAt(seg, a); i < seg.length && seg[i]! < b; i += 3) if (seg[i + 2] !== kind) return seg[i + 2]! < kind ? 1 : -1;
  return 0;
}

/** The first position at or after `pos` where the best reading has more than free text. */
export function freeUntil(r: Run, pos: number): number {
  const seg = r.bestSegments;
  let i = segmentAt(seg, pos);
  while (i < seg.length && seg[i + 2] === FREE) i += 3;
  return i < seg.length ? seg[i]! : r.n;
}

/** Consumes [a, b) as `kind` and goes on, unless that makes the reading less specific than the best. */
export function consume(r: Run, a: number, b: number, kind: number, then: () => void): void {
  if (++r.steps > r.budget) throw new CommandParseError(r.text, 'limit', a + 1, [r.owner], ['fewer readings to explore']);
  if (a === b) return then();
  const greater = r.greater;
  const version = r.version;
  if (r.best && !greater) {
    const c = compareToBest(r, a, b, kind);
    if (c < 0) return;
    if (c > 0) r.greater = true;
  }
  const depth = r.top;
  r.spans[depth] = a;
  r.spans[depth + 1] = b;
  r.spans[depth + 2] = kind;
  r.top = depth + 3;
  then();
  r.top = depth;
  // A new best found below holds this prefix: from here on the reading is equal to it, not greater.
  r.greater = version === r.version && greater;
}

/** Consumes several spans ([start, end, kind, ...]) at once: a joined list. */
export function consumeAll(r: Run, spans: readonly number[], count: number, then: () => void): void {
  const greater = r.greater;
  const version = r.version;
  const depth = r.top;
  for (let i = 0; i < count; i += 3) {
    if (spans[i] === spans[i + 1]) continue;
    if (r.best && !r.greater) {
      const c = compareToBest(r, spans[i]!, spans[i + 1]!, spans[i + 2]!);
      if (c < 0) {
        r.top = depth;
        r.greater = greater;
        return;
      }
      if (c > 0) r.greater = true;
    }
    r.spans[r.top] = spans[i]!;
    r.spans[r.top + 1] = spans[i + 1]!;
    r.spans[r.top + 2] = spans[i + 2]!;
    r.top += 3;
  }
  then();
  r.top = depth;
  r.greater = version === r.version && greater;
}

export function failAt(r: Run, pos: number, what: string): void {
  if (!r.record) return;
  if (pos > r.furthest) {
    r.furthest = pos;
    r.expected = [what];
  } else if (pos === r.furthest && !r.expected.includes(what)) r.expected.push(what);
  if (pos > (r.closestBy!.get(r.owner) ?? -1)) r.closestBy!.set(r.owner, pos);
}

/** Whether `value` stands at `pos`; if not, the failure is recorded where the text parts from it. */
export function literal(r: Run, value: string, pos: number): boolean {
  if (r.text.startsWith(value, pos)) return true;
  if (!r.record) return false;
  let k = 0;
  while (k < value.length && r.text[pos + k] === value[k]) k++;
  failAt(r, pos + k, JSON.stringify(value.slice(k)));
  return false;
}

/** Whether what `follow` allows can start at `pos`. */
export function canStart(r: Run, follow: Follow, pos: number): boolean {
  if (pos === r.n) return follow.end;
  if (follow.any) return true;
  for (const l of follow.lits) if (r.text.startsWith(l, pos)) return true;
  return false;
}

/** Structural equality of two readings (JSON values). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
