/** Runs the real CLI (bin/) in a child process, optionally with the fs hooks of fsHooks.mjs preloaded. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './corpus.js';

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export const BIN = path.join(REPO_ROOT, 'bin/simplex-api-codegen.js');
const HOOKS = path.join(REPO_ROOT, 'test/helpers/fsHooks.mjs');

export interface SpawnOptions {
  cwd?: string;
  /** SAC_* variables for fsHooks.mjs (the hooks are preloaded when any is given). */
  hooks?: Record<string, string>;
  /** Called with the child once it runs (to send it signals). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
  input?: string;
}

export function spawnCli(args: string[], options: SpawnOptions = {}): Promise<ChildRun> {
  const started = performance.now();
  const preload = options.hooks ? ['--import', HOOKS] : [];
  const child = spawn(process.execPath, [...preload, BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, ...options.hooks, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(options.input ?? '');
  options.onSpawn?.(child);
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: performance.now() - started })));
}
