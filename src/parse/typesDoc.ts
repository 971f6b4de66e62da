/** Reads TYPES.md: records, enums and discriminated unions, some with a syntax block of their own. */
import type { Heading, List } from 'mdast';
import { headingName } from './names.js';
import { DiagnosticCodes } from '../diagnostics/diagnostic.js';
import type { DocHeader, EnumValue, TypeDoc, UnionMember } from '../model/types.js';
import { clip, endSection, parseNamedLine, readFields, readSyntaxBlock, tagOf } from './blocks.js';
import { ParseContext } from './context.js';
import { readHeader, readToc } from './header.js';
import {
  BlockCursor,
  describeBlock,
  descriptionOf,
  isHeading,
  isList,
  isMarker,
  isParagraph,
  listItemSource,
  sourceOf,
  startOf,
  type MarkdownDoc,
} from './markdown.js';

export interface TypesDoc {
  header: DocHeader;
  types: TypeDoc[];
}

const KIND_MARKERS = {
  '**Record type**:': 'record',
  '**Enum type**:': 'enum',
  '**Discriminated union type**:': 'union',
} as const;
type KindMarker = keyof typeof KIND_MARKERS;
const ENUM_VALUE = /^"([^"]*)"$/;

export function parseTypesDoc(doc: MarkdownDoc): { value: TypesDoc; diagnostics: ParseContext['diagnostics'] } {
  const ctx = new ParseContext(doc, 'TYPES');
  const cursor = new BlockCursor(doc);
  const header = readHeader(ctx, cursor);
  readToc(ctx, cursor);
  const types: TypeDoc[] = [];
  while (!cursor.done()) {
    const node = cursor.peek()!;
    if (isHeading(node, 2)) {
      const t = readType(ctx, cursor);
      if (t) types.push(t);
    } else {
      ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, startOf(node), `found ${describeBlock(doc, node)} between types`, {
        expected: 'a "## TypeName" heading',
      });
      cursor.next();
    }
  }
  return { value: { header, types }, diagnostics: ctx.diagnostics };
}

function kindMarkerOf(ctx: ParseContext, node: import('mdast').RootContent | undefined): KindMarker | undefined {
  if (!isParagraph(node)) return undefined;
  const src = sourceOf(ctx.doc, node);
  return src in KIND_MARKERS ? (src as KindMarker) : undefined;
}

function readType(ctx: ParseContext, cursor: BlockCursor): TypeDoc | undefined {
  const doc = ctx.doc;
  const heading = cursor.next()!;
  const name = headingName(ctx, heading as Heading, 'type');
  const source = ctx.ref(startOf(heading));
  const description = descriptionOf(
    doc,
    cursor.takeWhile((n) => !kindMarkerOf(ctx, n) && !isHeading(n) && n.type !== 'thematicBreak'),
  );
  const marker = kindMarkerOf(ctx, cursor.peek());
  if (!marker) {
    ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, cursor.here(), `type ${name}: found ${describeBlock(doc, cursor.peek())}`, {
      expected: '"**Record type**:", "**Enum type**:" or "**Discriminated union type**:"',
    });
    skipToNextSection(cursor);
    return undefined;
  }
  cursor.next();
  let type: TypeDoc;
  switch (KIND_MARKERS[marker]) {
    case 'record': {
      const list = isList(cursor.peek()) ? (cursor.next() as List) : undefined;
      type = { kind: 'record', name, description, fields: list ? readFields(ctx, list, `${name} field`) : [], source };
      break;
    }
    case 'enum': {
      const list = isList(cursor.peek()) ? (cursor.next() as List) : undefined;
      type = { kind: 'enum', name, description, values: list ? readEnumValues(ctx, list, name) : [], source };
      break;
    }
    case 'union':
      type = { kind: 'union', name, description, members: readMembers(ctx, cursor, name), source };
      break;
  }
  if (isMarker(doc, cursor.peek(), '**Syntax**:')) {
    cursor.next();
    const syntax = readSyntaxBlock(ctx, cursor, name);
    if (syntax) type.syntax = syntax;
  }
  // The last type of the document has no "---" after it.
  endSection(ctx, cursor, `type ${name}`, 2);
  return type;
}

function skipToNextSection(cursor: BlockCursor): void {
  cursor.takeWhile((n) => !isHeading(n, 2) && n.type !== 'thematicBreak');
  if (cursor.peek()?.type === 'thematicBreak') cursor.next();
}

function readEnumValues(ctx: ParseContext, list: List, typeName: string): EnumValue[] {
  const values: EnumValue[] = [];
  for (const item of list.children) {
    const { text, pos } = listItemSource(ctx.doc, item);
    const m = ENUM_VALUE.exec(text);
    if (m) values.push({ value: m[1]!, source: ctx.ref(pos) });
    else
      ctx.report(DiagnosticCodes.BAD_FIELD, pos, `${typeName} enum value "${clip(text)}" does not parse`, {
        expected: 'a quoted value such as "direct"',
      });
  }
  return values;
}

function readMembers(ctx: ParseContext, cursor: BlockCursor, typeName: string): UnionMember[] {
  const members: UnionMember[] = [];
  while (isParagraph(cursor.peek()) && !isMarker(ctx.doc, cursor.peek(), '**Syntax**:')) {
    const para = cursor.next()!;
    const pos = startOf(para);
    const named = parseNamedLine(sourceOf(ctx.doc, para));
    const list = isList(cursor.peek()) ? (cursor.next() as List) : undefined;
    if (!named || named.description !== '') {
      ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, pos, `${typeName}: union member line "${clip(sourceOf(ctx.doc, para))}" does not parse`, {
        expected: '"MemberName:" followed by its fields',
      });
      continue;
    }
    const fields = list ? readFields(ctx, list, `${typeName}.${named.name} field`) : [];
    members.push({ name: named.name, tag: tagOf(fields), fields, source: ctx.ref(pos) });
  }
  return members;
}
