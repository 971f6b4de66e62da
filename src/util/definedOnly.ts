/**
 * The object without its undefined properties, in the order given: options passed on from one layer to the next
 * keep "not given" apart from a value, so that defaults further down still apply.
 */
export function definedOnly<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
