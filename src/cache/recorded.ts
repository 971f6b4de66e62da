/**
 * The fast answer of `check` and `generate`: when this machine's cache (store.ts) holds a full run with this
 * run's inputs and every file it lists is still as that run left it, the output is what the full run would
 * produce, and nothing needs parsing. Nothing in the output directory (the manifest included) is trusted as
 * proof. This module loads none of the parsers or emitters, so that this answer costs little more than starting
 * Node.
 */
import type { RecordedOutput } from '../writer/compareOutput.js';
import { awaitOutput } from '../writer/output.js';
import { cacheKeyOf, inputsFingerprint, type FingerprintSource } from './fingerprint.js';
import { verifyCacheEntry } from './store.js';

export interface RecordedCheck {
  /** This run's fingerprint, recorded in the manifest (undefined when an input cannot be read: the full run reports it). */
  fingerprint: string | undefined;
  /** The key of this machine's cache entry for this run (the fingerprint and what only this machine shows). */
  cacheKey: string | undefined;
  /** What the cache vouches for, or why the full run is needed. */
  recorded: RecordedOutput;
}

/**
 * Fingerprints the inputs and, unless `useRecord` is false, compares the output directory with this machine's
 * cache entry (after waiting for a run that is writing it). The fingerprint is taken before anything is parsed:
 * an input edited during the run then makes the entry disagree, never wrongly agree.
 */
export async function checkRecordedOutput(
  source: FingerprintSource,
  out: string,
  options: { useRecord: boolean; cacheDir: string; shown?: string; lockTimeoutMs?: number; onWait?: (owner: { pid: number; host: string }) => void },
): Promise<RecordedCheck> {
  const fingerprint = inputsFingerprint(source);
  const cacheKey = fingerprint === undefined ? undefined : cacheKeyOf(fingerprint, { ...source, out });
  if (!options.useRecord) return { fingerprint, cacheKey, recorded: { upToDate: false, reason: 'the cache is not used (--no-cache)' } };
  if (cacheKey === undefined) return { fingerprint, cacheKey, recorded: { upToDate: false, reason: 'an input cannot be read as it stands' } };
  await awaitOutput(out, { ...(options.shown !== undefined ? { shown: options.shown } : {}), ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}), ...(options.onWait ? { onWait: options.onWait } : {}) });
  return { fingerprint, cacheKey, recorded: verifyCacheEntry(options.cacheDir, cacheKey, out) };
}
