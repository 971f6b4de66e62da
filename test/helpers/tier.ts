/**
 * The tiers of the suite. `npm test` (and CI) runs everything. `npm run test:quick`, for the edit loop, sets
 * SAC_TEST_TIER=quick: it leaves out the fuzz and property files, and runs each sweep (the same check over every
 * era of the corpus, every corpus document, every point a run can be killed at) on a sample that stands for it;
 * the full suite runs the whole sweep. Under CI the tier is always the full one.
 */
export function isQuickTier(env: NodeJS.ProcessEnv): boolean {
  return env['SAC_TEST_TIER'] === 'quick' && !env['CI'];
}

export const QUICK_TIER = isQuickTier(process.env);

/** Every item of a sweep, or in the quick tier its sample. */
export function sweep<T>(all: readonly T[], sample: readonly T[], quick = QUICK_TIER): readonly T[] {
  return quick ? all.filter((x) => sample.includes(x)) : all;
}

/** An era sweep: every era, or in the quick tier the latest (the documents bots are written against). */
export function eraSweep<T extends string>(eras: readonly T[]): readonly T[] {
  return sweep(eras, ['latest' as T]);
}
