/** Fuzz, part a: see test/helpers/fuzz.ts. Two files so that both cores share the runs. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPresent } from '../helpers/corpus.js';
import { tempDir } from '../helpers/fixtures.js';
import { runFuzz } from '../helpers/fuzz.js';
import { compileTypeScript } from '../helpers/generate.js';

const SEED = 1129;
const RUNS = 2600;

describe.runIf(corpusPresent)('fuzz a', () => {
  it(`${RUNS} mutated documents end in diagnostics or in output that parses and compiles`, async () => {
    const report = await runFuzz(SEED, RUNS);
    console.log(`fuzz seed ${SEED}: ${report.runs} runs, ${report.withOutput} with output, ${report.withDiagnostics} with diagnostics, ${report.typescript.size} distinct TypeScript outputs`);
    expect(report.failures.slice(0, 5), report.failures.slice(0, 5).join('\n')).toEqual([]);
    expect(report.runs).toBe(RUNS);
    expect(report.withOutput).toBeGreaterThan(RUNS / 10);
    expect(report.withDiagnostics).toBeGreaterThan(RUNS / 10);
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
  });
});
