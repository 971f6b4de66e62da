/** Runs Python for the tests: one `python3` process per batch. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './corpus.js';

export type PyResult = { ok: string } | { error: string };

let checked: string | undefined;

/**
 * Throws one clear line when `python3` is missing or older than 3.11 (the generated package needs
 * `NotRequired` and `typing.TypeAlias` of 3.11), instead of letting a test fail on an exit status of null.
 */
export function requirePython(): void {
  checked ??= pythonProblem('python3') ?? 'ok';
  if (checked !== 'ok') throw new Error(checked);
}

/** Why `command` cannot run the Python tests, or undefined when it can. */
export function pythonProblem(command: string): string | undefined {
  const r = spawnSync(command, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  if (r.status !== 0) return `${command} is not on PATH: the Python tests need python3 >= 3.11 (see the README's prerequisites)`;
  const version = r.stdout.trim();
  const [major, minor] = version.split('.').map(Number) as [number, number];
  if (major < 3 || (major === 3 && minor < 11)) return `${command} is ${version}: the Python tests need python3 >= 3.11 (see the README's prerequisites)`;
  return undefined;
}

let resolved: string | undefined;

/**
 * The interpreter that `python3` on PATH runs, named by its own executable: a version manager's shim before it
 * (pyenv's is a bash script that starts a few more processes) costs about 65 ms of CPU at every start, some 5 s
 * over the 80 starts of the quick tier. The same interpreter either way; `python3` itself when it cannot say.
 */
export function python3(): string {
  if (resolved === undefined) {
    const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
    const executable = r.status === 0 ? r.stdout.trim() : '';
    resolved = executable && path.isAbsolute(executable) && existsSync(executable) ? executable : 'python3';
  }
  return resolved;
}

/** spawnSync of python3, after requirePython. */
export function spawnPython(args: string[], options: SpawnSyncOptions & { encoding: 'utf8' }) {
  requirePython();
  return spawnSync(python3(), args, options);
}

export function runPythonBatch(batch: object): PyResult[] {
  const r = spawnPython([path.join(REPO_ROOT, 'test/helpers/py_harness.py')], {
    input: JSON.stringify(batch),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(`python3 failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as PyResult[];
}

/** Runs a script with `python3` in `cwd`, returning its exit status and output. */
export function runPython(args: string[], cwd: string, input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnPython(args, { cwd, input, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
