/**
 * This machine's cache of full runs trusts only what this user wrote: an entry, or a cache directory, that another
 * user could have written (owned by someone else, or writable by others) would make a stale output pass as up to
 * date, and is neither read nor written.
 */
import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordCacheEntry, verifyCacheEntry } from '../../src/cache/store.js';
import { tempDir } from '../helpers/fixtures.js';

describe("the cache of full runs, on a machine others share", () => {
  it('answers from an entry only while it and its directory are this user’s alone', () => {
    const cacheDir = path.join(tempDir('sac-store-'), 'cache');
    const out = tempDir('sac-store-out-');
    writeFileSync(path.join(out, 'a.txt'), 'a\n');
    const files = new Map([['a.txt', 'a\n']]);
    recordCacheEntry(cacheDir, 'f'.repeat(64), out, files);
    const entry = path.join(cacheDir, readdirSync(cacheDir)[0]!);
    const upToDate = () => verifyCacheEntry(cacheDir, 'f'.repeat(64), out).upToDate;
    expect(upToDate()).toBe(true);
    chmodSync(entry, 0o666);
    expect(verifyCacheEntry(cacheDir, 'f'.repeat(64), out)).toEqual({ upToDate: false, reason: 'the cache directory or its entry is writable by another user' });
    chmodSync(entry, 0o644);
    chmodSync(cacheDir, 0o777);
    expect(upToDate()).toBe(false);
    chmodSync(cacheDir, 0o755);
    expect(upToDate()).toBe(true);
    if (process.getuid?.() === 0) {
      chownSync(entry, 65534, 65534);
      expect(upToDate()).toBe(false);
    }
  });

  it('writes no entry into a directory others can write', () => {
    const cacheDir = path.join(tempDir('sac-store-'), 'cache');
    mkdirSync(cacheDir, { mode: 0o777 });
    chmodSync(cacheDir, 0o777);
    recordCacheEntry(cacheDir, 'f'.repeat(64), tempDir('sac-store-out-'), new Map());
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});
