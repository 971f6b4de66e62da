/** The output of every emitter: relative POSIX path → file text. */
export type FileMap = Map<string, string>;

export function mergeFileMaps(...maps: FileMap[]): FileMap {
  const out: FileMap = new Map();
  for (const m of maps) for (const [k, v] of m) out.set(k, v);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
