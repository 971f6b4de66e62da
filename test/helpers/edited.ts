/** Mutations of JSON values for the decoder and schema tests. */

/** `value` (copied) with the thing at `at` replaced by what `edit` returns (undefined deletes it); `[]` is the value itself. */
export function edited(value: unknown, at: readonly (string | number)[], edit: (old: unknown) => unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  if (at.length === 0) return edit(copy);
  let node = copy;
  for (const seg of at.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  const last = at[at.length - 1]!;
  const v = edit(node[last]);
  if (v === undefined) delete node[last];
  else node[last] = v;
  return copy;
}
