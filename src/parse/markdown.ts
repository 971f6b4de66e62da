/**
 * The markdown layer: remark-parse turns a document into mdast, and a cursor walks its top-level blocks.
 * Parsers read structure from mdast and take exact text (descriptions, field lines) from the source slice of
 * a node, so that nothing is lost to markdown normalisation.
 */
import type { Code, Heading, List, ListItem, Nodes, Paragraph, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Position } from '../model/types.js';

export interface MarkdownDoc {
  /** The source with CRLF normalised to LF: a CRLF document parses to the same model as its LF twin. */
  text: string;
  root: Root;
  /** Display path for diagnostics. */
  file: string;
}

const processor = unified().use(remarkParse);

export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export function parseMarkdown(text: string, file: string): MarkdownDoc {
  const normalized = normalizeNewlines(text);
  return { text: normalized, root: processor.parse(normalized), file };
}

export function startOf(node: Nodes): Position {
  const p = node.position?.start;
  return { line: p?.line ?? 1, column: p?.column ?? 1 };
}

/** The exact source text of a node (or of a run of nodes, from the first's start to the last's end). */
export function sourceOf(doc: MarkdownDoc, first: Nodes, last: Nodes = first): string {
  const from = first.position?.start.offset ?? 0;
  const to = last.position?.end.offset ?? from;
  return doc.text.slice(from, to);
}

export function plainText(node: Nodes): string {
  return toString(node);
}

export function isHeading(node: RootContent | undefined, depth?: number): node is Heading {
  return node?.type === 'heading' && (depth === undefined || node.depth === depth);
}

export function isParagraph(node: RootContent | undefined): node is Paragraph {
  return node?.type === 'paragraph';
}

export function isList(node: RootContent | undefined): node is List {
  return node?.type === 'list';
}

export function isCode(node: RootContent | undefined): node is Code {
  return node?.type === 'code';
}

/** A paragraph whose whole source is exactly `text` (e.g. `**Syntax**:`). */
export function isMarker(doc: MarkdownDoc, node: RootContent | undefined, text: string | RegExp): node is Paragraph {
  if (!isParagraph(node)) return false;
  const src = sourceOf(doc, node);
  return typeof text === 'string' ? src === text : text.test(src);
}

/** The source text of a list item's content (without the `- ` bullet), with the item's start position. */
export function listItemSource(doc: MarkdownDoc, item: ListItem): { text: string; pos: Position } {
  const first = item.children[0];
  const last = item.children[item.children.length - 1];
  if (!first || !last) return { text: '', pos: startOf(item) };
  // Only the first block of an item is its content line; nested lists are read by their own callers.
  const text = sourceOf(doc, first, first.type === 'paragraph' ? first : last);
  return { text, pos: startOf(first) };
}

/** Walks the top-level blocks of a document in order. */
export class BlockCursor {
  private index = 0;
  constructor(readonly doc: MarkdownDoc) {}

  get nodes(): RootContent[] {
    return this.doc.root.children;
  }
  peek(offset = 0): RootContent | undefined {
    return this.nodes[this.index + offset];
  }
  next(): RootContent | undefined {
    return this.nodes[this.index++];
  }
  done(): boolean {
    return this.index >= this.nodes.length;
  }
  /** Takes blocks while `keep` holds; returns them (possibly none). */
  takeWhile(keep: (node: RootContent) => boolean): RootContent[] {
    const taken: RootContent[] = [];
    while (!this.done() && keep(this.peek()!)) taken.push(this.next()!);
    return taken;
  }
  /** A position for "expected …" diagnostics: the next block, or the end of the document. */
  here(): Position {
    const node = this.peek();
    if (node) return startOf(node);
    const lines = this.doc.text.split('\n');
    return { line: lines.length, column: 1 };
  }
}

/** Markdown source of a run of description blocks ('' when there are none). */
export function descriptionOf(doc: MarkdownDoc, blocks: RootContent[]): string {
  if (blocks.length === 0) return '';
  return sourceOf(doc, blocks[0]!, blocks[blocks.length - 1]!);
}

/** Describes a block for "found …" messages. */
export function describeBlock(doc: MarkdownDoc, node: RootContent | undefined): string {
  if (!node) return 'end of document';
  const src = sourceOf(doc, node).split('\n')[0] ?? '';
  const shown = src.length > 60 ? src.slice(0, 57) + '...' : src;
  return `${node.type} "${shown}"`;
}
