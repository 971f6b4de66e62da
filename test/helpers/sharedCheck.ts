/**
 * A check of the same bytes gives the same result: pyright over one era's package, asked for by the Python
 * target's tests and again by the clients' tests, runs once in a run and the other test reads its result.
 * The key is the command and every byte it reads; the result lives only as long as the run (runSetup.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Every file under `dir` (but caches and compiled output), by path, into `hash`. */
function hashTree(hash: ReturnType<typeof createHash>, dir: string, rel = ''): void {
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    if (name === '__pycache__' || name === 'node_modules') continue;
    const file = path.join(dir, rel, name);
    const stat = statSync(file);
    if (stat.isDirectory()) hashTree(hash, dir, path.join(rel, name));
    else hash.update(`${path.join(rel, name)}\0${stat.size}\0`).update(readFileSync(file));
  }
}

/**
 * `compute()`'s result, or the result another test of this run computed for the same `command` over the same
 * bytes of `tree`. A test that asks while another computes waits for it (up to `waitMs`), then computes itself.
 */
export function sharedCheck<T>(command: readonly string[], tree: string, compute: () => T, waitMs = 120_000): T {
  let dir: string | undefined;
  try {
    dir = inject('sharedCheckDir');
  } catch {
    dir = undefined; // outside a vitest run with runSetup.ts: nothing to share with
  }
  if (!dir || !existsSync(dir)) return compute();
  const hash = createHash('sha256').update(JSON.stringify(command)).update('\0');
  hashTree(hash, tree);
  const file = path.join(dir, `${hash.digest('hex')}.json`);
  const pending = `${file}.pending`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as T;
    try {
      writeFileSync(pending, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      if (Date.now() > deadline) return compute();
      Atomics.wait(sleeper, 0, 0, 100);
    }
  }
  const result = compute();
  writeFileSync(`${file}.tmp${process.pid}`, JSON.stringify(result));
  renameSync(`${file}.tmp${process.pid}`, file);
  return result;
}
