/**
 * The fast answer of `check` and `generate`: when the output manifest records this run's inputs fingerprint
 * and every file it lists still has its recorded hash, the output is what the full run would produce, and
 * nothing needs parsing. This module loads none of the parsers or emitters, so that this answer costs little
 * more than starting Node.
 */
import { awaitOutput, verifyRecordedOutput, type RecordedOutput } from '../writer/output.js';
import { inputsFingerprint, type FingerprintSource } from './fingerprint.js';

export interface RecordedCheck {
  /** This run's fingerprint (undefined when an input cannot be read: the full run reports it). */
  fingerprint: string | undefined;
  /** What the manifest says, or why the full run is needed. */
  recorded: RecordedOutput;
}

/**
 * Fingerprints the inputs and, unless `useRecord` is false, compares the output directory with its manifest's
 * record (after waiting for a run that is writing it). The fingerprint is taken before anything is parsed: an
 * input edited during the run then makes the record disagree, never wrongly agree.
 */
export async function checkRecordedOutput(
  source: FingerprintSource,
  out: string,
  options: { useRecord: boolean; shown?: string; lockTimeoutMs?: number; onWait?: (owner: { pid: number; host: string }) => void },
): Promise<RecordedCheck> {
  const fingerprint = inputsFingerprint(source);
  if (!options.useRecord) return { fingerprint, recorded: { upToDate: false, reason: 'the record is not used (--no-cache)' } };
  if (fingerprint === undefined) return { fingerprint, recorded: { upToDate: false, reason: 'an input cannot be read as it stands' } };
  await awaitOutput(out, { ...(options.shown !== undefined ? { shown: options.shown } : {}), ...(options.lockTimeoutMs !== undefined ? { lockTimeoutMs: options.lockTimeoutMs } : {}), ...(options.onWait ? { onWait: options.onWait } : {}) });
  return { fingerprint, recorded: verifyRecordedOutput(out, fingerprint) };
}
