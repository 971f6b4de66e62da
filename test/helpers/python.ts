/** Runs Python for the tests: one `python3` process per batch. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './corpus.js';

export type PyResult = { ok: string } | { error: string };

export function runPythonBatch(batch: object): PyResult[] {
  const r = spawnSync('python3', [path.join(REPO_ROOT, 'test/helpers/py_harness.py')], {
    input: JSON.stringify(batch),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`python3 failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as PyResult[];
}

/** Runs a script with `python3` in `cwd`, returning its exit status and output. */
export function runPython(args: string[], cwd: string, input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('python3', args, { cwd, input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
