/**
 * The same text, held one byte a character when every character is Latin-1. V8 holds a string that has one
 * character beyond Latin-1 (an em dash in a description) two bytes a character, and every slice of it too: names
 * taken from such a document (`userId`) stay two-byte in every object that uses them as keys or values, V8 keeps the
 * first of equal names it meets for all of them, and any JSON text written with one is two-byte throughout. Writing
 * such text to a socket costs about four times as much (UTF-16 to UTF-8): the mock chat core's answers did.
 */
const LATIN1_ONLY = /^[\x00-\xff]*$/;

export function compactText(text: string): string {
  return text.length > 0 && LATIN1_ONLY.test(text) ? Buffer.from(text, 'latin1').toString('latin1') : text;
}

/**
 * Whether every character is Latin-1. A document read from UTF-8 that is (most of upstream's) is held one byte a
 * character already, and so is every slice of it: its parts need no compacting.
 */
export function isLatin1(text: string): boolean {
  return LATIN1_ONLY.test(text);
}
