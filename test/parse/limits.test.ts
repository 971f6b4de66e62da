/**
 * Hostile documents of a few kilobytes, each a shape that used to crash the CLI (exit 70), run for minutes or take
 * gigabytes: each is now refused with a located diagnostic before remark-parse sees it (exit 2), or read in full.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../helpers/model.js';
import { checkMarkdownLimits, limitDiagnostics, MAX_CHUNK_LINES, MAX_CONTAINER_DEPTH, MAX_EMPHASIS_MARKERS, MAX_INDENT, MAX_LINE, MAX_LINK_MARKERS, withinLimitsAtAGlance } from '../../src/parse/limits.js';
import { normalizeNewlines, sectionParts } from '../../src/parse/markdown.js';
import { CORPUS_MISSING, corpusDocs, corpusPresent, readCorpusDoc, REPO_ROOT } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli.js';
import { lineOf, minimalTexts, tempDir, writeSpec } from '../helpers/fixtures.js';

const t = minimalTexts();
const DESCRIPTION = 'Send messages.';
const withDescription = (text: string) => ({ ...t, COMMANDS: t.COMMANDS.replace(DESCRIPTION, text) });
const descriptionLine = lineOf(t.COMMANDS, DESCRIPTION);

/** Runs the CLI's lint on the documents: never an internal error, and the diagnostics it printed. */
async function lint(texts: Partial<Record<'COMMANDS' | 'TYPES' | 'EVENTS', string>>): Promise<{ code: number; stderr: string }> {
  const spec = writeSpec(tempDir(), texts);
  const r = await runCli(['lint', '--spec', spec], REPO_ROOT);
  expect(r.stderr).not.toContain('internal error');
  return r;
}

describe('shapes that crashed or hung the CLI', () => {
  it('a type with 5,000 "?" (stack overflow in stableJson) is FIELD001 at the second "?"', async () => {
    const texts = { ...t, COMMANDS: t.COMMANDS.replace('- ttl: int?', `- ttl: int${'?'.repeat(5000)}`) };
    const r = await lint(texts);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`COMMANDS.md:${lineOf(texts.COMMANDS, '- ttl: int?')}:12: error FIELD001: APISendMessages parameter "ttl": "?" is repeated`);
  });

  it('a description of 3,000 ">" (stack overflow in shifted) is DOC002', async () => {
    const r = await lint(withDescription('>'.repeat(3000)));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`COMMANDS.md:${descriptionLine}:1: error DOC002: line ${descriptionLine} opens more than 16 nested block quotes or lists`);
  });

  it('3,000 list markers on one line, and lists nested by indentation, are DOC002', async () => {
    expect((await lint(withDescription('- '.repeat(3000) + 'x'))).stderr).toContain('opens more than 16 nested block quotes or lists');
    const nested = Array.from({ length: 30 }, (_, i) => `${' '.repeat(2 * i)}- x`).join('\n');
    expect((await lint(withDescription(nested))).stderr).toMatch(/error DOC002: line \d+ is indented by 42 columns/);
  });

  for (const lines of [5, 10])
    it(`${lines} lines of "*a_" × 3,333 (27 s and more in remark-parse) are DOC002 before parsing`, async () => {
      const r = await lint(withDescription(Array(lines).fill('*a_'.repeat(3333)).join('\n')));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`COMMANDS.md:${descriptionLine}:1: error DOC002: the paragraph starting here holds ${lines * 6666} emphasis markers ("*", "_")\n`);
    });

  it('2 MB of "[" (3 GB in remark-parse) and 200 KB of "[a](" lines (20 s) are DOC002', async () => {
    const brackets = await lint(withDescription(Array(210).fill('['.repeat(9999)).join('\n')));
    expect(brackets.stderr).toMatch(/error DOC002: the block starting here runs for \d+ characters and 210 lines without a blank line/);
    expect(brackets.stderr).toMatch(/error DOC002: the paragraph starting here holds 2099790 link markers/);
    const links = await lint(withDescription(Array(50_000).fill('[a](').join('\n')));
    expect(links.stderr).toMatch(/error DOC002: the paragraph starting here holds 150000 link markers/);
  });

  it('a document denser in markup than any API document is DOC002, counted per KiB', async () => {
    // Many short paragraphs, each within its own limits: 90 KiB holding 200 emphasis markers per KiB.
    const r = await lint(withDescription(Array(9000).fill('*a_*a_*a_*a_*a_').join('\n\n')));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/COMMANDS\.md:1:1: error DOC002: the document holds 900\d\d emphasis markers \("\*", "_"\): \d+ per KiB\n {2}expected: at most 48 per KiB/);
  });

  it('just under every limit, the document is read', async () => {
    const texts = withDescription(['*a_'.repeat(MAX_EMPHASIS_MARKERS / 2 - 1), '[a]('.repeat(MAX_LINK_MARKERS / 3 - 1), '> '.repeat(15) + 'x', ' '.repeat(40) + 'x'].join('\n\n'));
    const r = await lint(texts);
    expect(r.stderr).not.toContain('DOC002');
  });
});

describe('limits treat CR, CRLF and LF alike', () => {
  const long = (eol: string, n: number) => withDescription(`${'x'.repeat(n)}`).COMMANDS.replace(/\n/g, eol);
  for (const [name, eol] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']] as const)
    it(`${name}: a line of ${MAX_LINE} characters is read, one of ${MAX_LINE + 1} is DOC002 at the same place`, () => {
      const ok = buildModel({ texts: { COMMANDS: long(eol, MAX_LINE) }, files: { COMMANDS: 'C.md' } });
      expect(ok.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(ok.model.commands[0]!.description).toBe('x'.repeat(MAX_LINE));
      const bad = buildModel({ texts: { COMMANDS: long(eol, MAX_LINE + 1) }, files: { COMMANDS: 'C.md' } });
      expect(bad.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([`${descriptionLine}:${MAX_LINE + 1} DOC002 line ${descriptionLine} is ${MAX_LINE + 1} characters long`]);
    });
});

describe('encodings', () => {
  it('a byte order mark is dropped: the same model as without it', async () => {
    const spec = tempDir();
    for (const [k, v] of Object.entries(t)) writeFileSync(path.join(spec, `${k}.md`), `\uFEFF${v}`);
    const r = await runCli(['lint', '--spec', spec], REPO_ROOT);
    expect(r.stderr).not.toContain('SPEC003');
    expect(r.code).toBe(0);
  });

  it('bytes that are not UTF-8 are SPEC005 at the line and column of the first of them', async () => {
    const spec = writeSpec(tempDir(), t);
    const bytes = Buffer.from(t.COMMANDS.replace(DESCRIPTION, 'Send messages ÿ.'), 'utf8');
    const at = bytes.indexOf(Buffer.from('ÿ', 'utf8'));
    bytes[at] = 0xff; // a lone 0xFF is never UTF-8
    writeFileSync(path.join(spec, 'COMMANDS.md'), bytes);
    const r = await runCli(['lint', '--spec', spec], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`COMMANDS.md:${descriptionLine}:15: error SPEC005: byte 0xff is not UTF-8`);
  });
});

describe('the glance before the line-by-line reading', () => {
  const glance = (text: string) => withinLimitsAtAGlance(text, sectionParts(text));
  const sameAsLineByLine = (text: string) => expect(checkMarkdownLimits(text, 'C.md')).toEqual(limitDiagnostics(text, 'C.md'));

  it('passes every document of the corpus at a glance (the fast path), and they are within every limit', () => {
    if (!corpusPresent) throw new Error(CORPUS_MISSING);
    for (const doc of corpusDocs()) {
      const text = normalizeNewlines(readCorpusDoc(doc));
      expect(glance(text), doc.path).toBe(true);
      expect(limitDiagnostics(text, doc.path), doc.path).toEqual([]);
    }
  });

  it('sends each limit, just over it, to the line-by-line reading, which names it; just under, both agree', () => {
    const over = {
      line: 'x'.repeat(MAX_LINE + 1),
      indent: ' '.repeat(MAX_INDENT + 1) + 'x',
      tabs: '\t'.repeat(MAX_INDENT / 4) + ' x',
      depth: '> '.repeat(MAX_CONTAINER_DEPTH + 1) + 'x',
      ordered: '1. '.repeat(MAX_CONTAINER_DEPTH + 1) + 'x',
      emphasis: '*a_'.repeat(MAX_EMPHASIS_MARKERS / 2 + 1),
      links: '[a]('.repeat(MAX_LINK_MARKERS / 3 + 1),
      chunk: Array(MAX_CHUNK_LINES + 1).fill('a').join('\n'),
      density: Array(9000).fill('*a_*a_*a_*a_*a_').join('\n\n'),
    };
    for (const [kind, block] of Object.entries(over)) {
      const text = withDescription(block).COMMANDS;
      expect(glance(text), kind).toBe(false);
      expect(limitDiagnostics(text, 'C.md').length, kind).toBeGreaterThan(0);
      sameAsLineByLine(text);
    }
    const under = withDescription(['*a_'.repeat(MAX_EMPHASIS_MARKERS / 2 - 1), '[a]('.repeat(MAX_LINK_MARKERS / 3 - 1), '> '.repeat(15) + 'x', ' '.repeat(40) + 'x', 'x'.repeat(MAX_LINE)].join('\n\n')).COMMANDS;
    expect(glance(under)).toBe(true);
    expect(limitDiagnostics(under, 'C.md')).toEqual([]);
  });

  it('agrees with the line-by-line reading on markers inside code fences, which only the glance counts', () => {
    // Fenced code is not markup: the line-by-line reading skips it; the glance counts it and so passes it on.
    const text = withDescription(['```', '*a_'.repeat(MAX_EMPHASIS_MARKERS), ' '.repeat(60) + 'x', '```'].join('\n')).COMMANDS;
    expect(glance(text)).toBe(false);
    expect(limitDiagnostics(text, 'C.md')).toEqual([]);
    sameAsLineByLine(text);
  });
});
