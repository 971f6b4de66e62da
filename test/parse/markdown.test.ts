/**
 * The document is parsed in pieces (sectionParts): the pieces must give exactly the tree, positions included,
 * that remark-parse gives for the whole text.
 */
import { readFileSync } from 'node:fs';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { ChunkCache, GROUP_BYTES, LIST_PART, normalizeNewlines, parseGroups, parseMarkdown, sectionParts } from '../../src/parse/markdown.js';
import { CORPUS_MISSING, corpusDocs, corpusPresent, ERAS } from '../helpers/corpus.js';
import { sweep } from '../helpers/tier.js';

const whole = (text: string) => unified().use(remarkParse).parse(text).children;

function expectSameTree(text: string) {
  const normalized = normalizeNewlines(text);
  expect(JSON.parse(JSON.stringify(parseMarkdown(normalized, 'x').root.children))).toEqual(JSON.parse(JSON.stringify(whole(normalized))));
}

describe('parsing in pieces gives the tree of the whole text', () => {
  it('for every document of the corpus', () => {
    if (!corpusPresent) throw new Error(CORPUS_MISSING);
    const docs = corpusDocs();
    // The quick tier reads the latest era's three documents.
    for (const doc of sweep(docs, docs.filter((d) => ERAS.latest[d.kind] === d.dir))) expectSameTree(readFileSync(doc.path, 'utf8'));
  });

  const cases: Record<string, string> = {
    'a loose list (items after blank lines)': '- a\n\n- b\n\n  still b\n\n- c\n\nafter\n',
    'an HTML comment holding blank lines': 'x\n\n<!--\n\nnot a paragraph\n\n-->\n\nafter\n',
    'a script block holding blank lines': 'x\n\n<script>\n\nlet a = 1\n\n</script>\n\nafter\n',
    'a fence holding blank lines and unindented lines': 'x\n\n```\n\nnot a paragraph\n\n---\n\n```\n\nafter\n',
    'indented code after a blank line': 'x\n\n    code\n\n    more code\n\nafter\n',
    'a long bullet list cut and joined': `# t\n\n${Array.from({ length: 3 * LIST_PART + 7 }, (_, i) => `- [Item${i}](#item${i})`).join('\n')}\n\n---\n\nafter\n`,
    'a long loose list': Array.from({ length: 300 }, (_, i) => `- item ${i}\n`).join('\n'),
    'lists of alternating bullets': Array.from({ length: 300 }, (_, i) => (i % 2 ? `* b${i}` : `- a${i}`)).join('\n') + '\n',
    'block quotes and paragraphs': '> a\n\nb\n\n> c\n> d\n\ne\n',
    'a setext heading': 'Title\n===\n\ntext\n\nSub\n---\n\nmore\n',
  };
  for (const [name, text] of Object.entries(cases)) it(name, () => expectSameTree(text));

  it('parses a heading\'s section at once (breaks included), within GROUP_BYTES, a long list\'s parts apart', () => {
    const section = (i: number, paragraphs: number) => `## S${i}\n\n` + Array.from({ length: paragraphs }, (_, k) => `Paragraph ${k} of ${i}.\n`).join('\n') + '\n---\n\n';
    const text = normalizeNewlines(section(1, 3) + section(2, 5) + section(3, 400));
    const groups = parseGroups(text, sectionParts(text));
    const starts = groups.map((g) => (g.kind === 'chunk' ? text.slice(g.start, g.start + 5) : 'break'));
    // Sections 1 and 2 are one parse each; section 3 (about 9 KiB) is two, cut at a paragraph.
    expect(starts.slice(0, 3)).toEqual(['## S1', '## S2', '## S3']);
    expect(groups.length).toBe(4);
    for (const g of groups) if (g.kind === 'chunk') expect(g.end - g.start).toBeLessThanOrEqual(GROUP_BYTES);
    expectSameTree(text);
    const list = `# t\n\n${Array.from({ length: 2 * LIST_PART }, (_, i) => `- item ${i}`).join('\n')}\n`;
    const continued = (parts: ReturnType<typeof sectionParts>) => parts.filter((g) => g.kind === 'chunk' && g.continuesList).length;
    expect(continued(sectionParts(list))).toBeGreaterThan(0);
    expect(continued(parseGroups(list, sectionParts(list)))).toBe(continued(sectionParts(list)));
  });

  it('cuts a long list into parts of LIST_PART items and never inside a fence', () => {
    const list = Array.from({ length: 3 * LIST_PART }, (_, i) => `- item ${i}`).join('\n');
    expect(sectionParts(list).filter((p) => p.kind === 'chunk').length).toBe(3);
    expect(sectionParts('```\n\n' + list + '\n```\n').filter((p) => p.kind === 'chunk').length).toBe(1);
  });

  it('in watch mode (after a sweep), edits within a section give the whole text\'s tree and parse only the edited part', () => {
    const section = (i: number, words: string) =>
      `## S${i}\n\n${words} ${i}.\n\n**Parameters**:\n- a: int\n- b: string?\n\n\`\`\`\n/s${i} <a>\n\n---\n\`\`\`\n\n---\n\n`;
    const doc = (edit: (i: number) => string) => `# T\n\n${[1, 2, 3, 4].map((i) => section(i, edit(i))).join('')}`;
    const cache = new ChunkCache();
    /** The characters parsed for the text (its tree checked against the whole text's). */
    const read = (text: string) => {
      const before = cache.parsed;
      const tree = JSON.parse(JSON.stringify(parseMarkdown(text, 'x', cache).root.children));
      expect(tree).toEqual(JSON.parse(JSON.stringify(whole(text))));
      cache.sweep();
      return cache.parsed - before;
    };
    const sectionLength = section(2, 'Text').length;
    expect(read(doc(() => 'Text'))).toBeGreaterThan(4 * sectionLength);
    // The first edit of a section parses the section; later ones only the paragraph that changed.
    expect(read(doc((i) => (i === 2 ? 'Edited once' : 'Text')))).toBe(section(2, 'Edited once').length);
    for (const words of ['Edited twice', 'Edited, and longer than it was', 'E']) expect(read(doc((i) => (i === 2 ? words : 'Text')))).toBe(`${words} 2.\n\n`.length);
    // A paragraph added, and another section edited twice.
    expect(read(doc((i) => (i === 2 ? 'E\n\nA new paragraph' : 'Text')))).toBe('E\n\nA new paragraph 2.\n\n'.length);
    // (Its parameters' list is the same text as section 2's, already filed: at most the section is parsed.)
    const first = read(doc((i) => (i === 2 ? 'E\n\nA new paragraph' : i === 4 ? 'Now 4' : 'Text')));
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(section(4, 'Now 4').length);
    expect(read(doc((i) => (i === 2 ? 'E\n\nA new paragraph' : i === 4 ? 'Now 4 again' : 'Text')))).toBe('Now 4 again 4.\n\n'.length);
    // Nothing changed: nothing parsed.
    expect(read(doc((i) => (i === 2 ? 'E\n\nA new paragraph' : i === 4 ? 'Now 4 again' : 'Text')))).toBe(0);
  });
});
