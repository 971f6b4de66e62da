/**
 * vitest's global setup: one directory for the whole run, where checks of the same bytes share their result
 * (see test/helpers/sharedCheck.ts). Made fresh for every run and removed after it, so no run trusts another's.
 * With SAC_TEST_CACHE (`npm run test:quick`), checkers' results are also kept in that directory across runs,
 * under the fingerprint of everything besides the checked files that they read (environmentFingerprint).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT } from './corpus.js';

declare module 'vitest' {
  export interface ProvidedContext {
    sharedCheckDir: string;
    checkCacheDir: string;
    checkEnvironment: string;
  }
}

/** A kept result nobody has used for this long is dropped. */
const UNUSED_FOR_MS = 14 * 24 * 3600 * 1000;
/**
 * And beyond this many bytes, those used least recently: each edit of src/ keeps a new set of models and emitted
 * outputs (about 80 MB for the quick tier), which later edits leave unused.
 */
const KEPT_BYTES = 512 * 1024 * 1024;

/**
 * What a checker reads besides the files it checks: Node and the lockfile (tsc, pyright, @types/*), the
 * TypeScript 5.9 beside the project, and each Python's version and installed distributions (pyright resolves
 * imports through the python3 on PATH; the tests run /usr/bin/python3 too). Any change starts the cache afresh.
 */
function environmentFingerprint(): string {
  const hash = createHash('sha256').update(`${process.version} ${process.platform} ${process.arch}\0`);
  for (const file of ['package-lock.json', '.tools/node_modules/typescript/package.json'])
    hash.update(`${file}\0`).update(existsSync(path.join(REPO_ROOT, file)) ? readFileSync(path.join(REPO_ROOT, file)) : 'absent').update('\0');
  const listing = 'import sys, importlib.metadata as m; print(sys.executable, sys.version); print(sorted((d.metadata["Name"] or "", d.version) for d in m.distributions()))';
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', listing], { encoding: 'utf8' });
    hash.update(`${python}\0${r.status}\0${r.stdout ?? ''}\0`);
  }
  return hash.digest('hex');
}

function dropUnused(dir: string): void {
  const now = Date.now();
  const kept: { file: string; used: number; size: number }[] = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    const { mtimeMs, size } = statSync(file);
    if (now - mtimeMs > UNUSED_FOR_MS) rmSync(file, { force: true });
    else kept.push({ file, used: mtimeMs, size });
  }
  let bytes = 0;
  for (const { file, size } of kept.sort((a, b) => b.used - a.used))
    if ((bytes += size) > KEPT_BYTES) rmSync(file, { force: true });
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sac-run-'));
  project.provide('sharedCheckDir', dir);
  const kept = process.env['SAC_TEST_CACHE'];
  if (kept && !process.env['CI']) {
    const cacheDir = path.resolve(REPO_ROOT, kept);
    mkdirSync(cacheDir, { recursive: true });
    dropUnused(cacheDir);
    project.provide('checkCacheDir', cacheDir);
    project.provide('checkEnvironment', environmentFingerprint());
  }
  return () => rmSync(dir, { recursive: true, force: true });
}
