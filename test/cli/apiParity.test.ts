/**
 * The CLI is a thin layer over the API (src/outputRun.ts holds the steps both take): `generate` and `check` run
 * through each on the same cases give the same files, the same lists and the same diagnostics.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, generate, type CheckResult } from '../../src/api.js';
import { runCli } from '../helpers/cli.js';
import { MINIMAL_DIR, snapshotDir, tempDir } from '../helpers/fixtures.js';

/** A project with a copy of the minimal spec, its own cache, and two output directories: one per side. */
function twinProject() {
  const dir = tempDir('sac-parity-');
  const spec = path.join(dir, 'spec');
  cpSync(MINIMAL_DIR, spec, { recursive: true });
  const cacheDir = path.join(dir, 'cache');
  const cliOut = path.join(dir, 'cli-out');
  const apiOut = path.join(dir, 'api-out');
  const cli = (args: string[]) => runCli([...args, '--spec', spec, '--out', cliOut, '--cache-dir', cacheDir], dir);
  const api = { spec, out: apiOut, cwd: dir, cacheDir };
  return { dir, spec, cliOut, apiOut, cli, api };
}

/** What `generate` printed: the files written and removed, and the count left unchanged. */
function printedWrite(stderr: string) {
  const counts = /(\d+) written, (\d+) removed, (\d+) unchanged/.exec(stderr);
  return {
    written: [...stderr.matchAll(/^ {2}wrote (.+)$/gm)].map((m) => m[1]!),
    removed: [...stderr.matchAll(/^ {2}removed (.+)$/gm)].map((m) => m[1]!),
    unchanged: Number(counts?.[3]),
  };
}

/** A check result as `check --format json` prints it. */
const asPrinted = (r: CheckResult) => ({ stale: r.stale, missing: r.missing, unexpected: r.unexpected, conflicts: r.conflicts, leftovers: r.leftovers, unchanged: r.unchanged.length, foreign: r.foreign, cache: r.cache.hit ? 'hit' : 'miss' });

/** The same edits on both outputs: one file changed, one removed, one the generator never wrote. */
function editOutputs(...outs: string[]): void {
  for (const out of outs) {
    writeFileSync(path.join(out, 'docs/TYPES.md'), 'edited by hand\n');
    rmSync(path.join(out, 'model.json'));
    writeFileSync(path.join(out, 'notes.txt'), 'mine\n');
  }
}

describe('the CLI and the API', () => {
  it('generate writes the same bytes and says the same of what it wrote, removed and left alone', async () => {
    const p = twinProject();
    const c = await p.cli(['generate']);
    const a = await generate(p.api);
    expect(c.code, c.stderr).toBe(0);
    expect(a.ok).toBe(true);
    // The manifest records the same fingerprint: the two take their inputs alike.
    expect(snapshotDir(p.cliOut)).toEqual(snapshotDir(p.apiOut));
    expect(printedWrite(c.stderr)).toEqual({ written: a.written, removed: a.removed, unchanged: a.unchanged });
    expect(a.written!.length).toBeGreaterThan(50);

    editOutputs(p.cliOut, p.apiOut);
    const c2 = await p.cli(['generate']);
    const a2 = await generate(p.api);
    expect(printedWrite(c2.stderr)).toEqual({ written: a2.written, removed: a2.removed, unchanged: a2.unchanged });
    expect(a2.written).toEqual(['docs/TYPES.md', 'model.json']);
    expect(c2.stderr).toContain('notes.txt');
    expect(a2.foreign).toEqual(['notes.txt']);
    expect(snapshotDir(p.cliOut)).toEqual(snapshotDir(p.apiOut));
  });

  it('check finds the same stale, missing and foreign files, from the cache and in full', async () => {
    const p = twinProject();
    expect((await p.cli(['generate'])).code).toBe(0);
    expect((await generate(p.api)).ok).toBe(true);
    // Up to date, answered from this machine's cache by both.
    const c0 = await p.cli(['check', '--format', 'json']);
    const a0 = await check(p.api);
    expect(c0.code).toBe(0);
    expect(JSON.parse(c0.stdout)).toEqual(asPrinted(a0));
    expect(a0).toMatchObject({ upToDate: true, cache: { hit: true } });

    editOutputs(p.cliOut, p.apiOut);
    for (const noCache of [false, true]) {
      const c = await p.cli(['check', '--format', 'json', ...(noCache ? ['--no-cache'] : [])]);
      const a = await check({ ...p.api, cache: !noCache });
      expect(c.code).toBe(1);
      expect(a.upToDate).toBe(false);
      expect(JSON.parse(c.stdout)).toEqual(asPrinted(a));
      expect(a).toMatchObject({ stale: ['docs/TYPES.md'], missing: ['model.json'], foreign: ['notes.txt'], cache: { hit: false } });
    }
  });

  it('input with errors: the same diagnostics, exit 2 and ok false, and neither output touched', async () => {
    const p = twinProject();
    expect((await p.cli(['generate'])).code).toBe(0);
    expect((await generate(p.api)).ok).toBe(true);
    const before = [snapshotDir(p.cliOut), snapshotDir(p.apiOut)];
    const commands = path.join(p.spec, 'COMMANDS.md');
    writeFileSync(commands, readFileSync(commands, 'utf8').replace(/\*\*Syntax\*\*:?/, '**Syntax**: `/_broken <json(nothing)`\n\nwas:'));
    for (const verb of ['generate', 'check'] as const) {
      const c = await p.cli([verb, '--format', 'json']);
      const a = verb === 'generate' ? await generate(p.api) : await check(p.api);
      expect(c.code, c.stdout + c.stderr).toBe(2);
      expect(a.ok).toBe(false);
      const printed = JSON.parse(c.stdout) as { code: string; line: number; column: number; severity: string }[];
      const key = (d: { code: string; line?: number; column?: number; severity: string }) => `${d.severity} ${d.code} ${d.line}:${d.column}`;
      expect(printed.map(key)).toEqual(a.diagnostics.map(key));
      expect(printed.some((d) => d.severity === 'error')).toBe(true);
    }
    expect([snapshotDir(p.cliOut), snapshotDir(p.apiOut)]).toEqual(before);
  });
});
