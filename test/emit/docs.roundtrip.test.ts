/** The lossless promise: every corpus document, written back from the model alone, equals its source. */
import { describe, expect, it } from 'vitest';
import { emitDocs } from '../../src/emit/docs/docs.js';
import { loadTemplates } from '../../src/emit/templates.js';
import { buildModel } from '../helpers/model.js';
import { corpusDocs, corpusPresent, readCorpusDoc } from '../helpers/corpus.js';

const templates = loadTemplates();

function firstDifference(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `first difference at line ${i + 1}:\n  expected: ${JSON.stringify(a[i])}\n  emitted:  ${JSON.stringify(b[i])}`;
}

/** Builds a model of a single document (the other kinds absent), as a spec holding only that file would. */
function modelOf(kind: 'COMMANDS' | 'TYPES' | 'EVENTS', text: string) {
  return buildModel({ texts: { [kind]: text }, files: { [kind]: `${kind}.md` } }).model;
}

describe.runIf(corpusPresent)('docs round trip over the corpus', () => {
  for (const doc of corpusDocs()) {
    it(`${doc.dir}/${doc.kind}.md (${doc.lineEndings}) is emitted byte for byte`, () => {
      const text = readCorpusDoc(doc);
      const emitted = emitDocs(modelOf(doc.kind, text), templates).get(`docs/${doc.kind}.md`);
      const want = text.replace(/\r\n/g, '\n');
      expect(emitted).toBeDefined();
      if (emitted !== want) expect.fail(`${doc.dir}/${doc.kind}.md: ${firstDifference(want, emitted!)}`);
    });
  }

  it('a CRLF document parses to the same model as its LF twin', () => {
    const crlf = corpusDocs().filter((d) => d.lineEndings === 'CRLF');
    expect(crlf.length).toBeGreaterThan(0);
    for (const doc of crlf) {
      const text = readCorpusDoc(doc);
      expect(text).toContain('\r\n');
      expect(modelOf(doc.kind, text)).toEqual(modelOf(doc.kind, text.replace(/\r\n/g, '\n')));
    }
  });
});
