/** The part every document shares: `# Title`, a preamble, and a generated table of contents. */
import type { RootContent } from 'mdast';
import { DiagnosticCodes } from '../diagnostics/diagnostic.js';
import type { DocHeader } from '../model/types.js';
import type { ParseContext } from './context.js';
import { describeBlock, descriptionOf, isHeading, isList, isParagraph, plainText, type BlockCursor } from './markdown.js';

/** A paragraph that is only a link to an anchor in the same document, e.g. `[Message commands](#message-commands)`. */
export function isAnchorLinkParagraph(node: RootContent | undefined): boolean {
  return (
    isParagraph(node) &&
    node.children.length === 1 &&
    node.children[0]!.type === 'link' &&
    node.children[0]!.url.startsWith('#')
  );
}

export function readHeader(ctx: ParseContext, cursor: BlockCursor): DocHeader {
  const first = cursor.peek();
  let title = '';
  if (isHeading(first, 1)) {
    cursor.next();
    title = plainText(first);
  } else {
    ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, cursor.here(), `found ${describeBlock(ctx.doc, first)} where the title belongs`, {
      expected: 'a "# Title" heading on the first line',
    });
  }
  const preamble = cursor.takeWhile(
    (n) => !isList(n) && n.type !== 'thematicBreak' && !isHeading(n) && !isAnchorLinkParagraph(n),
  );
  return { title, preamble: descriptionOf(ctx.doc, preamble) };
}

/** Takes the table of contents up to and including the `---` that ends it; returns its blocks. */
export function readToc(ctx: ParseContext, cursor: BlockCursor): RootContent[] {
  const toc = cursor.takeWhile((n) => n.type !== 'thematicBreak' && !isHeading(n));
  if (cursor.peek()?.type === 'thematicBreak') cursor.next();
  else
    ctx.report(DiagnosticCodes.UNEXPECTED_STRUCTURE, cursor.here(), 'the table of contents is not followed by "---"', {
      expected: 'a "---" line after the table of contents',
    });
  return toc;
}
