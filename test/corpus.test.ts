import { describe, expect, it } from 'vitest';
import { CORPUS_MISSING, corpusDocs, corpusPresent, readCorpusDoc } from './helpers/corpus.js';

describe('the shared corpus', () => {
  it('is present beside the repository', () => {
    expect(corpusPresent, CORPUS_MISSING).toBe(true);
  });
  it.runIf(corpusPresent)('holds the 13 documents of the manifest, byte for byte', () => {
    const docs = corpusDocs();
    expect(docs).toHaveLength(13);
    for (const d of docs) expect(() => readCorpusDoc(d)).not.toThrow();
  });
});
