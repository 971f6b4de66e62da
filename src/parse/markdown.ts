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
import { compactText, isLatin1 } from '../util/compactText.js';

export interface MarkdownDoc {
  /** The source with CRLF normalised to LF: a CRLF document parses to the same model as its LF twin. */
  text: string;
  root: Root;
  /** Display path for diagnostics. */
  file: string;
  /** Every character is Latin-1: V8 holds the text and every slice of it one byte a character (nothing to compact). */
  latin1?: boolean;
}

const processor = unified().use(remarkParse);

export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * Parsed chunks by their text, reused across parses (watch mode re-parses only the sections that changed).
 * `sweep()` forgets chunks that the parses since the previous sweep did not use.
 *
 * Nodes are stored with the positions of where their text was last seen, moved there in place (a cold run
 * copies nothing); a chunk seen again at another place gets a moved copy, which is kept from then on.
 */
export class ChunkCache {
  private entries = new Map<string, { nodes: RootContent[]; line: number; offset: number }>();
  private used = new Set<string>();
  /** How many characters remark has parsed for this cache. */
  parsed = 0;
  /** `compact` false: the text is held one byte a character already (a slice of a Latin-1 document). */
  get(text: string, line = 1, offset = 0, compact = true): RootContent[] {
    this.used.add(text);
    const hit = this.entries.get(text);
    if (!hit) {
      this.parsed += text.length;
      const nodes = processor.parse(compact ? compactText(text) : text).children;
      for (const node of nodes) shiftInPlace(node, line - 1, offset);
      this.entries.set(text, { nodes, line, offset });
      return nodes;
    }
    if (hit.line === line && hit.offset === offset) return hit.nodes;
    // Kept where it is now: an edit above moves the rest of the document once, and the next parse finds it there.
    const nodes = hit.nodes.map((node) => shifted(node, line - hit.line, offset - hit.offset));
    this.entries.set(text, { nodes, line, offset });
    return nodes;
  }
  /**
   * The nodes of a run of parts (see `parseGroups`). After the first sweep (watch mode: the documents were read
   * before) a run that changed is read through its parts, so that the next edit within it parses one section
   * (0.5 ms for a command's) and not the whole run (3 ms for 8 KB): the first time it is parsed whole and its
   * nodes are filed under each part, which parses to the same trees alone (any cut of sectionParts is safe).
   */
  getRun(normalized: string, run: SectionPart & { kind: 'chunk' }, members: readonly SectionPart[], compact = true): RootContent[] {
    const text = normalized.slice(run.start, run.end);
    if (!this.swept || members.length < 2 || this.entries.has(text)) return this.get(text, run.line, run.start, compact);
    const chunks = members.filter((m): m is SectionPart & { kind: 'chunk' } => m.kind === 'chunk');
    if (chunks.some((m) => this.entries.has(normalized.slice(m.start, m.end))))
      return members.flatMap((m) => (m.kind === 'break' ? [thematicBreakAt(m)] : this.get(normalized.slice(m.start, m.end), m.line, m.start, compact)));
    const nodes = this.get(text, run.line, run.start, compact);
    for (const m of chunks) {
      const own = nodes.filter((n) => n.position!.start.offset! >= m.start && n.position!.start.offset! < m.end);
      const key = normalized.slice(m.start, m.end);
      this.used.add(key);
      this.entries.set(key, { nodes: own, line: m.line, offset: m.start });
    }
    return nodes;
  }
  sweep(): void {
    for (const k of this.entries.keys()) if (!this.used.has(k)) this.entries.delete(k);
    this.used.clear();
    this.swept = true;
  }
  /** Set by the first sweep: from then on, documents are read again after an edit. */
  private swept = false;
}

/** The node of a `---` line that sectionParts cut at (what remark makes of it). */
function thematicBreakAt(part: { offset: number; line: number }): RootContent {
  return {
    type: 'thematicBreak',
    position: { start: { line: part.line, column: 1, offset: part.offset }, end: { line: part.line, column: 4, offset: part.offset + 3 } },
  };
}

/** A run of the document that remark parses at once, or a `---` line between two of them. */
export type SectionPart =
  | {
      kind: 'chunk';
      start: number;
      end: number;
      line: number;
      /** The chunk starts inside a long bullet list of the previous one: its first list is that list's rest. */
      continuesList?: true;
    }
  | { kind: 'break'; offset: number; line: number };

/** A long bullet list is cut into parts of this many items, parsed apart and joined again. */
export const LIST_PART = 128;

/** Documents with link reference definitions (which reach across blocks) are parsed whole. */
const LINK_DEFINITION = /^ {0,3}\[[^\]\n]+\]:/m;

/** A list item's first line: a list may go on after a blank line, so no cut is made before one. */
const LIST_ITEM = /^(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
/** An unindented bullet item with content: after another of the same bullet, it is the next item of one list. */
const BULLET_ITEM = /^([-+*])[ \t]+\S/;

/**
 * HTML blocks that may hold blank lines (CommonMark's kinds 1 to 5), with the line that ends each: no cut is
 * made inside one. (The other kinds end at a blank line.)
 */
const HTML_BLOCKS: [RegExp, RegExp][] = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
];

/**
 * Where a (normalized) document is cut for parsing. remark-parse grows worse than linearly with the number of
 * blocks it holds at once (a text of many short lists and paragraphs: 65 µs per character at 16 KB, 625 at
 * 256 KB), so the document is cut wherever the cut cannot change the tree: at each `---` line after a blank
 * line (kept as a break), and before each unindented line after a blank line that does not start a list item
 * (a list may continue after a blank line) — outside code fences and HTML blocks. Nothing before such a line
 * can reach past it. A long bullet list (a table of contents) is cut between two one-line items every
 * `LIST_PART` lines; `parseMarkdown` joins the parts into the one list they are.
 */
export function sectionParts(normalized: string): SectionPart[] {
  if (LINK_DEFINITION.test(normalized)) return normalized ? [{ kind: 'chunk', start: 0, end: normalized.length, line: 1 }] : [];
  const parts: SectionPart[] = [];
  let chunkStart = 0;
  let chunkLine = 1;
  let line = 1;
  let offset = 0;
  let fence: string | undefined;
  let htmlEnd: RegExp | undefined;
  let previousBlank = true;
  let previousBullet: string | undefined;
  let continuesList = false;
  const flush = (end: number) => {
    if (end > chunkStart) parts.push({ kind: 'chunk', start: chunkStart, end, line: chunkLine, ...(continuesList ? { continuesList: true as const } : {}) });
    continuesList = false;
  };
  while (offset < normalized.length) {
    const nl = normalized.indexOf('\n', offset);
    const end = nl < 0 ? normalized.length : nl;
    const content = normalized.slice(offset, end);
    const next = nl < 0 ? normalized.length : nl + 1;
    if (fence) {
      if (closesFence(content, fence)) fence = undefined;
    } else if (htmlEnd) {
      if (htmlEnd.test(content)) htmlEnd = undefined;
    } else if (content === '---' && previousBlank) {
      flush(offset);
      parts.push({ kind: 'break', offset, line });
      chunkStart = next;
      chunkLine = line + 1;
    } else {
      const bullet = BULLET_ITEM.exec(content)?.[1];
      if (previousBlank && offset > chunkStart && content !== '' && !/^[ \t]/.test(content) && !LIST_ITEM.test(content)) {
        flush(offset);
        chunkStart = offset;
        chunkLine = line;
      } else if (bullet && bullet === previousBullet && line - chunkLine >= LIST_PART) {
        flush(offset);
        chunkStart = offset;
        chunkLine = line;
        continuesList = true;
      }
      previousBullet = bullet;
      const marker = FENCE.exec(content);
      if (marker) fence = marker[1];
      else {
        const html = HTML_BLOCKS.find(([open]) => open.test(content));
        // A block that closes on its own first line holds nothing more.
        if (html && !html[1].test(content.replace(html[0], ''))) htmlEnd = html[1];
      }
    }
    if (fence || htmlEnd || content.trim() === '') previousBullet = undefined;
    previousBlank = content.trim() === '';
    offset = next;
    line++;
  }
  flush(normalized.length);
  return parts;
}

/** The opening line of a fenced code block (its marker in group 1). */
export const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function closesFence(line: string, fence: string): boolean {
  const m = FENCE.exec(line);
  return !!m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1];
}

/** The most text that `parseGroups` puts into one parse. */
export const GROUP_BYTES = 8 * 1024;
const HEADING_LINE = /^#{1,6}(?:[ \t]|$)/;

/**
 * The chunks of `sectionParts`, joined into the runs that remark parses at once: from a heading to the next, as
 * long as a run stays within GROUP_BYTES (each parse costs a set-up, ~1,800 chunks cost ~100 ms more than ~350
 * sections; beyond a few KiB, remark's cost per character grows). Any cut of sectionParts is a safe place to
 * stop, and so any run of adjacent chunks (and the breaks between them) parses to their trees; a long list's
 * parts stay apart (parseMarkdown joins them).
 */
export function parseGroups(normalized: string, parts: readonly SectionPart[]): SectionPart[] {
  return groupsOf(normalized, parts).map((g) => g.run);
}

/** parseGroups' runs, each with the parts it joins. */
function groupsOf(normalized: string, parts: readonly SectionPart[]): { run: SectionPart; members: SectionPart[] }[] {
  const groups: { run: SectionPart; members: SectionPart[] }[] = [];
  for (const part of parts) {
    const group = groups[groups.length - 1];
    const last = group?.run;
    if (part.kind === 'break' && last?.kind === 'chunk' && last.end === part.offset && part.offset + 4 - last.start <= GROUP_BYTES) {
      // A `---` after a blank line: remark reads it as the same thematic break within the run.
      group!.run = { ...last, end: Math.min(part.offset + 4, normalized.length) };
      group!.members.push(part);
      continue;
    }
    if (
      part.kind === 'chunk' &&
      !part.continuesList &&
      last?.kind === 'chunk' &&
      last.end === part.start &&
      part.end - last.start <= GROUP_BYTES &&
      !HEADING_LINE.test(normalized.slice(part.start, part.start + 8))
    ) {
      group!.run = { ...last, end: part.end };
      group!.members.push(part);
    } else groups.push({ run: part, members: [part] });
  }
  return groups;
}

/** Parses a document section by section (see `sectionParts` and `parseGroups`); `parts` are those of its normalized text when the caller has them. */
export function parseMarkdown(text: string, file: string, cache: ChunkCache = new ChunkCache(), parts?: readonly SectionPart[]): MarkdownDoc {
  const normalized = normalizeNewlines(text);
  const latin1 = isLatin1(normalized);
  const children: RootContent[] = [];
  for (const { run: part, members } of groupsOf(normalized, parts ?? sectionParts(normalized))) {
    if (part.kind === 'break') children.push(thematicBreakAt(part));
    else {
      const nodes = [...cache.getRun(normalized, part, members, !latin1)];
      const last = children[children.length - 1];
      const first = nodes[0];
      if (part.continuesList && last?.type === 'list' && first?.type === 'list') {
        // The rest of a long list cut by sectionParts: one list, as remark would have read it whole.
        children[children.length - 1] = { ...last, spread: last.spread || first.spread, children: [...last.children, ...first.children], position: { start: last.position!.start, end: first.position!.end } };
        nodes.shift();
      }
      children.push(...nodes);
    }
  }
  return { text: normalized, root: { type: 'root', children }, file, latin1 };
}

type Positioned = { position?: unknown; children?: unknown[] };

/** Moves a freshly parsed node's positions by whole lines and characters, in place (children too). */
function shiftInPlace(node: Positioned, lines: number, chars: number): void {
  if (lines === 0 && chars === 0) return;
  const p = node.position as { start: { line: number; offset?: number }; end: { line: number; offset?: number } } | undefined;
  if (p) {
    p.start.line += lines;
    p.start.offset = (p.start.offset ?? 0) + chars;
    p.end.line += lines;
    p.end.offset = (p.end.offset ?? 0) + chars;
  }
  if (node.children) for (const c of node.children as Positioned[]) shiftInPlace(c, lines, chars);
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
  return doc.latin1 ? doc.text.slice(from, to) : compactText(doc.text.slice(from, to));
}

export function plainText(node: Nodes): string {
  return compactText(toString(node));
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
