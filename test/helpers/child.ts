/**
 * A child process run to its end without blocking this one (never spawnSync: a mock chat core or a WebSocket
 * server in this process must answer meanwhile): its exit status and what it printed.
 */
import { spawn } from 'node:child_process';

export interface ChildResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runChild(command: string, args: string[], options: { env?: Record<string, string>; cwd?: string; input?: string } = {}): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env }, cwd: options.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}
