/** Readers for the block shapes the three documents share: field lists, `Name: text` lines, syntax blocks. */
import type { List, RootContent } from 'mdast';
import { DiagnosticCodes } from '../diagnostics/diagnostic.js';
import type { Field, Position, SyntaxBlock } from '../model/types.js';
import type { ParseContext } from './context.js';
import { describeBlock, isCode, isList, isMarker, listItemSource, sourceOf, startOf, type BlockCursor } from './markdown.js';
import { checkFieldName } from './names.js';
import { parseTypeExpr } from './typeExpr.js';

const FIELD_LINE = /^([^\s:]+): (.*)$/s;

/** Reads `- name: type` items. Lines that do not parse are reported and skipped. */
export function readFields(ctx: ParseContext, list: List, what: string): Field[] {
  const fields: Field[] = [];
  for (const item of list.children) {
    const { text, pos } = listItemSource(ctx.doc, item);
    const field = parseFieldLine(ctx, text, pos, what);
    if (field) fields.push(field);
  }
  return fields;
}

export function parseFieldLine(ctx: ParseContext, text: string, pos: Position, what: string): Field | undefined {
  const m = FIELD_LINE.exec(text);
  if (!m || text.includes('\n')) {
    ctx.report(DiagnosticCodes.BAD_FIELD, pos, `${what} line "${clip(text)}" does not parse`, {
      expected: '"name: type", e.g. "userId: int64" or "user: [User](./TYPES.md#user)?"',
    });
    return undefined;
  }
  const [, name, typeText] = m as unknown as [string, string, string];
  if (!checkFieldName(ctx, name, pos, what)) return undefined;
  const typeCol = pos.column + name.length + 2;
  const parsed = parseTypeExpr(typeText);
  if (!parsed.ok) {
    ctx.report(
      DiagnosticCodes.BAD_FIELD,
      { line: pos.line, column: typeCol + parsed.error.offset },
      `${what} "${name}": ${parsed.error.message}`,
      { expected: parsed.error.expected },
    );
    return undefined;
  }
  return { name, type: parsed.type, source: ctx.ref(pos) };
}

const NAMED_LINE = /^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/s;

/** Reads a `Name: description` paragraph or list item (the description may be empty, as in `Name:`). */
export function parseNamedLine(text: string): { name: string; description: string } | undefined {
  const m = NAMED_LINE.exec(text);
  if (!m || text.includes('\n')) return undefined;
  return { name: m[1]!, description: m[2] ?? '' };
}

/**
 * Reads `**Syntax**:` (already consumed) followed by the syntax code block and the optional JavaScript and Python
 * code blocks.
 */
export function readSyntaxBlock(ctx: ParseContext, cursor: BlockCursor, owner: string): SyntaxBlock | undefined {
  const code = cursor.peek();
  if (!isCode(code) || code.lang) {
    ctx.report(DiagnosticCodes.MISSING_SYNTAX, cursor.here(), `${owner}: "**Syntax**:" is not followed by a syntax code block`, {
      expected: 'a fenced code block without a language holding the command syntax',
    });
    return undefined;
  }
  cursor.next();
  const block: SyntaxBlock = { text: code.value, source: ctx.ref(contentStart(code)) };
  const js = cursor.peek();
  if (isCode(js) && js.lang === 'javascript') {
    cursor.next();
    block.javascript = stripMarker(js.value, ' // JavaScript');
    block.javascriptSource = ctx.ref(contentStart(js));
  }
  const py = cursor.peek();
  if (isCode(py) && py.lang === 'python') {
    cursor.next();
    block.python = stripMarker(py.value, ' # Python');
    block.pythonSource = ctx.ref(contentStart(py));
  }
  return block;
}

/** The first line inside a fenced code block. */
function contentStart(node: RootContent): Position {
  const p = startOf(node);
  return { line: p.line + 1, column: 1 };
}

function stripMarker(value: string, marker: string): string {
  return value.endsWith(marker) ? value.slice(0, -marker.length) : value;
}

/** Reads an optional `**Heading**:` marker followed by a list, returning the list (or undefined). */
export function takeMarkedList(ctx: ParseContext, cursor: BlockCursor, marker: string): List | undefined | null {
  if (!isMarker(ctx.doc, cursor.peek(), marker)) return null;
  cursor.next();
  const list = cursor.peek();
  if (!isList(list)) {
    ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, cursor.here(), `"${marker}" is not followed by a list`, {
      expected: 'a list of "- name: type" lines',
    });
    return undefined;
  }
  cursor.next();
  return list;
}

export function clip(s: string, n = 60): string {
  const line = s.split('\n')[0] ?? '';
  return line.length > n ? line.slice(0, n - 3) + '...' : line;
}

export { sourceOf };

/** The value of the `type: "tag"` field, which tags responses, events and union members ('' when absent). */
export function tagOf(fields: readonly Field[]): string {
  for (const f of fields) if (f.name === 'type' && f.type.kind === 'literal') return f.type.value;
  return '';
}

/**
 * Consumes the `---` that ends a command, type or event. Anything else is reported, and the parse resumes at the
 * next heading or `---`, so that one broken section does not hide the problems of the next.
 */
export function endSection(ctx: ParseContext, cursor: BlockCursor, what: string, headingDepth?: number): void {
  const next = cursor.peek();
  if (next?.type === 'thematicBreak') {
    cursor.next();
    return;
  }
  if (!next || (headingDepth !== undefined && next.type === 'heading' && next.depth === headingDepth)) return;
  ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, cursor.here(), `${what}: found ${describeBlock(ctx.doc, next)}`, {
    expected: `a "---" line ending the ${what.split(' ')[0]}`,
  });
  cursor.takeWhile((n) => n.type !== 'heading' && n.type !== 'thematicBreak');
  if (cursor.peek()?.type === 'thematicBreak') cursor.next();
}
