/**
 * Which simplex-api-codegen the Python MockCore starts by default: the one `npx --no-install` would run (the
 * nearest node_modules/.bin, or the package's own checkout, at or above the working directory), without npx's
 * own second of start-up; npx itself when there is none.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChild } from '../helpers/child.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { tempDir } from '../helpers/fixtures.js';
import { python3 } from '../helpers/python.js';

const MOCK_PY = path.join(REPO_ROOT, 'src/runtime/python/mock.py');
const SCRIPT = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("simplex_mock", sys.argv[1])
mock = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mock)
print(json.dumps(mock._default_command()))
`;

async function defaultCommandIn(cwd: string): Promise<string[]> {
  const r = await runChild(python3(), ['-c', SCRIPT, MOCK_PY], { cwd });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as string[];
}

/** A project with `node_modules/.bin/simplex-api-codegen` of the given mode. */
function projectWithBin(mode: number): { project: string; bin: string } {
  const project = tempDir('sac-pycmd-');
  const bin = path.join(project, 'node_modules', '.bin', 'simplex-api-codegen');
  mkdirSync(path.dirname(bin), { recursive: true });
  writeFileSync(bin, '#!/bin/sh\n');
  chmodSync(bin, mode);
  return { project, bin };
}

describe("the Python MockCore's default command", () => {
  it('the nearest installed bin, from a subdirectory of the project', async () => {
    const { project, bin } = projectWithBin(0o755);
    mkdirSync(path.join(project, 'tests', 'unit'), { recursive: true });
    expect(await defaultCommandIn(path.join(project, 'tests', 'unit'))).toEqual([bin]);
  });

  it('not a file that cannot be run; npx when nothing is installed', async () => {
    const { project } = projectWithBin(0o644);
    expect(await defaultCommandIn(project)).toEqual(['npx', '--no-install', 'simplex-api-codegen']);
  });

  it("in simplex-api-codegen's own checkout, its bin (as npx runs it there)", async () => {
    expect(await defaultCommandIn(path.join(REPO_ROOT, 'test'))).toEqual(['node', path.join(REPO_ROOT, 'bin/simplex-api-codegen.js')]);
  });

  it("not another package's bin of another name", async () => {
    const project = tempDir('sac-pycmd-');
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-bot', bin: { 'simplex-api-codegen': 'x.js' } }));
    writeFileSync(path.join(project, 'x.js'), '');
    expect(await defaultCommandIn(project)).toEqual(['npx', '--no-install', 'simplex-api-codegen']);
  });
});
