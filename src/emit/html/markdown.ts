/**
 * Descriptions into HTML. They are markdown (links, emphasis, code, lists), read with the same remark parser as
 * the documents, and written from a small set of node kinds; anything else, raw HTML included, is written as its
 * text, escaped. Links within the documents go to this reference's own pages; links outside only when they are
 * http(s) or mail links.
 */
import type { Nodes } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { escapeHtml, safeExternalUrl } from './text.js';

const processor = unified().use(remarkParse);

/** Where a link of the documents (`#chatref`, `./TYPES.md#user`) goes in the reference, or undefined. */
export type ResolveLink = (href: string) => string | undefined;

/** Characters without which a description is plain text: no parse needed. */
const MARKUP = /[[\]*_`<>&\\\n!#|~-]/;

export function markdownToHtml(markdown: string, resolve: ResolveLink, inline = false): string {
  if (!MARKUP.test(markdown)) return inline ? escapeHtml(markdown) : `<p>${escapeHtml(markdown)}</p>`;
  const root = processor.parse(markdown);
  // One paragraph shown inline (a table cell, a list entry): without its <p>.
  if (inline && root.children.length === 1 && root.children[0]!.type === 'paragraph') return children(root.children[0]!, resolve);
  return children(root, resolve);
}

function children(node: Nodes, resolve: ResolveLink): string {
  return 'children' in node ? (node.children as Nodes[]).map((c) => write(c, resolve)).join('') : '';
}

function write(node: Nodes, resolve: ResolveLink): string {
  switch (node.type) {
    case 'root':
      return children(node, resolve);
    case 'paragraph':
      return `<p>${children(node, resolve)}</p>`;
    case 'text':
      return escapeHtml(node.value);
    case 'emphasis':
      return `<em>${children(node, resolve)}</em>`;
    case 'strong':
      return `<strong>${children(node, resolve)}</strong>`;
    case 'inlineCode':
      return `<code>${escapeHtml(node.value)}</code>`;
    case 'code':
      return `<pre><code>${escapeHtml(node.value)}</code></pre>`;
    case 'break':
      return '<br>';
    case 'list': {
      const tag = node.ordered ? 'ol' : 'ul';
      return `<${tag}>${node.children.map((item) => `<li>${listItem(item, resolve)}</li>`).join('')}</${tag}>`;
    }
    case 'link': {
      const target = resolve(node.url) ?? safeExternalUrl(node.url);
      const inner = children(node, resolve);
      return target === undefined ? inner : `<a href="${escapeHtml(target)}">${inner}</a>`;
    }
    default:
      // Headings, tables, raw HTML, images…: their text only.
      return escapeHtml(toString(node));
  }
}

/** A list item: a single paragraph without its <p> (tight lists), else its blocks. */
function listItem(item: Nodes, resolve: ResolveLink): string {
  const kids = 'children' in item ? (item.children as Nodes[]) : [];
  if (kids.length === 1 && kids[0]!.type === 'paragraph') return children(kids[0]!, resolve);
  return kids.map((c) => write(c, resolve)).join('');
}

/** A description as plain text (for the search): the words of its blocks, one space between them. */
export function markdownToText(markdown: string): string {
  if (!MARKUP.test(markdown)) return markdown.trim();
  const words: string[] = [];
  const walk = (node: Nodes): void => {
    if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code' || node.type === 'html') words.push(node.value);
    else if ('children' in node) for (const c of node.children as Nodes[]) walk(c);
    if (node.type === 'paragraph' || node.type === 'listItem' || node.type === 'code' || node.type === 'heading') words.push(' ');
  };
  walk(processor.parse(markdown));
  return words.join('').replace(/\s+/g, ' ').trim();
}
