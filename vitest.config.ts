import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/helpers/summaryReporter.js';

export default defineConfig({
  // Libraries load as in the CLI's process: without the "development" condition that vitest otherwise gives its
  // workers (Vite's default server conditions, which a config can add to but not take from), under which
  // micromark (remark-parse's tokenizer) loads its development build, with assertions and debug logging:
  // a fuzz tier took 28.6 s that way, 23–25 s without it (2026-12-04).
  plugins: [
    {
      name: 'conditions-as-in-production',
      configResolved(config) {
        const drop = (list: string[] | undefined) => list?.splice(0, list.length, ...list.filter((c) => c !== 'development|production' && c !== 'development'));
        drop(config.ssr?.resolve?.conditions as string[] | undefined);
        for (const env of Object.values(config.environments ?? {})) drop(env.resolve?.conditions as string[] | undefined);
      },
    },
  ],
  test: {
    include: ['test/**/*.test.ts'],
    // One directory a run, where checks of the same bytes share their result (test/helpers/sharedCheck.ts).
    globalSetup: ['test/helpers/runSetup.ts'],
    // Compiling generated code with tsc and pyright takes seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A worker runs its test files one after another in one process, so that src/ and the libraries are loaded
    // and compiled once per worker, not once per file: the suite took 460 s this way against 502 s (2026-12-03).
    // Tests must not depend on a fresh process: state they change (environment variables, the working
    // directory, handlers) they restore.
    isolate: false,
    // Two test files at a time even on two cores (vitest's default there is one, which leaves a core idle while
    // a file waits on its child processes: tsc, pyright, python, the CLI). On this 2-core machine the suite took
    // 702 s this way, 1,185 s one file at a time; the two fuzz tiers take about 165 s each.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A larger young generation for the workers: the tests allocate models (1.4 MB each) and emitted outputs (5 MB)
    // by the hundred, and with Node's default (16 MB) they were collected over and over. The quick tier took about
    // 3 s less CPU this way (2026-12-05).
    execArgv: ['--max-semi-space-size=64'],
    reporters: ['default', new SummaryReporter()],
  },
});
