/**
 * What a watch session remembers between runs (EmitMemo is the one there is): a result under a name, taken again
 * while every value it was made from is the same (by identity). Stages that are not emitters (the runtime's
 * tables, the snippets) take it through this interface.
 */
export interface Memo {
  /**
   * With `same`, a value made again that is `same` as the one it replaces is that earlier object: what is keyed
   * on it by identity further on (another memo entry, a literal) then holds as long as its content does.
   */
  get<T>(name: string, deps: readonly unknown[], make: () => T, same?: (a: T, b: T) => boolean): T;
}

/** `make()` remembered in `memo` when there is one (watch mode), else simply made (a single run). */
export function remembered<T>(memo: Memo | undefined, name: string, deps: readonly unknown[], make: () => T, same?: (a: T, b: T) => boolean): T {
  return memo ? memo.get(name, deps, make, same) : make();
}
