/**
 * Ends a run with one plain line, `summary: N passed, N failed, N skipped`, which CI reads whatever runner
 * printed before it.
 */
import type { Reporter, TestModule } from 'vitest/node';
import { QUICK_TIER } from './tier.js';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of testModules)
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    for (const m of testModules) if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++;
    // The quick tier says so: a green quick run is not the suite CI runs.
    const tier = QUICK_TIER ? ' (the quick tier, sweeps on samples: npm test runs the full suite)' : '';
    process.stdout.write(`\nsummary: ${passed} passed, ${failed} failed, ${skipped} skipped${tier}\n`);
  }
}
