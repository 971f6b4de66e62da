/** Reads COMMANDS.md: categories of commands, each with parameters, syntax, responses and errors. */
import type { Heading, RootContent } from 'mdast';
import { headingName } from './names.js';
import { DiagnosticCodes } from '../diagnostics/diagnostic.js';
import type { CommandCategory, CommandDoc, DocHeader, ErrorDoc, NetworkUsage, ResponseDoc } from '../model/types.js';
import { clip, endSection, parseNamedLine, readFields, readSyntaxBlock, tagOf, takeMarkedList } from './blocks.js';
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
  plainText,
  sourceOf,
  startOf,
  type MarkdownDoc,
} from './markdown.js';

export interface CommandsDoc {
  header: DocHeader;
  categories: CommandCategory[];
  commands: CommandDoc[];
}

const NETWORK_USAGE = /^\*Network usage\*: (.*)\.$/;
const NETWORK_USAGES: readonly NetworkUsage[] = ['no', 'interactive', 'background'];
const SECTION_MARKERS = ['**Parameters**:', '**Syntax**:', '**Responses**:', '**Response**:', '**Errors**:'];

export function parseCommandsDoc(doc: MarkdownDoc): { value: CommandsDoc; diagnostics: ParseContext['diagnostics'] } {
  const ctx = new ParseContext(doc, 'COMMANDS');
  const cursor = new BlockCursor(doc);
  const header = readHeader(ctx, cursor);
  readToc(ctx, cursor);
  const categories: CommandCategory[] = [];
  const commands: CommandDoc[] = [];

  while (!cursor.done()) {
    const node = cursor.peek()!;
    if (isHeading(node, 2)) {
      cursor.next();
      const description = cursor.takeWhile((n) => !isHeading(n));
      categories.push({
        name: headingName(ctx, node, 'category'),
        description: descriptionOf(doc, description),
        commands: [],
        source: ctx.ref(startOf(node)),
      });
    } else if (isHeading(node, 3)) {
      const category = categories[categories.length - 1];
      if (!category)
        ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, startOf(node), `command "${plainText(node)}" is not in a category`, {
          expected: 'a "## Category" heading before the first command',
        });
      const command = readCommand(ctx, cursor, category?.name ?? '');
      if (command) {
        commands.push(command);
        category?.commands.push(command.name);
      }
    } else {
      ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, startOf(node), `found ${describeBlock(doc, node)} between commands`, {
        expected: 'a "## Category" or "### Command" heading',
      });
      cursor.next();
    }
  }
  return { value: { header, categories, commands }, diagnostics: ctx.diagnostics };
}

function isSectionStart(doc: MarkdownDoc, n: RootContent): boolean {
  return (
    isHeading(n) ||
    n.type === 'thematicBreak' ||
    isMarker(doc, n, NETWORK_USAGE) ||
    SECTION_MARKERS.some((m) => isMarker(doc, n, m))
  );
}

function readCommand(ctx: ParseContext, cursor: BlockCursor, category: string): CommandDoc | undefined {
  const doc = ctx.doc;
  const heading = cursor.next()!;
  const name = headingName(ctx, heading as Heading, 'command');
  const pos = startOf(heading);
  const description = descriptionOf(doc, cursor.takeWhile((n) => !isSectionStart(doc, n)));
  const command: CommandDoc = {
    name,
    category,
    description,
    syntax: { text: '', source: ctx.ref(pos) },
    responses: [],
    source: ctx.ref(pos),
  };

  const usageNode = cursor.peek();
  if (isMarker(doc, usageNode, NETWORK_USAGE)) {
    cursor.next();
    const usage = NETWORK_USAGE.exec(sourceOf(doc, usageNode))![1]!;
    if ((NETWORK_USAGES as readonly string[]).includes(usage)) command.networkUsage = usage as NetworkUsage;
    else
      ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, startOf(usageNode), `${name}: unknown network usage "${usage}"`, {
        expected: NETWORK_USAGES.map((u) => `"${u}"`).join(', '),
      });
  }

  const params = takeMarkedList(ctx, cursor, '**Parameters**:');
  if (params) {
    const before = ctx.diagnostics.length;
    command.params = readFields(ctx, params, `${name} parameter`);
    if (ctx.diagnostics.length > before) command.incomplete = true;
  }
  else if (params === undefined) command.params = [];

  let hasSyntax = false;
  if (isMarker(doc, cursor.peek(), '**Syntax**:')) {
    cursor.next();
    const syntax = readSyntaxBlock(ctx, cursor, name);
    if (syntax) {
      command.syntax = syntax;
      hasSyntax = true;
    }
  } else {
    ctx.report(DiagnosticCodes.MISSING_SYNTAX, cursor.here(), `command ${name} has no syntax block`, {
      expected: '"**Syntax**:" followed by a code block with the command syntax',
      hint: 'every command documents the string that sends it',
    });
  }

  if (isMarker(doc, cursor.peek(), /^\*\*Responses?\*\*:$/)) {
    cursor.next();
    command.responses = readResponses(ctx, cursor, name);
  } else {
    ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, cursor.here(), `command ${name}: found ${describeBlock(doc, cursor.peek())}`, {
      expected: '"**Responses**:" or "**Response**:"',
    });
  }

  const errors = takeMarkedList(ctx, cursor, '**Errors**:');
  if (errors) command.errors = readErrors(ctx, errors, name);

  endSection(ctx, cursor, `command ${name}`);
  return hasSyntax ? command : undefined;
}

function readResponses(ctx: ParseContext, cursor: BlockCursor, command: string): ResponseDoc[] {
  const responses: ResponseDoc[] = [];
  while (isParagraph(cursor.peek()) && !isSectionStart(ctx.doc, cursor.peek()!)) {
    const para = cursor.next()!;
    const pos = startOf(para);
    const named = parseNamedLine(sourceOf(ctx.doc, para));
    const list = isList(cursor.peek()) ? (cursor.next() as import('mdast').List) : undefined;
    if (!named) {
      ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, pos, `${command}: response line "${clip(sourceOf(ctx.doc, para))}" does not parse`, {
        expected: '"ResponseName: description." followed by its fields',
      });
      continue;
    }
    const fields = list ? readFields(ctx, list, `${command} response ${named.name} field`) : [];
    responses.push({ name: named.name, description: named.description, tag: tagOf(fields), fields, source: ctx.ref(pos) });
  }
  return responses;
}

function readErrors(ctx: ParseContext, list: import('mdast').List, command: string): ErrorDoc[] {
  const errors: ErrorDoc[] = [];
  for (const item of list.children) {
    const { text, pos } = listItemSource(ctx.doc, item);
    const named = parseNamedLine(text);
    if (named) errors.push({ name: named.name, description: named.description, source: ctx.ref(pos) });
    else
      ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, pos, `${command}: error line "${clip(text)}" does not parse`, {
        expected: '"ErrorName: description"',
      });
  }
  return errors;
}
