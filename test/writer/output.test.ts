import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticsError } from '../../src/diagnostics/diagnostic.js';
import { fileDiff } from '../../src/writer/diff.js';
import { JOURNAL } from '../../src/writer/journal.js';
import { LOCK_FILE } from '../../src/writer/lock.js';
import { compareOutput, OutputMemory } from '../../src/writer/compareOutput.js';
import { withManifest } from '../../src/writer/manifest.js';
import { writeOutput, WriteCancelled, type Fs } from '../../src/writer/output.js';
import { snapshotDir, tempDir } from '../helpers/fixtures.js';

const files = (entries: Record<string, string>) => withManifest(new Map(Object.entries(entries)));

/** The diagnostics a failing call threw (fails the test when it did not throw them). */
async function diagnosticsOf(run: () => unknown): Promise<DiagnosticsError['diagnostics']> {
  try {
    await run();
  } catch (e) {
    if (e instanceof DiagnosticsError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected a DiagnosticsError');
}

/** An fs whose `op` fails on its `n`th call that `when` accepts. */
function failingFs(op: 'renameSync' | 'unlinkSync' | 'writeFileSync', n: number, when: (...args: unknown[]) => boolean = () => true): Fs {
  let calls = 0;
  const real = fs[op] as (...args: unknown[]) => unknown;
  return {
    ...fs,
    [op]: (...args: unknown[]) => {
      if (when(...args) && ++calls === n) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      return real(...args);
    },
  };
}

describe('writeOutput', () => {
  it('leaves the output directory exactly as it was when a write fails midway', async () => {
    const out = tempDir();
    await writeOutput(out, files({ 'a.txt': 'one\n', 'sub/b.txt': 'two\n' }));
    const before = snapshotDir(out);
    // The second staged file fails (the lock file is a write too, and not the one under test).
    const failing = failingFs('writeFileSync', 2, (p) => String(p).endsWith('.tmp'));
    const next = files({ 'a.txt': 'ONE\n', 'sub/b.txt': 'TWO\n', 'new/c.txt': 'three\n' });
    const [d] = await diagnosticsOf(() => writeOutput(out, next, { fs: failing }));
    expect(d).toMatchObject({ code: 'OUT002' });
    expect(d!.message).toContain('EIO');
    expect(snapshotDir(out)).toEqual(before);
    expect(fs.existsSync(path.join(out, 'new'))).toBe(false);
  });

  /** Writes a first output, then fails `op` on its `n`th call while writing `next`: nothing may change. */
  const failingAt = async (op: 'renameSync' | 'unlinkSync', n: number, next: Map<string, string>) => {
    const out = tempDir();
    await writeOutput(out, files({ 'a.txt': 'one\n', 'sub/b.txt': 'two\n', 'old.txt': 'old\n' }));
    const before = snapshotDir(out);
    await diagnosticsOf(() => writeOutput(out, next, { fs: failingFs(op, n) }));
    expect(snapshotDir(out), `${op} #${n}`).toEqual(before);
    expect(fs.existsSync(path.join(out, 'new'))).toBe(false);
  };

  it('undoes the swap when a rename fails at any step', async () => {
    const next = files({ 'a.txt': 'ONE\n', 'sub/b.txt': 'TWO\n', 'new/c.txt': 'three\n' });
    // Count the renames of a successful write, then fail each one in turn.
    let renames = 0;
    const counting: Fs = { ...fs, renameSync: ((...args: Parameters<typeof fs.renameSync>) => (renames++, fs.renameSync(...args))) as typeof fs.renameSync };
    const probe = tempDir();
    await writeOutput(probe, files({ 'a.txt': 'one\n', 'sub/b.txt': 'two\n', 'old.txt': 'old\n' }));
    await writeOutput(probe, next, { fs: counting });
    expect(renames).toBeGreaterThan(4);
    for (let n = 1; n <= renames; n++) await failingAt('renameSync', n, next);
  });

  it('keeps the new output when a leftover cannot be deleted afterwards', async () => {
    const out = tempDir();
    await writeOutput(out, files({ 'a.txt': 'one\n' }));
    const failing: Fs = { ...fs, unlinkSync: ((p: fs.PathLike) => (String(p).endsWith('.bak') ? (() => { throw new Error('EBUSY'); })() : fs.unlinkSync(p))) as typeof fs.unlinkSync };
    const r = await writeOutput(out, files({ 'a.txt': 'ONE\n' }), { fs: failing });
    // The manifest records each file's hash: it changes with a.txt.
    expect(r.written).toEqual(['.simplex-api-codegen-files', 'a.txt']);
    expect(fs.readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('ONE\n');
    // The next run removes what this one could not.
    const again = await writeOutput(out, files({ 'a.txt': 'ONE\n' }));
    expect(again.cleaned).toEqual([expect.stringMatching(/^\.simplex-api-codegen-files\.simplex-api-codegen-\d+\.bak$/), expect.stringMatching(/^a\.txt\.simplex-api-codegen-\d+\.bak$/)]);
    expect(Object.keys(snapshotDir(out)).sort()).toEqual(['.simplex-api-codegen-files', 'a.txt']);
  });

  it('refuses to replace a directory standing where a file belongs, changing nothing', async () => {
    const out = tempDir();
    await writeOutput(out, files({ 'a.txt': 'one\n' }));
    fs.mkdirSync(path.join(out, 'b.txt'));
    fs.writeFileSync(path.join(out, 'b.txt', 'inside'), 'x');
    const before = snapshotDir(out);
    const [d] = await diagnosticsOf(() => writeOutput(out, files({ 'a.txt': 'ONE\n', 'b.txt': 'b\n' })));
    expect(d).toMatchObject({ code: 'OUT002' });
    expect(d!.message).toContain('b.txt is a directory');
    expect(snapshotDir(out)).toEqual(before);
  });

  it('removes only files an earlier run generated; other files are left alone', async () => {
    const out = tempDir();
    await writeOutput(out, files({ 'a.txt': 'a\n', 'gone.txt': 'g\n', 'sub/gone.txt': 'g\n' }));
    fs.writeFileSync(path.join(out, 'README.md'), 'mine\n');
    fs.writeFileSync(path.join(out, 'sub', 'notes.txt'), 'mine too\n');
    const r = await writeOutput(out, files({ 'a.txt': 'a\n' }));
    expect(r.removed).toEqual(['gone.txt', 'sub/gone.txt']);
    expect(r.foreign).toEqual(['README.md', 'sub/notes.txt']);
    expect(snapshotDir(out)).toMatchObject({ 'README.md': 'mine\n', 'sub/notes.txt': 'mine too\n', 'a.txt': 'a\n' });
    expect(fs.existsSync(path.join(out, 'gone.txt'))).toBe(false);
  });

  it('never removes a path outside the directory, whatever the manifest says', async () => {
    const parent = tempDir();
    const out = path.join(parent, 'out');
    await writeOutput(out, files({ 'a.txt': 'a\n' }));
    fs.writeFileSync(path.join(parent, 'precious.txt'), 'keep\n');
    fs.writeFileSync(path.join(out, '.simplex-api-codegen-files'), '# x\na.txt\n../precious.txt\n/etc/hostname\n./a.txt\n');
    await writeOutput(out, files({ 'a.txt': 'a\n' }));
    expect(fs.readFileSync(path.join(parent, 'precious.txt'), 'utf8')).toBe('keep\n');
  });

  it('reports an output path that is a file as a diagnostic', async () => {
    const file = path.join(tempDir(), 'out.txt');
    fs.writeFileSync(file, 'x');
    for (const run of [() => writeOutput(file, files({ 'a.txt': 'a' }), { shown: 'out.txt' }), () => compareOutput(file, files({}), { shown: 'out.txt' })]) {
      const [d] = await diagnosticsOf(run);
      expect(d).toMatchObject({ code: 'OUT001', file: 'out.txt', message: 'output path "out.txt" is not a directory' });
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('creates a missing output directory, and removes it again when writing fails', async () => {
    const parent = tempDir();
    const out = path.join(parent, 'deep', 'out');
    const failing = failingFs('writeFileSync', 1, (p) => String(p).endsWith('.tmp'));
    await diagnosticsOf(() => writeOutput(out, files({ 'x/y.txt': 'y' }), { fs: failing }));
    expect(fs.existsSync(path.join(parent, 'deep'))).toBe(false);
    await writeOutput(out, files({ 'x/y.txt': 'y' }));
    expect(fs.readFileSync(path.join(out, 'x/y.txt'), 'utf8')).toBe('y');
  });

  it('with a memory (watch mode), still notices a file edited by someone else since', async () => {
    const out = tempDir();
    const memory = new OutputMemory();
    const v1 = files({ 'a.txt': 'one\n', 'b.txt': 'bee\n' });
    await writeOutput(out, v1, { memory });
    expect((await writeOutput(out, v1, { memory })).written).toEqual([]);
    fs.writeFileSync(path.join(out, 'a.txt'), 'edited by hand, and longer\n');
    const r = await writeOutput(out, v1, { memory });
    expect(r.written).toEqual(['a.txt']);
    expect(fs.readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('one\n');
    // A changed text is written without the old one being read again.
    let reads = 0;
    const counting: Fs = {
      ...fs,
      readFileSync: ((...args: Parameters<typeof fs.readFileSync>) => (String(args[0]).endsWith(LOCK_FILE) ? 0 : reads++, fs.readFileSync(...args))) as typeof fs.readFileSync,
    };
    await writeOutput(out, files({ 'a.txt': 'two\n', 'b.txt': 'bee\n' }), { fs: counting, memory });
    expect(fs.readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('two\n');
    // The manifest, and the journal's absence checked once before the swap.
    expect(reads).toBe(2);
  });

  it('compares without writing', async () => {
    const out = tempDir();
    await writeOutput(out, files({ 'a.txt': 'a\n' }));
    fs.mkdirSync(path.join(out, '__pycache__'));
    fs.writeFileSync(path.join(out, '__pycache__', 'x.pyc'), '');
    const state = compareOutput(out, files({ 'a.txt': 'b\n', 'c.txt': 'c' }));
    // The manifest lists the files, so it is stale too; __pycache__ is nobody's concern.
    expect(state).toMatchObject({ stale: ['.simplex-api-codegen-files', 'a.txt'], missing: ['c.txt'], unexpected: [], foreign: [], conflicts: [], leftovers: [] });
  });
});

describe('writeOutput never follows a symbolic link inside the output directory', () => {
  const setup = async () => {
    const root = tempDir();
    const out = path.join(root, 'out');
    const elsewhere = path.join(root, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(elsewhere, 'b.txt'), 'precious\n');
    await writeOutput(out, files({ 'a.txt': 'a\n', 'sub/b.txt': 'b\n', 'gone.txt': 'g\n' }));
    return { root, out, elsewhere };
  };

  it('refuses a directory link where output goes (OUT003), writing nothing', async () => {
    const { out, elsewhere } = await setup();
    fs.rmSync(path.join(out, 'sub'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(out, 'sub'));
    const before = snapshotDir(out);
    const diagnostics = await diagnosticsOf(() => writeOutput(out, files({ 'a.txt': 'A\n', 'sub/b.txt': 'B\n' }), { shown: 'out' }));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'OUT003', file: 'out/sub', message: '"out/sub" is a symbolic link where generated output belongs' })]);
    expect(fs.readFileSync(path.join(elsewhere, 'b.txt'), 'utf8')).toBe('precious\n');
    expect(snapshotDir(out)).toEqual(before);
    expect(fs.readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('a\n');
  });

  it('refuses a file link where output goes, and one among files it would remove', async () => {
    const { out, elsewhere } = await setup();
    fs.rmSync(path.join(out, 'a.txt'));
    fs.symlinkSync(path.join(elsewhere, 'b.txt'), path.join(out, 'a.txt'));
    expect((await diagnosticsOf(() => writeOutput(out, files({ 'a.txt': 'A\n', 'sub/b.txt': 'b\n' }))))[0]).toMatchObject({ code: 'OUT003' });
    fs.rmSync(path.join(out, 'a.txt'));
    fs.writeFileSync(path.join(out, 'a.txt'), 'a\n');
    fs.rmSync(path.join(out, 'gone.txt'));
    fs.symlinkSync(path.join(elsewhere, 'b.txt'), path.join(out, 'gone.txt'));
    expect((await diagnosticsOf(() => writeOutput(out, files({ 'a.txt': 'a\n', 'sub/b.txt': 'b\n' }))))[0]).toMatchObject({ code: 'OUT003' });
    expect(fs.readFileSync(path.join(elsewhere, 'b.txt'), 'utf8')).toBe('precious\n');
    // check refuses to read through it just the same.
    expect((await diagnosticsOf(() => compareOutput(out, files({ 'a.txt': 'a\n', 'sub/b.txt': 'b\n' }))))[0]).toMatchObject({ code: 'OUT003' });
  });

  it('leaves a link the generator never wrote alone', async () => {
    const { out, elsewhere } = await setup();
    fs.symlinkSync(elsewhere, path.join(out, 'mine'));
    const r = await writeOutput(out, files({ 'a.txt': 'A\n', 'sub/b.txt': 'b\n', 'gone.txt': 'g\n' }));
    expect(r.written).toContain('a.txt');
    expect(r.foreign).toEqual(['mine']);
    expect(fs.lstatSync(path.join(out, 'mine')).isSymbolicLink()).toBe(true);
  });
});

describe('writeOutput and files it never wrote', () => {
  it('refuses to overwrite a file of yours where it now generates one (OUT005), unless forced', async () => {
    const out = tempDir();
    await writeOutput(out, files({ 'a.txt': 'a\n' }));
    fs.writeFileSync(path.join(out, 'b.txt'), 'mine\n');
    const before = snapshotDir(out);
    const diagnostics = await diagnosticsOf(() => writeOutput(out, files({ 'a.txt': 'a\n', 'b.txt': 'generated\n' }), { shown: 'out' }));
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'OUT005', file: 'out/b.txt' })]);
    expect(snapshotDir(out)).toEqual(before);
    expect(compareOutput(out, files({ 'a.txt': 'a\n', 'b.txt': 'generated\n' })).conflicts).toEqual(['b.txt']);
    const r = await writeOutput(out, files({ 'a.txt': 'a\n', 'b.txt': 'generated\n' }), { force: true });
    expect(r.written).toContain('b.txt');
    expect(fs.readFileSync(path.join(out, 'b.txt'), 'utf8')).toBe('generated\n');
  });
});

describe('writeOutput with an abort signal (SIGINT, SIGTERM)', () => {
  it('undoes everything when aborted at any step of the write', async () => {
    const next = files({ 'a.txt': 'ONE\n', 'sub/b.txt': 'TWO\n', 'new/c.txt': 'three\n' });
    let steps = 0;
    for (let n = 1; ; n++) {
      const out = tempDir();
      await writeOutput(out, files({ 'a.txt': 'one\n', 'sub/b.txt': 'two\n', 'old.txt': 'old\n' }));
      const before = snapshotDir(out);
      const controller = new AbortController();
      // Abort after the n-th file-system change of the write.
      let changes = 0;
      const counting: Fs = {
        ...fs,
        writeFileSync: ((...args: Parameters<typeof fs.writeFileSync>) => (fs.writeFileSync(...args), ++changes === n && controller.abort())) as typeof fs.writeFileSync,
        renameSync: ((...args: Parameters<typeof fs.renameSync>) => (fs.renameSync(...args), ++changes === n && controller.abort())) as typeof fs.renameSync,
      };
      let cancelled = false;
      try {
        await writeOutput(out, next, { fs: counting, signal: controller.signal });
      } catch (e) {
        expect(e).toBeInstanceOf(WriteCancelled);
        cancelled = true;
      }
      if (!cancelled) {
        // Past the commit point the write completes.
        expect(snapshotDir(out)['a.txt']).toBe('ONE\n');
        break;
      }
      steps++;
      expect(snapshotDir(out), `aborted after change #${n}`).toEqual(before);
    }
    expect(steps).toBeGreaterThan(6);
  });
});

describe('an interrupted swap is finished or undone by the next run', () => {
  /**
   * Simulates a kill just before the n-th rename: from then on every change fails, as nothing runs in a dead
   * process (so nothing is undone either). True when the kill happened within the write.
   */
  const killedAt = async (out: string, next: Map<string, string>, n: number): Promise<boolean> => {
    let renames = 0;
    let dead = false;
    const guard = <F extends (...args: never[]) => unknown>(f: F, isRename = false): F =>
      ((...args: never[]) => {
        if (dead) throw new Error('killed');
        if (isRename && ++renames === n) {
          dead = true;
          throw new Error('killed');
        }
        return f(...args);
      }) as F;
    const killing: Fs = {
      ...fs,
      renameSync: guard(fs.renameSync, true),
      unlinkSync: guard(fs.unlinkSync),
      writeFileSync: guard(fs.writeFileSync),
      rmdirSync: guard(fs.rmdirSync),
      mkdirSync: guard(fs.mkdirSync),
    };
    try {
      await writeOutput(out, next, { fs: killing });
    } catch {
      /* the simulated kill */
    }
    return dead;
  };

  it('after a kill at every rename in turn, check reports leftovers and generate recovers to the new output', async () => {
    const old = files({ 'a.txt': 'one\n', 'sub/b.txt': 'two\n', 'old.txt': 'old\n' });
    const next = files({ 'a.txt': 'ONE\n', 'sub/b.txt': 'TWO\n', 'new/c.txt': 'three\n' });
    const expected = tempDir();
    await writeOutput(expected, next);
    let killedRuns = 0;
    for (let n = 1; n < 40; n++) {
      const out = tempDir();
      await writeOutput(out, old);
      if (!(await killedAt(out, next, n))) break;
      killedRuns++;
      const state = snapshotDir(out);
      const leftovers = Object.keys(state).filter((f) => /simplex-api-codegen-\d+\.(tmp|bak)$|^\.simplex-api-codegen-journal/.test(f));
      expect(compareOutput(out, next).leftovers.sort(), `kill at rename ${n}`).toEqual(leftovers.sort());
      const r = await writeOutput(out, next);
      expect(r.recovered === 'none').toBe(!state[JOURNAL]);
      expect(snapshotDir(out), `kill at rename ${n}`).toEqual(snapshotDir(expected));
      const after = compareOutput(out, next);
      expect(after.stale.length + after.missing.length + after.unexpected.length + after.leftovers.length).toBe(0);
    }
    expect(killedRuns).toBeGreaterThan(6);
  });

  it('rolls back to the old output when the swap had not finished', async () => {
    const out = tempDir();
    const old = files({ 'a.txt': 'one\n', 'old.txt': 'old\n' });
    await writeOutput(out, old);
    const before = snapshotDir(out);
    // Kill after the first file was moved aside: the journal says so, and the next run restores it.
    await killedAt(out, files({ 'a.txt': 'ONE\n', 'b.txt': 'new\n' }), 3);
    expect(fs.existsSync(path.join(out, JOURNAL))).toBe(true);
    const r = await writeOutput(out, old);
    expect(r.recovered).toBe('rolled back');
    expect(r.written).toEqual([]);
    expect(snapshotDir(out)).toEqual(before);
  });
});

describe('one run at a time per output directory', () => {
  it('waits for a live lock, takes over a stale one, and gives up after the timeout', async () => {
    const out = tempDir();
    await writeOutput(out, files({ 'a.txt': 'a\n' }));
    const lock = path.join(out, LOCK_FILE);
    // A process that is gone: the lock is stale and taken over.
    fs.writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname() }));
    expect((await writeOutput(out, files({ 'a.txt': 'b\n' }))).written).toContain('a.txt');
    expect(fs.existsSync(lock)).toBe(false);
    // A live process (this one's parent): waited for, then a located diagnostic.
    fs.writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: (await import('node:os')).hostname() }));
    let waitedFor = 0;
    const diagnostics = await diagnosticsOf(() => writeOutput(out, files({ 'a.txt': 'c\n' }), { shown: 'out', lockTimeoutMs: 100, onWait: (o) => (waitedFor = o.pid) }));
    expect(waitedFor).toBe(process.ppid);
    expect(diagnostics[0]).toMatchObject({ code: 'OUT004', file: `out/${LOCK_FILE}` });
    expect(fs.readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('b\n');
    // The lock is released as soon as it is free.
    setTimeout(() => fs.unlinkSync(lock), 100);
    expect((await writeOutput(out, files({ 'a.txt': 'c\n' }), { lockTimeoutMs: 5000 })).written).toContain('a.txt');
  });
});

describe('fileDiff', () => {
  const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

  it('shows every changed region as its own hunk with 3 lines of context, as diff -u does', () => {
    const a = numbered(1000);
    const b = a.replace('line 6\n', 'six\n').replace('line 896\n', 'eight hundred ninety-six\n');
    const d = fileDiff('f.txt', a, b);
    expect(d.text).toBe(
      '--- a/f.txt\n+++ b/f.txt\n' +
        '@@ -3,7 +3,7 @@\n line 3\n line 4\n line 5\n-line 6\n+six\n line 7\n line 8\n line 9\n' +
        '@@ -893,7 +893,7 @@\n line 893\n line 894\n line 895\n-line 896\n+eight hundred ninety-six\n line 897\n line 898\n line 899\n',
    );
    expect(d.firstChangedLine).toBe(6);
    // Agrees with diff(1) where it is installed.
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a'), a);
    fs.writeFileSync(path.join(dir, 'b'), b);
    const r = spawnSync('diff', ['-u', 'a', 'b'], { cwd: dir, encoding: 'utf8' });
    if (r.status === 1) expect(d.text.split('\n').slice(2).join('\n')).toBe(r.stdout.split('\n').slice(2).join('\n'));
  });

  it('shows a new file against /dev/null, and caps a long diff with a count of what was cut', () => {
    const d = fileDiff('n.txt', undefined, numbered(300));
    expect(d.text.startsWith('--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,300 @@\n+line 1\n')).toBe(true);
    expect(d.text).toContain('\n… 101 more changed lines not shown\n');
    expect(d.text.split('\n')).toHaveLength(2 + 200 + 1 + 1);
    const many = numbered(2000);
    const edited = many.replace(/line (\d*0)\n/g, 'changed $1\n');
    expect(fileDiff('m.txt', many, edited).text).toMatch(/… \d+ more changed lines not shown \(\d+ more hunks\)\n$/);
  });

  it('shows control characters of a hand-edited file as escapes', () => {
    expect(fileDiff('x.txt', 'a\n', 'a\u001b[2J\n').text).toContain('+a\\u001b[2J\n');
  });
});

