/**
 * Limits checked before remark-parse sees a document, so that no input makes parsing slow, memory-hungry or
 * deep enough to exhaust the stack. Each is far above anything upstream writes and below where remark-parse
 * turns slow; the figures come from measuring remark-parse (README, "Robustness"). Every limit is checked on
 * the normalized text: CR, CRLF and LF count alike.
 *
 * remark-parse is linear only within bounds. Within one parse it grows with the number of blocks (many short
 * lists: 65 µs per character at 16 KB, 625 at 256 KB); within one paragraph, with the emphasis and link markers
 * (`*a_` repeated: 8,000 markers 3.9 s, 16,000 8.9 s). And its linear cost depends on density: prose costs
 * 0.3 µs per character, a line of a nested list 100 µs, an emphasis marker 14 µs. So:
 *
 * | limit | upstream's largest | why |
 * |---|---|---|
 * | a line: 10,000 characters | < 500 | every other limit counts lines |
 * | a chunk parsed at once (see `sectionParts`): 32 KiB, 512 non-blank lines | 4.3 KiB, 127 lines | blocks per parse |
 * | a paragraph: 128 emphasis markers (`*`, `_`), 512 link markers (`[ ] ( )`) | 4, 16 | markers per paragraph |
 * | per KiB of a document (counted as at least 64 KiB): 56 non-blank lines, 48 emphasis markers, 128 link markers, 64 other markers (`` < > ` ! & \ ``) | 44, 17.5, 50, 0 | density |
 * | block quotes and list markers opened on one line: 16 | 2 | 3,000 `>` overflow the stack |
 * | indentation: 40 columns | 4 | nesting depth |
 */
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics/diagnostic.js';
import { closesFence, FENCE, sectionParts, type SectionPart } from './markdown.js';

export const MAX_LINE = 10_000;
export const MAX_CHUNK_BYTES = 32 * 1024;
export const MAX_CHUNK_LINES = 512;
export const MAX_EMPHASIS_MARKERS = 128;
export const MAX_LINK_MARKERS = 512;
export const MAX_CONTAINER_DEPTH = 16;
export const MAX_INDENT = 40;
/** Per KiB of a document, which counts as at least `DENSITY_FLOOR_KIB` long (small documents may be dense). */
export const DENSITY = { lines: 56, emphasis: 48, links: 128, other: 64 } as const;
export const DENSITY_FLOOR_KIB = 64;

/** Reported per kind of limit, so that a hostile document does not flood the output. */
const MAX_REPORTS = 5;
const HINT = 'upstream documents never come near this; the limit keeps parsing fast and bounded';

/** A block quote marker, or a list marker (bullet or ordered) with what follows it. */
const CONTAINER = /^ {0,3}(?:>[ \t]?|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)[ \t]*)/;
/** A list marker that can interrupt a paragraph: a bullet, or `1.`/`1)`, followed by content. */
const INTERRUPTING_ITEM = /^ {0,3}(?:[-+*]|1[.)])[ \t]+\S/;
const HEADING_OR_BREAK = /^ {0,3}(?:#{1,6}(?:[ \t]|$)|(?:[-*_][ \t]*){3,}$)/;

const NOT_A_MARKER = 0;
const EMPHASIS = 1;
const LINK = 2;
const OTHER_MARKUP = 3;
/** What each ASCII character counts as: an emphasis marker (`*`, `_`), a link marker (`[ ] ( )`) or other markup. */
const MARKER_KIND = new Uint8Array(128);
for (const c of '*_') MARKER_KIND[c.charCodeAt(0)] = EMPHASIS;
for (const c of '[]()') MARKER_KIND[c.charCodeAt(0)] = LINK;
for (const c of '<>`!&\\') MARKER_KIND[c.charCodeAt(0)] = OTHER_MARKUP;

function columns(whitespace: string): number {
  let col = 0;
  for (const c of whitespace) col = c === '\t' ? col + 4 - (col % 4) : col + 1;
  return col;
}

/**
 * Checks a normalized document against the limits. A paragraph (the text remark parses as one inline block:
 * paragraph, heading or list item) is approximated from above: lines between blank lines, cut only where a new
 * block certainly starts (a heading, a fence, a break, a list item that can interrupt a paragraph).
 */
export function checkMarkdownLimits(normalized: string, file: string, parts: readonly SectionPart[] = sectionParts(normalized)): Diagnostic[] {
  return withinLimitsAtAGlance(normalized, parts) ? [] : limitDiagnostics(normalized, file, parts);
}

/**
 * True when no limit can be exceeded, from counts that are at least those `limitDiagnostics` takes: every
 * character of every chunk counted (code fences too), every line with more than spaces and tabs non-blank, a
 * paragraph's markers bounded by its chunk's (no paragraph reaches past a cut of `sectionParts`), the
 * indentation of every line (code fences too), and for nesting every container marker character in a line's
 * leading run of markers, digits and whitespace. One pass over the text in place of a line-by-line reading
 * (upstream's three documents in a fresh process: ~15 ms against ~75 ms); false sends a document to the
 * line-by-line reading, which names the place.
 */
export function withinLimitsAtAGlance(text: string, parts: readonly SectionPart[]): boolean {
  const totals = { lines: 0, emphasis: 0, links: 0, other: 0 };
  const chunk = { lines: 0, emphasis: 0, links: 0, other: 0 };
  for (const part of parts) {
    if (part.kind === 'break') {
      totals.lines++;
      continue;
    }
    if (part.end - part.start > MAX_CHUNK_BYTES || !countChunk(text, part.start, part.end, chunk)) return false;
    if (chunk.lines > MAX_CHUNK_LINES || chunk.emphasis > MAX_EMPHASIS_MARKERS || chunk.links > MAX_LINK_MARKERS) return false;
    totals.lines += chunk.lines;
    totals.emphasis += chunk.emphasis;
    totals.links += chunk.links;
    totals.other += chunk.other;
  }
  const kib = Math.max(DENSITY_FLOOR_KIB, text.length / 1024);
  return (Object.keys(DENSITY) as (keyof typeof DENSITY)[]).every((key) => totals[key] <= DENSITY[key] * kib);
}

/**
 * Counts a chunk's non-blank lines and markers into `counts`; false when one of its lines is too long, too
 * indented or opens too many containers. A function of its own, called once per chunk, so that V8 compiles it
 * after the first few hundred chunks (a loop over a whole document runs in the interpreter until then).
 */
function countChunk(text: string, start: number, end: number, counts: { lines: number; emphasis: number; links: number; other: number }): boolean {
  let lines = 0;
  let emphasis = 0;
  let links = 0;
  let other = 0;
  let lineStart = start;
  let content = false;
  let leading = true;
  let indent = 0;
  let containers = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 10;
    if (c === 10) {
      if (content) lines++;
      if (i - lineStart > MAX_LINE || indent > MAX_INDENT || containers > MAX_CONTAINER_DEPTH) return false;
      lineStart = i + 1;
      content = false;
      leading = true;
      indent = 0;
      containers = 0;
      continue;
    }
    if (c === 32 || c === 9) {
      if (!content) indent = c === 9 ? indent + 4 - (indent % 4) : indent + 1;
      continue;
    }
    content = true;
    if (leading) {
      if (c === 62 || c === 45 || c === 43 || c === 42 || c === 46 || c === 41) containers++; // > - + * . )
      else if (c < 48 || c > 57) leading = false;
    }
    const kind = c < 128 ? MARKER_KIND[c]! : NOT_A_MARKER;
    if (kind === EMPHASIS) emphasis++;
    else if (kind === LINK) links++;
    else if (kind === OTHER_MARKUP) other++;
  }
  counts.lines = lines;
  counts.emphasis = emphasis;
  counts.links = links;
  counts.other = other;
  return true;
}

/** The limits, line by line: each place that exceeds one (up to MAX_REPORTS of a kind). */
export function limitDiagnostics(normalized: string, file: string, parts: readonly SectionPart[] = sectionParts(normalized)): Diagnostic[] {
  const out: Diagnostic[] = [];
  const counts = new Map<string, number>();
  const report = (kind: string, line: number, column: number, message: string, expected: string) => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    if (n <= MAX_REPORTS) out.push(diagnostic(DiagnosticCodes.MARKDOWN_LIMIT, file, { line, column }, message, { expected, hint: HINT }));
  };

  for (const part of parts) {
    if (part.kind !== 'chunk') continue;
    const text = normalized.slice(part.start, part.end);
    let lines = 0;
    for (let i = 0; i < text.length; ) {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? text.length : nl;
      if (text.slice(i, end).trim() !== '') lines++;
      i = end + 1;
    }
    if (text.length > MAX_CHUNK_BYTES || lines > MAX_CHUNK_LINES)
      report('chunk', part.line, 1, `the block starting here runs for ${text.length} characters and ${lines} lines without a blank line before an unindented one`, `at most ${MAX_CHUNK_BYTES} characters and ${MAX_CHUNK_LINES} non-blank lines in a row (a blank line and an unindented line start the next)`);
  }

  const totals = { lines: 0, emphasis: 0, links: 0, other: 0 };
  let fence: string | undefined;
  let block = { line: 0, emphasis: 0, links: 0 };
  const closeBlock = () => {
    if (block.emphasis > MAX_EMPHASIS_MARKERS)
      report('emphasis', block.line, 1, `the paragraph starting here holds ${block.emphasis} emphasis markers ("*", "_")`, `at most ${MAX_EMPHASIS_MARKERS} per paragraph`);
    if (block.links > MAX_LINK_MARKERS)
      report('links', block.line, 1, `the paragraph starting here holds ${block.links} link markers ("[", "]", "(", ")")`, `at most ${MAX_LINK_MARKERS} per paragraph`);
    block = { line: 0, emphasis: 0, links: 0 };
  };

  let lineNo = 0;
  let start = 0;
  while (start <= normalized.length) {
    const nl = normalized.indexOf('\n', start);
    const end = nl < 0 ? normalized.length : nl;
    const line = normalized.slice(start, end);
    lineNo++;
    start = end + 1;
    if (line.trim() !== '') totals.lines++;
    if (line.length > MAX_LINE) {
      report('line', lineNo, MAX_LINE + 1, `line ${lineNo} is ${line.length} characters long`, `lines of at most ${MAX_LINE} characters`);
      closeBlock();
      continue;
    }
    if (fence) {
      if (closesFence(line, fence)) fence = undefined;
      continue;
    }
    const indent = /^[ \t]*/.exec(line)![0];
    if (columns(indent) > MAX_INDENT) report('indent', lineNo, 1, `line ${lineNo} is indented by ${columns(indent)} columns`, `indentation of at most ${MAX_INDENT} columns outside code fences`);
    // Strip the containers (block quotes, list items) that open on this line.
    let rest = line;
    let depth = 0;
    let newItem = false;
    for (let m = CONTAINER.exec(rest); m && m[0].length > 0; m = CONTAINER.exec(rest)) {
      if (INTERRUPTING_ITEM.test(rest)) newItem = true;
      rest = rest.slice(m[0].length);
      if (++depth > MAX_CONTAINER_DEPTH) break;
    }
    if (depth > MAX_CONTAINER_DEPTH) {
      report('depth', lineNo, 1, `line ${lineNo} opens more than ${MAX_CONTAINER_DEPTH} nested block quotes or lists`, `at most ${MAX_CONTAINER_DEPTH} levels of nesting`);
      closeBlock();
      continue;
    }
    const fenceOpen = FENCE.exec(rest);
    if (rest.trim() === '' || newItem || fenceOpen || HEADING_OR_BREAK.test(rest)) closeBlock();
    if (fenceOpen) fence = fenceOpen[1];
    if (fenceOpen || rest.trim() === '') continue;
    if (block.line === 0) block.line = lineNo;
    for (let i = 0; i < rest.length; i++) {
      const c = rest.charCodeAt(i);
      const kind = c < 128 ? MARKER_KIND[c]! : NOT_A_MARKER;
      if (kind === EMPHASIS) {
        block.emphasis++;
        totals.emphasis++;
      } else if (kind === LINK) {
        block.links++;
        totals.links++;
      } else if (kind === OTHER_MARKUP) totals.other++;
    }
    if (HEADING_OR_BREAK.test(rest)) closeBlock();
  }
  closeBlock();

  const kib = Math.max(DENSITY_FLOOR_KIB, normalized.length / 1024);
  const what = { lines: 'non-blank lines', emphasis: 'emphasis markers ("*", "_")', links: 'link markers ("[", "]", "(", ")")', other: 'markup characters ("<", ">", "`", "!", "&", "\\\\")' } as const;
  for (const key of Object.keys(DENSITY) as (keyof typeof DENSITY)[])
    if (totals[key] > DENSITY[key] * kib)
      out.push(
        diagnostic(DiagnosticCodes.MARKDOWN_LIMIT, file, undefined, `the document holds ${totals[key]} ${what[key]}: ${Math.round(totals[key] / kib)} per KiB`, {
          expected: `at most ${DENSITY[key]} per KiB (a document counts as at least ${DENSITY_FLOOR_KIB} KiB)`,
          hint: HINT,
        }),
      );
  for (const [kind, n] of counts)
    if (n > MAX_REPORTS) out.push(diagnostic(DiagnosticCodes.MARKDOWN_LIMIT, file, undefined, `${n - MAX_REPORTS} more places exceed the same limit (${kind})`, {}));
  return out;
}
