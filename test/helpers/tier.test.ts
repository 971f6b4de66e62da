import { describe, expect, it } from 'vitest';
import { isQuickTier, sweep } from './tier.js';

describe('test tiers', () => {
  it('the quick tier is asked for with SAC_TEST_TIER=quick, and CI always runs the full one', () => {
    expect(isQuickTier({ SAC_TEST_TIER: 'quick' })).toBe(true);
    expect(isQuickTier({ SAC_TEST_TIER: 'quick', CI: 'true' })).toBe(false);
    expect(isQuickTier({})).toBe(false);
    expect(isQuickTier({ SAC_TEST_TIER: 'full' })).toBe(false);
  });

  it('a sweep is every item in the full tier, and in the quick tier the items of its sample, in the sweep order', () => {
    const eras = ['seed', 'seed-crlf', 'mid', 'latest'];
    expect(sweep(eras, ['latest'], false)).toEqual(eras);
    expect(sweep(eras, ['latest', 'seed'], true)).toEqual(['seed', 'latest']);
    // A sample never adds what the sweep does not hold (a kill point past the last rename).
    expect(sweep([1, 2, 3], [1, 2, 9, 2], true)).toEqual([1, 2]);
  });
});
