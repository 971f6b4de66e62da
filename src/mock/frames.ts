/** The frames the mock chat core sends, and what every transport of it needs to answer an unreadable one. */
import { MAX_JSON_DEPTH } from '../runtime/commandParser.js';

/**
 * A frame the core sends: a reply (with the request's corrId, whatever its JSON type), an event (without one),
 * or the answer to a control frame (`ctl`).
 */
export type Frame = { corrId?: unknown; resp: Record<string, unknown> } | ControlFrame;
export type ControlFrame = { ctl: unknown; result?: unknown; error?: string; resp?: undefined; corrId?: undefined };

/** How deep a frame may nest: deeper ones are answered with an error before anything recurses into them. */
export const MAX_FRAME_DEPTH = MAX_JSON_DEPTH;

const CORR_ID = /"corrId"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/;

/** The corrId a frame's text names near its start, for frames that are not read whole (too large, not JSON). */
export function corrIdOf(text: string): unknown {
  const m = CORR_ID.exec(text.slice(0, 4096));
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]!);
  } catch {
    return undefined;
  }
}

/** The chat core's answer to a command it cannot run. */
export function commandError(message: string): Record<string, unknown> {
  return { type: 'chatCmdError', chatError: { type: 'error', errorType: { type: 'commandError', message } } };
}

/** Whether `value` holds everything `pattern` says (objects by their listed keys, lists and primitives whole). */
export function matches(pattern: unknown, value: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object') return pattern === value;
  if (Array.isArray(pattern)) return Array.isArray(value) && value.length === pattern.length && pattern.every((p, i) => matches(p, value[i]));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(pattern).every(([k, p]) => Object.hasOwn(value, k) && matches(p, (value as Record<string, unknown>)[k]));
}
