/**
 * Text into HTML: every character that means something to HTML is escaped, and invisible or reordering
 * characters (bidirectional overrides, zero-width spaces, controls) are shown as their `\uXXXX` escapes, so that
 * the spec's text is always read as text, and as written.
 */
import { escapeInvisible } from '../escape.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return escapeInvisible(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** Text for an element's content only (quotes stay as they are: the JSON examples are full of them). */
export function escapeContent(text: string): string {
  return escapeInvisible(text).replace(/[&<>]/g, (c) => ENTITIES[c]!);
}

/** An element: `attrs` values are escaped, `inner` is HTML already (escape text with escapeHtml). */
export function el(tag: string, attrs: Record<string, string | undefined>, inner = ''): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(v!)}"`)
    .join('');
  return `<${tag}${a}>${inner}</${tag}>`;
}

/** A URL that is only ever a link: http(s) and mail addresses, else nothing (no `javascript:`, no `data:`). */
export function safeExternalUrl(href: string): string | undefined {
  return /^(https?:\/\/|mailto:)[^\s<>"']+$/i.test(href) ? href : undefined;
}
