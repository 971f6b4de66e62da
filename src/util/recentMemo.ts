/**
 * A memo of a pure function of a string, for what watch mode computes again on every regeneration over texts
 * that mostly did not change (the pruned imports of a module, the hash of a file). It keeps two generations of
 * entries, each of `generation` calls: an entry asked for again within one generation stays, the rest are
 * dropped, so that memory stays bounded over a long watch.
 */
export function recentMemo<T>(compute: (text: string) => T, generation: number): (text: string) => T {
  let current = new Map<string, T>();
  let previous = new Map<string, T>();
  let calls = 0;
  return (text) => {
    let value = current.get(text);
    if (value === undefined) {
      value = previous.get(text) ?? compute(text);
      current.set(text, value);
    }
    if (++calls % generation === 0) {
      previous = current;
      current = new Map();
    }
    return value;
  };
}
