/**
 * Text that must not change how generated code reads: characters that are invisible or reorder what is shown
 * (C0 and C1 controls, bidirectional controls, zero-width characters, line and paragraph separators, the byte
 * order mark) are written as `\uXXXX` wherever a target has an escape: in string literals, in comments (where
 * the escape is simply shown), in JSON.
 */

/** Every character that is escaped, except TAB, LF and CR, which each place handles in its own way. */
export const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

export function uEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Shows every invisible character as its `\uXXXX` escape (for comments, docstrings and terminal output). */
export function escapeInvisible(text: string): string {
  // Tested first: most texts have none, and a test costs a third of a replace that finds nothing.
  return HAS_INVISIBLE.test(text) ? text.replace(INVISIBLE, uEscape) : text;
}

/** INVISIBLE without the global flag, for a test that keeps no state between calls. */
const HAS_INVISIBLE = new RegExp(INVISIBLE.source);

/**
 * A double-quoted string literal that is valid, and reads the same, as JSON, JavaScript, TypeScript and Python:
 * JSON's own escapes plus `\uXXXX` for every invisible character.
 */
export function jsonString(value: string): string {
  // Most are names and keys, which JSON writes as they are: thousands of calls an emit.
  return PLAIN_JSON.test(value) ? `"${value}"` : escapeInvisible(JSON.stringify(value));
}

/** Printable ASCII but `"` and `\\`: text that a JSON string literal holds as it is, with nothing escaped or invisible. */
const PLAIN_JSON = /^[ !#-[\]-~]*$/;

/** JSON text with invisible characters escaped inside its strings (they never occur outside one). */
export function safeJson(json: string): string {
  return escapeInvisible(json);
}
