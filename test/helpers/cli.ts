/** Runs the CLI in-process with captured output. */
import { main, type Io } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), color: false, cwd };
  const code = await main(['node', 'simplex-api-codegen', ...args], io);
  return { code, stdout, stderr };
}
