/** The README's examples, and a bot project made as the README says, for the tests that run them as printed. */
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './corpus.js';
import { tempDir } from './fixtures.js';

/** The text of the README's code block whose info string is `info` (e.g. `ts bot-echo`). */
export function readmeBlock(info: string): string {
  const m = new RegExp('```' + info + '\\n([\\s\\S]*?)```').exec(readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'));
  if (!m) throw new Error(`README.md has no \`\`\`${info} block`);
  return m[1]!;
}

/**
 * A bot project as the README says to make one: `spec/` and the generated `generated/` beside it,
 * `{"type": "module"}`, and simplex-api-codegen (with its bin, where npx finds it), ws and Node's types installed
 * (here: linked to this checkout).
 */
export function botProject(prefix: string): string {
  const dir = tempDir(prefix);
  cpSync(path.join(REPO_ROOT, 'spec'), path.join(dir, 'spec'), { recursive: true });
  cpSync(path.join(REPO_ROOT, 'generated'), path.join(dir, 'generated'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{"type": "module", "private": true}\n');
  mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'simplex-api-codegen'));
  symlinkSync(path.join(REPO_ROOT, 'node_modules', 'ws'), path.join(dir, 'node_modules', 'ws'));
  symlinkSync(path.join(REPO_ROOT, 'node_modules', '@types'), path.join(dir, 'node_modules', '@types'));
  symlinkSync(path.join(REPO_ROOT, 'bin', 'simplex-api-codegen.js'), path.join(dir, 'node_modules', '.bin', 'simplex-api-codegen'));
  return dir;
}
