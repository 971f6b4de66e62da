/** Declares one fuzz suite (the runs are split across files so that both cores share them). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPresent } from './corpus.js';
import { tempDir } from './fixtures.js';
import { runFuzz } from './fuzz.js';
import { MUTATIONS } from './mutate.js';
import { compileTypeScript } from './generate.js';

export function fuzzSuite(name: string, seed: number, runs: number): void {
  describe.runIf(corpusPresent)(name, () => {
    it(`${runs} mutated documents end in diagnostics or in output that parses and compiles`, async () => {
      const report = await runFuzz(seed, runs);
      console.log(`fuzz seed ${seed}: ${report.runs} runs, ${report.withOutput} with output, ${report.withDiagnostics} with diagnostics, ${report.typescript.size} distinct TypeScript outputs`);
      expect(report.failures.slice(0, 5), report.failures.slice(0, 5).join('\n')).toEqual([]);
      expect(report.runs).toBe(runs);
      expect(report.withOutput).toBeGreaterThan(runs / 10);
      expect(report.withDiagnostics).toBeGreaterThan(runs / 10);
      // Every kind of mutation is exercised, the hostile shapes of the limits and names among them.
      console.log(`mutations: ${[...report.kinds].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
      for (const kind of Object.keys(MUTATIONS)) expect(report.kinds.get(kind) ?? 0, kind).toBeGreaterThan(runs / 100);
      // A sample of the distinct TypeScript outputs goes through tsc --strict.
      for (const files of [...report.typescript.values()].slice(0, 3)) {
        const dir = tempDir('sac-fuzz-');
        for (const [f, c] of files) {
          mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
          writeFileSync(path.join(dir, f), c);
        }
        const r = compileTypeScript(dir);
        expect(r.output).toBe('');
      }
    }, 600_000); // thousands of whole pipeline runs, every target: minutes, not the default two
  });
}
