/** Every documented snippet of every corpus document, rendered from its syntax alone, byte for byte. */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../helpers/model.js';
import { renderSnippets } from '../../src/syntax/snippets.js';
import { corpusDocs, corpusPresent, readCorpusDoc } from '../helpers/corpus.js';

describe.runIf(corpusPresent)('rendered snippets equal the documented ones', () => {
  const counts: string[] = [];
  for (const doc of corpusDocs().filter((d) => d.kind !== 'EVENTS')) {
    it(`${doc.dir}/${doc.kind}.md`, () => {
      // COMMANDS alone, or TYPES with the era's own COMMANDS absent: each document under its own convention.
      const { model, diagnostics } = buildModel({ texts: { [doc.kind]: readCorpusDoc(doc) }, files: { [doc.kind]: doc.kind + '.md' } });
      expect(diagnostics.filter((d) => d.severity === 'error' && d.code.startsWith('SYN'))).toEqual([]);
      const snippets = renderSnippets(model);
      let documented = 0;
      let matched = 0;
      const misses: string[] = [];
      for (const s of snippets)
        for (const [lang, doc_, got] of [['js', s.syntax.javascript, s.javascript], ['py', s.syntax.python, s.python]] as const) {
          if (doc_ === undefined) {
            // Constant syntaxes are documented without snippets; every other syntax has both.
            expect(s.documentedForm, `${s.owner.name} ${lang} snippet missing`).toBe(false);
            continue;
          }
          documented++;
          if (doc_ === got) matched++;
          else misses.push(`${s.owner.name} (${lang}):\n  documented: ${doc_}\n  rendered:   ${got}`);
        }
      counts.push(`${doc.dir}/${doc.kind}.md: ${matched}/${documented}`);
      console.log(`snippets ${doc.dir}/${doc.kind}.md: ${matched}/${documented} (${snippets.length} syntax blocks)`);
      expect(documented).toBeGreaterThan(0);
      expect(misses, misses.join('\n')).toEqual([]);
      expect(matched).toBe(documented);
    });
  }
});
