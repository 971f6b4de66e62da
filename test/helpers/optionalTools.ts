/**
 * Tools the tests use beyond Node and python3 (Debian's Python packages, Chromium): present, or the test is skipped
 * with one line naming the tool and its package. Under CI (`CI` set; .ci/run installs them all) a missing tool fails.
 */
import { spawnSync } from 'node:child_process';
import { python3 } from './python.js';

/** What vitest gives a test: its `skip`. */
interface Skippable {
  skip(note?: string): void;
}

/** A missing tool said in one line; under CI an error. */
export function reportMissingTool(tool: string, install: string): string {
  const line = `${tool} is not installed (${install})`;
  if (process.env['CI']) throw new Error(`${line}: CI installs it (.ci/run)`);
  console.log(`skipped: ${line}`);
  return line;
}

/** A missing tool: one line and a skipped test, or under CI an error. */
export function missingTool(ctx: Skippable, tool: string, install: string): never {
  const line = reportMissingTool(tool, install);
  ctx.skip(line);
  throw new Error(`skipped: ${line}`);
}

/** Where to look; SAC_TEST_PYTHONS (space-separated) replaces the list, to try the suite as a machine without them. */
const PYTHONS = process.env['SAC_TEST_PYTHONS']?.split(' ').filter(Boolean) ?? ['python3', '/usr/bin/python3'];
const pythons = new Map<string, string | undefined>();

/** A python3 (the one on PATH, else Debian's /usr/bin/python3) that imports every module named. */
export function pythonWith(modules: readonly string[]): string | undefined {
  const key = modules.join(',');
  if (!pythons.has(key)) {
    const found = PYTHONS.find((python) => spawnSync(python, ['-c', `import ${key}`], { encoding: 'utf8' }).status === 0);
    pythons.set(key, found === 'python3' ? python3() : found);
  }
  return pythons.get(key);
}

/** A python3 with these modules (`aptPackages` install them on Debian), or the test is skipped (fails under CI). */
export function requirePython(ctx: Skippable, modules: readonly string[], aptPackages: string): string {
  return pythonWith(modules) ?? missingTool(ctx, `Python's ${modules.join(', ')}`, `apt-get install -y ${aptPackages}`);
}

/** Python's websockets, for the WebSocket clients: `apt-get install -y python3-websockets`. */
export const requirePythonWebsockets = (ctx: Skippable): string => requirePython(ctx, ['websockets'], 'python3-websockets');
