/**
 * Loads the CLI's bundle (dist/bundle/cli.cjs, one CommonJS file) with V8's code cache of it when there is one:
 * a process then starts with the bytecode of what a generate runs instead of compiling it again (Node 20 keeps no
 * compile cache of its own). A cache made by another V8 (another Node) is rejected by V8 and the source compiled
 * as usual. The bin and the build (which makes the cache) load the bundle through this same function.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

export interface LoadedBundle {
  exports: Record<string, unknown>;
  /** What became of the code cache: taken, refused by V8 (another version or flags), or not there. */
  cache: 'accepted' | 'rejected' | 'absent';
  /** V8's code cache of the bundle as it is now (after running: with the functions compiled since). */
  createCachedData(): Buffer;
}

export function loadBundle(at: string, cacheFile = `${path.resolve(at)}.cache`): LoadedBundle {
  const file = path.resolve(at);
  const source = readFileSync(file, 'utf8');
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  // Node's own wrapper of a CommonJS module, so that the bundle runs as if required.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, path.dirname(file));
  return { exports: module.exports, cache: cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted', createCachedData: () => script.createCachedData() };
}
