import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/mock/isoTime.js';

// The years isoTime is for, those toISOString writes in four digits (Date.UTC reads 0-99 as 1900-1999).
const YEAR_0 = new Date(0).setUTCFullYear(0, 0, 1);
const END_OF_9999 = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

describe('isoTime', () => {
  it('writes what toISOString writes at the edges of days, months, leap days, centuries and its range', () => {
    const edges = [0, -1, 1, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2000, 1, 29), Date.UTC(1900, 1, 28, 12), Date.UTC(1900, 2, 1), Date.UTC(2100, 2, 1) - 1, YEAR_0, END_OF_9999];
    for (const ms of edges) expect(isoTime(ms), String(ms)).toBe(new Date(ms).toISOString());
  });

  it('writes what toISOString writes for any millisecond of the years 0 to 9999', () => {
    fc.assert(fc.property(fc.integer({ min: YEAR_0, max: END_OF_9999 }), (ms) => isoTime(ms) === new Date(ms).toISOString()), { numRuns: 20_000 });
  });
});
