/** Checks of the same bytes share one run: the tool runs once, and each asker reads the result with its own paths. */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './corpus.js';
import { tempDir } from './fixtures.js';
import { checkedRun, sharedResult } from './sharedCheck.js';

/** A stand-in checker: prints the file it is given and where it ran, and counts its runs. */
function fakeChecker(): { script: string; runs: () => number } {
  const dir = tempDir('sac-checker-');
  const counter = path.join(dir, 'runs');
  writeFileSync(counter, '');
  const script = path.join(dir, 'check.mjs');
  writeFileSync(
    script,
    `import { appendFileSync, readFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(counter)}, 'x');\nconst text = readFileSync(process.argv[2], 'utf8');\nconsole.log(process.cwd() + '/' + process.argv[2] + ': ' + text);\nprocess.exit(text.includes('bad') ? 1 : 0);\n`,
  );
  return { script, runs: () => readFileSync(counter, 'utf8').length };
}

function project(text: string): string {
  const dir = tempDir('sac-checked-');
  writeFileSync(path.join(dir, 'a.txt'), text);
  return dir;
}

describe('checkedRun', () => {
  it('runs a check of the same bytes once, wherever they are, and gives each its own paths', () => {
    const { script, runs } = fakeChecker();
    const first = project('fine\n');
    const second = project('fine\n');
    const a = checkedRun(process.execPath, [script, 'a.txt'], first);
    const b = checkedRun(process.execPath, [script, 'a.txt'], second);
    expect(runs()).toBe(1);
    expect(a).toEqual({ status: 0, stdout: `${first}/a.txt: fine\n\n`, stderr: '' });
    expect(b).toEqual({ status: 0, stdout: `${second}/a.txt: fine\n\n`, stderr: '' });
  });

  it('runs again for a changed byte or another argument, and keeps a failure as a failure', () => {
    const { script, runs } = fakeChecker();
    const dir = project('fine\n');
    checkedRun(process.execPath, [script, 'a.txt'], dir);
    appendFileSync(path.join(dir, 'a.txt'), 'bad\n');
    const failed = checkedRun(process.execPath, [script, 'a.txt'], dir);
    expect(failed.status).toBe(1);
    expect(checkedRun(process.execPath, [script, 'a.txt'], project('fine\nbad\n')).status).toBe(1);
    writeFileSync(path.join(dir, 'b.txt'), 'other\n');
    expect(checkedRun(process.execPath, [script, 'b.txt'], dir).stdout).toBe(`${dir}/b.txt: other\n\n`);
    expect(runs()).toBe(3);
  });

  it('refuses a file of the repository outside the checked directories: its bytes would not be in the key', () => {
    const { script } = fakeChecker();
    expect(() => checkedRun(process.execPath, [script, path.join(REPO_ROOT, 'README.md')], project('x'))).toThrow(/outside the checked directories/);
  });
});

describe('sharedResult', () => {
  it('computes a result once for the same command, as JSON; a failure is not kept, and the next ask computes at once', { timeout: 60_000 }, async () => {
    const command = ['sharedResult test', String(process.pid), String(Math.random())];
    let runs = 0;
    const compute = async () => {
      runs++;
      return { files: [['a.ts', 'x']], n: 1 };
    };
    expect(await sharedResult(command, compute)).toEqual({ files: [['a.ts', 'x']], n: 1 });
    expect(await sharedResult(command, compute)).toEqual({ files: [['a.ts', 'x']], n: 1 });
    expect(runs).toBe(1);
    const failing = [...command, 'failing'];
    await expect(sharedResult(failing, async () => { throw new Error('emit failed'); })).rejects.toThrow('emit failed');
    // A claim left behind would hold this ask for 120 s, and the test would time out first.
    expect(await sharedResult(failing, compute, 120_000)).toEqual({ files: [['a.ts', 'x']], n: 1 });
    expect(runs).toBe(2);
  });
});
