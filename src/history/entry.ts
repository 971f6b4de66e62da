/** A version of the configured history, as the config file and the programmatic API give it (no heavy imports: the config loader reads it). */
export interface HistoryEntry {
  label: string;
  /** A spec directory (absolute, or relative to `cwd`). */
  spec?: string;
  /** `REV:PATH`, read with git as `changes` reads it (e.g. `v6.4.0:bots/api`). */
  revision?: string;
}

/** `REV:PATH`: a revision and the documents' directory in it (the config schema's pattern is the same). */
export const isRevisionPath = (text: string): boolean => /^[^:]+:./.test(text);
