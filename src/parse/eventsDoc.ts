/** Reads EVENTS.md: categories of events (main and other, as its table of contents says) and their fields. */
import type { Heading, List, RootContent } from 'mdast';
import { headingName } from './names.js';
import { DiagnosticCodes } from '../diagnostics/diagnostic.js';
import type { DocHeader, EventCategory, EventDoc } from '../model/types.js';
import { endSection, readFields, tagOf } from './blocks.js';
import { ParseContext } from './context.js';
import { isAnchorLinkParagraph, readHeader, readToc } from './header.js';
import {
  BlockCursor,
  describeBlock,
  descriptionOf,
  isHeading,
  isList,
  isMarker,
  plainText,
  startOf,
  type MarkdownDoc,
} from './markdown.js';

export interface EventsDoc {
  header: DocHeader;
  categories: EventCategory[];
  events: EventDoc[];
}

interface TocCategory {
  name: string;
  main: string[];
  other: string[];
}

export function parseEventsDoc(doc: MarkdownDoc): { value: EventsDoc; diagnostics: ParseContext['diagnostics'] } {
  const ctx = new ParseContext(doc, 'EVENTS');
  const cursor = new BlockCursor(doc);
  const header = readHeader(ctx, cursor);
  const toc = readEventsToc(readToc(ctx, cursor));
  const categories: EventCategory[] = [];
  const events: EventDoc[] = [];
  let current: { category: EventCategory; toc: TocCategory | undefined } | undefined;

  while (!cursor.done()) {
    const node = cursor.peek()!;
    if (isHeading(node, 2)) {
      cursor.next();
      const name = headingName(ctx, node, 'category');
      const category: EventCategory = {
        name,
        description: descriptionOf(doc, cursor.takeWhile((n) => !isHeading(n))),
        mainEvents: [],
        otherEvents: [],
        source: ctx.ref(startOf(node)),
      };
      const tocEntry = toc.find((t) => t.name === name);
      if (!tocEntry)
        ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, startOf(node), `event category "${name}" is not in the table of contents`, {
          expected: 'every category listed at the top of the document',
        });
      categories.push(category);
      current = { category, toc: tocEntry };
    } else if (isHeading(node, 3)) {
      const event = readEvent(ctx, cursor);
      if (!event) continue;
      if (!current) {
        ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, event.source, `event "${event.name}" is not in a category`, {
          expected: 'a "## Category" heading before the first event',
        });
        continue;
      }
      events.push(event);
      // The body does not say which events are main: the table of contents does.
      if (current.toc?.main.includes(event.name)) current.category.mainEvents.push(event.name);
      else current.category.otherEvents.push(event.name);
    } else {
      ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, startOf(node), `found ${describeBlock(doc, node)} between events`, {
        expected: 'a "## Category" or "### Event" heading',
      });
      cursor.next();
    }
  }
  return { value: { header, categories, events }, diagnostics: ctx.diagnostics };
}

function readEventsToc(blocks: RootContent[]): TocCategory[] {
  const result: TocCategory[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const node = blocks[i]!;
    if (!isAnchorLinkParagraph(node)) continue;
    const entry: TocCategory = { name: plainText(node), main: [], other: [] };
    result.push(entry);
    const list = blocks[i + 1];
    if (!isList(list)) continue;
    for (const item of list.children) {
      const label = item.children[0] ? plainText(item.children[0]) : '';
      const nested = item.children.find((c) => c.type === 'list') as List | undefined;
      if (nested && /^Main events?$/.test(label)) entry.main.push(...nested.children.map((c) => plainText(c)));
      else if (nested && label === 'Other events') entry.other.push(...nested.children.map((c) => plainText(c)));
      else entry.other.push(label);
    }
  }
  return result;
}

function readEvent(ctx: ParseContext, cursor: BlockCursor): EventDoc | undefined {
  const doc = ctx.doc;
  const heading = cursor.next()!;
  const name = headingName(ctx, heading as Heading, 'event');
  const source = ctx.ref(startOf(heading));
  const description = descriptionOf(
    doc,
    cursor.takeWhile((n) => !isMarker(doc, n, '**Record type**:') && !isHeading(n) && n.type !== 'thematicBreak'),
  );
  let fields: EventDoc['fields'] = [];
  if (isMarker(doc, cursor.peek(), '**Record type**:')) {
    cursor.next();
    const list = isList(cursor.peek()) ? (cursor.next() as List) : undefined;
    if (list) fields = readFields(ctx, list, `${name} field`);
  } else {
    ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, cursor.here(), `event ${name}: found ${describeBlock(doc, cursor.peek())}`, {
      expected: '"**Record type**:" followed by the event fields',
    });
  }
  endSection(ctx, cursor, `event ${name}`);
  return { name, description, tag: tagOf(fields), fields, source };
}
