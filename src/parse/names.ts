/**
 * Names as the documents write them, validated where they are read. A name is the literal text of its heading
 * (or field line), never what markdown makes of it: `### Foo&#10;---` or `## _n_` would otherwise become a
 * different name than the one written, and the regenerated docs would carry structure the source never had.
 */
import type { Heading } from 'mdast';
import { DiagnosticCodes } from '../diagnostics/diagnostic.js';
import type { ParseContext } from './context.js';
import { sourceOf, startOf } from './markdown.js';

/** Commands, types, events, union members, responses, fields: the identifiers every target can carry. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IDENTIFIER_CHARS = { first: /[A-Za-z_]/, rest: /[A-Za-z0-9_]/ };

/** Categories are words: `Address commands`, `Chat management`. */
export const CATEGORY_NAME = /^[A-Za-z0-9][A-Za-z0-9 _,'()/-]*$/;
const CATEGORY_CHARS = { first: /[A-Za-z0-9]/, rest: /[A-Za-z0-9 _,'()/-]/ };

/** The UTF-16 offset of the first character that may not stand where it does (0 for an empty name). */
function firstBad(text: string, chars: { first: RegExp; rest: RegExp }): number {
  for (let i = 0; i < text.length; i++) if (!(i === 0 ? chars.first : chars.rest).test(text[i]!)) return i;
  return 0;
}

export type NameKind = 'command' | 'type' | 'event' | 'category';

const EXPECTED: Record<NameKind, string> = {
  command: 'a name of letters, digits and "_", such as "APISendMessages"',
  type: 'a name of letters, digits and "_", such as "ChatRef"',
  event: 'a name of letters, digits and "_", such as "NewChatItems"',
  category: 'words of letters, digits, spaces and -,\'()/, such as "Message commands"',
};

/** The literal text of a heading: the first line without its `#` markers and closing sequence. */
function headingLiteral(ctx: ParseContext, heading: Heading): { text: string; column: number } {
  const line = sourceOf(ctx.doc, heading).split('\n', 1)[0]!;
  const open = /^ {0,3}#{1,6}[ \t]*/.exec(line)?.[0] ?? '';
  const text = line.slice(open.length).replace(/[ \t]+#+[ \t]*$/, '').replace(/[ \t]+$/, '');
  return { text, column: startOf(heading).column + open.length };
}

/**
 * The name a heading gives, as written. Anything but the documents' name characters, or text that markdown
 * would render as something else (character references, emphasis, escapes, code), is a located diagnostic;
 * the literal text is still returned so that parsing goes on and reports the rest.
 */
export function headingName(ctx: ParseContext, heading: Heading, kind: NameKind): string {
  const { text, column } = headingLiteral(ctx, heading);
  const pattern = kind === 'category' ? CATEGORY_NAME : IDENTIFIER;
  const plain = heading.children.length === 1 && heading.children[0]!.type === 'text' && heading.children[0]!.value === text;
  if (!pattern.test(text) || !plain) {
    const offset = pattern.test(text) ? 0 : firstBad(text, kind === 'category' ? CATEGORY_CHARS : IDENTIFIER_CHARS);
    ctx.report(DiagnosticCodes.BAD_NAME, { line: startOf(heading).line, column: column + offset }, `${kind} name ${JSON.stringify(text)} ${pattern.test(text) ? 'is markdown that renders as other text' : 'is not a name'}`, {
      expected: EXPECTED[kind],
      hint: 'names are read as written: character references, emphasis and escapes are not decoded',
    });
  }
  return text;
}

/** Checks a field name read from `- name: type`; reports the first character that does not belong. */
export function checkFieldName(ctx: ParseContext, name: string, pos: { line: number; column: number }, what: string): boolean {
  if (IDENTIFIER.test(name)) return true;
  ctx.report(DiagnosticCodes.BAD_NAME, { line: pos.line, column: pos.column + firstBad(name, IDENTIFIER_CHARS) }, `${what} name ${JSON.stringify(name)} is not a name`, {
    expected: 'a name of letters, digits and "_", such as "chatId"',
  });
  return false;
}
