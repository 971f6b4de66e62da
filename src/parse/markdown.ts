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

/**
 * Parsed chunks by their text, reused across parses (watch mode re-parses only the sections that changed).
 * `sweep()` forgets chunks that the parses since the previous sweep did not use.
 */
export class ChunkCache {
  private entries = new Map<string, RootContent[]>();
  private used = new Set<string>();
  get(text: string): RootContent[] {
    this.used.add(text);
    let nodes = this.entries.get(text);
    if (!nodes) {
      nodes = processor.parse(text).children;
      this.entries.set(text, nodes);
    }
    return nodes;
  }
  sweep(): void {
    for (const k of this.entries.keys()) if (!this.used.has(k)) this.entries.delete(k);
    this.used.clear();
  }
}

/**
 * Parses a document section by section: the documents are long runs of sections separated by `---` lines,
 * and remark-parse grows worse than linearly on one long text. Splitting at a `---` line that follows a blank
 * line outside code fences gives the same tree; documents with link reference definitions (which reach across
 * sections) are parsed whole.
 */
export function parseMarkdown(text: string, file: string, cache: ChunkCache = new ChunkCache()): MarkdownDoc {
  const normalized = normalizeNewlines(text);
  if (/^ {0,3}\[[^\]\n]+\]:/m.test(normalized)) return { text: normalized, root: processor.parse(normalized), file };
  const children: RootContent[] = [];
  let chunkStart = 0;
  let chunkLine = 1;
  let line = 1;
  let offset = 0;
  let fence: string | undefined;
  let previousBlank = true;
  const flush = (end: number) => {
    const chunk = normalized.slice(chunkStart, end);
    if (chunk) for (const node of cache.get(chunk)) children.push(shifted(node, chunkLine - 1, chunkStart));
  };
  while (offset < normalized.length) {
    const nl = normalized.indexOf('\n', offset);
    const end = nl < 0 ? normalized.length : nl;
    const content = normalized.slice(offset, end);
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(content);
    if (fence) {
      if (marker && marker[1]![0] === fence[0] && marker[1]!.length >= fence.length && content.trim() === marker[1]) fence = undefined;
    } else if (marker) fence = marker[1];
    else if (content === '---' && previousBlank) {
      flush(offset);
      children.push({
        type: 'thematicBreak',
        position: { start: { line, column: 1, offset }, end: { line, column: 4, offset: offset + 3 } },
      });
      chunkStart = nl < 0 ? normalized.length : nl + 1;
      chunkLine = line + 1;
    }
    previousBlank = content.trim() === '';
    offset = nl < 0 ? normalized.length : nl + 1;
    line++;
  }
  flush(normalized.length);
  return { text: normalized, root: { type: 'root', children }, file };
}

/** A copy of a cached node with its positions moved by whole lines and characters (children copied too). */
function shifted<T extends { position?: unknown; children?: unknown[] }>(node: T, lines: number, chars: number): T {
  const p = node.position as { start: { line: number; column: number; offset?: number }; end: { line: number; column: number; offset?: number } } | undefined;
  const out = { ...node } as T;
  if (p)
    out.position = {
      start: { line: p.start.line + lines, column: p.start.column, offset: (p.start.offset ?? 0) + chars },
      end: { line: p.end.line + lines, column: p.end.column, offset: (p.end.offset ?? 0) + chars },
    };
  if (node.children) out.children = (node.children as T[]).map((c) => shifted(c, lines, chars));
  return out;
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
  // A code fence left open runs to the end of the document, blank lines included: they are not description.
  return sourceOf(doc, blocks[0]!, blocks[blocks.length - 1]!).replace(/\n+$/, '');
}

/** Describes a block for "found …" messages. */
export function describeBlock(doc: MarkdownDoc, node: RootContent | undefined): string {
  if (!node) return 'end of document';
  const src = sourceOf(doc, node).split('\n')[0] ?? '';
  const shown = src.length > 60 ? src.slice(0, 57) + '...' : src;
  return `${node.type} "${shown}"`;
}
