import * as fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticsError } from '../../src/diagnostics/diagnostic.js';
import { unifiedDiff } from '../../src/writer/diff.js';
import { compareOutput, OutputMemory, withManifest, writeOutput, type Fs } from '../../src/writer/output.js';
import { snapshotDir, tempDir } from '../helpers/fixtures.js';

const files = (entries: Record<string, string>) => withManifest(new Map(Object.entries(entries)));

describe('writeOutput', () => {
  it('leaves the output directory exactly as it was when a write fails midway', () => {
    const out = tempDir();
    writeOutput(out, files({ 'a.txt': 'one\n', 'sub/b.txt': 'two\n' }));
    const before = snapshotDir(out);
    let writes = 0;
    const failing: Fs = {
      ...fs,
      writeFileSync: ((...args: Parameters<typeof fs.writeFileSync>) => {
        if (++writes === 2) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        return fs.writeFileSync(...args);
      }) as typeof fs.writeFileSync,
    };
    const next = files({ 'a.txt': 'ONE\n', 'sub/b.txt': 'TWO\n', 'new/c.txt': 'three\n' });
    let error: unknown;
    try {
      writeOutput(out, next, failing);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DiagnosticsError);
    expect((error as DiagnosticsError).diagnostics[0]).toMatchObject({ code: 'OUT002' });
    expect((error as DiagnosticsError).diagnostics[0]!.message).toContain('ENOSPC');
    expect(snapshotDir(out)).toEqual(before);
    expect(fs.existsSync(path.join(out, 'new'))).toBe(false);
  });

  /** Writes a first output, then fails `op` on its `n`th call while writing `next`: nothing may change. */
  const failingAt = (op: 'renameSync' | 'unlinkSync', n: number, next: Map<string, string>) => {
    const out = tempDir();
    writeOutput(out, files({ 'a.txt': 'one\n', 'sub/b.txt': 'two\n', 'old.txt': 'old\n' }));
    const before = snapshotDir(out);
    let calls = 0;
    const real = fs[op] as (...args: unknown[]) => unknown;
    const failing: Fs = {
      ...fs,
      [op]: (...args: unknown[]) => {
        if (++calls === n) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
        return real(...args);
      },
    };
    expect(() => writeOutput(out, next, failing)).toThrow(DiagnosticsError);
    expect(snapshotDir(out)).toEqual(before);
    expect(fs.existsSync(path.join(out, 'new'))).toBe(false);
  };

  it('undoes the swap when a rename fails at any step', () => {
    const next = files({ 'a.txt': 'ONE\n', 'sub/b.txt': 'TWO\n', 'new/c.txt': 'three\n' });
    // Count the renames of a successful write, then fail each one in turn.
    let renames = 0;
    const counting: Fs = { ...fs, renameSync: ((...args: Parameters<typeof fs.renameSync>) => (renames++, fs.renameSync(...args))) as typeof fs.renameSync };
    const probe = tempDir();
    writeOutput(probe, files({ 'a.txt': 'one\n', 'sub/b.txt': 'two\n', 'old.txt': 'old\n' }));
    writeOutput(probe, next, counting);
    expect(renames).toBeGreaterThan(4);
    for (let n = 1; n <= renames; n++) failingAt('renameSync', n, next);
  });

  it('keeps the new output when a leftover cannot be deleted afterwards', () => {
    const out = tempDir();
    writeOutput(out, files({ 'a.txt': 'one\n' }));
    const failing: Fs = { ...fs, unlinkSync: (() => { throw new Error('EBUSY'); }) as typeof fs.unlinkSync };
    const r = writeOutput(out, files({ 'a.txt': 'ONE\n' }), failing);
    expect(r.written).toEqual(['a.txt']);
    expect(fs.readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('ONE\n');
  });

  it('refuses to replace a directory standing where a file belongs, changing nothing', () => {
    const out = tempDir();
    writeOutput(out, files({ 'a.txt': 'one\n' }));
    fs.mkdirSync(path.join(out, 'b.txt'));
    fs.writeFileSync(path.join(out, 'b.txt', 'inside'), 'x');
    const before = snapshotDir(out);
    let error: unknown;
    try {
      writeOutput(out, files({ 'a.txt': 'ONE\n', 'b.txt': 'b\n' }));
    } catch (e) {
      error = e;
    }
    expect((error as DiagnosticsError).diagnostics[0]).toMatchObject({ code: 'OUT002' });
    expect((error as DiagnosticsError).diagnostics[0]!.message).toContain('b.txt is a directory');
    expect(snapshotDir(out)).toEqual(before);
  });

  it('removes only files an earlier run generated; other files are left alone', () => {
    const out = tempDir();
    writeOutput(out, files({ 'a.txt': 'a\n', 'gone.txt': 'g\n', 'sub/gone.txt': 'g\n' }));
    fs.writeFileSync(path.join(out, 'README.md'), 'mine\n');
    fs.writeFileSync(path.join(out, 'sub', 'notes.txt'), 'mine too\n');
    const r = writeOutput(out, files({ 'a.txt': 'a\n' }));
    expect(r.removed).toEqual(['gone.txt', 'sub/gone.txt']);
    expect(r.foreign).toEqual(['README.md', 'sub/notes.txt']);
    expect(snapshotDir(out)).toMatchObject({ 'README.md': 'mine\n', 'sub/notes.txt': 'mine too\n', 'a.txt': 'a\n' });
    expect(fs.existsSync(path.join(out, 'gone.txt'))).toBe(false);
  });

  it('never removes a path outside the directory, whatever the manifest says', () => {
    const parent = tempDir();
    const out = path.join(parent, 'out');
    writeOutput(out, files({ 'a.txt': 'a\n' }));
    fs.writeFileSync(path.join(parent, 'precious.txt'), 'keep\n');
    fs.writeFileSync(path.join(out, '.simplex-api-codegen-files'), '# x\na.txt\n../precious.txt\n/etc/hostname\n./a.txt\n');
    writeOutput(out, files({ 'a.txt': 'a\n' }));
    expect(fs.readFileSync(path.join(parent, 'precious.txt'), 'utf8')).toBe('keep\n');
  });

  it('reports an output path that is a file as a diagnostic', () => {
    const file = path.join(tempDir(), 'out.txt');
    fs.writeFileSync(file, 'x');
    for (const run of [() => writeOutput(file, files({ 'a.txt': 'a' }), fs, 'out.txt'), () => compareOutput(file, files({}), fs, undefined, 'out.txt')]) {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect((error as DiagnosticsError).diagnostics[0]).toMatchObject({ code: 'OUT001', file: 'out.txt', message: 'output path "out.txt" is not a directory' });
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('creates a missing output directory, and removes it again when writing fails', () => {
    const parent = tempDir();
    const out = path.join(parent, 'deep', 'out');
    const failing: Fs = { ...fs, writeFileSync: (() => { throw new Error('EIO'); }) as typeof fs.writeFileSync };
    expect(() => writeOutput(out, files({ 'x/y.txt': 'y' }), failing)).toThrow(DiagnosticsError);
    expect(fs.existsSync(path.join(parent, 'deep'))).toBe(false);
    writeOutput(out, files({ 'x/y.txt': 'y' }));
    expect(fs.readFileSync(path.join(out, 'x/y.txt'), 'utf8')).toBe('y');
  });

  it('with a memory (watch mode), still notices a file edited by someone else since', () => {
    const out = tempDir();
    const memory = new OutputMemory();
    const v1 = files({ 'a.txt': 'one\n', 'b.txt': 'bee\n' });
    writeOutput(out, v1, fs, out, memory);
    expect(writeOutput(out, v1, fs, out, memory).written).toEqual([]);
    fs.writeFileSync(path.join(out, 'a.txt'), 'edited by hand, and longer\n');
    const r = writeOutput(out, v1, fs, out, memory);
    expect(r.written).toEqual(['a.txt']);
    expect(fs.readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('one\n');
    // A changed text is written without the old one being read again.
    let reads = 0;
    const counting: Fs = { ...fs, readFileSync: ((...args: Parameters<typeof fs.readFileSync>) => (reads++, fs.readFileSync(...args))) as typeof fs.readFileSync };
    writeOutput(out, files({ 'a.txt': 'two\n', 'b.txt': 'bee\n' }), counting, out, memory);
    expect(fs.readFileSync(path.join(out, 'a.txt'), 'utf8')).toBe('two\n');
    expect(reads).toBe(1); // the manifest only
  });

  it('compares without writing', () => {
    const out = tempDir();
    writeOutput(out, files({ 'a.txt': 'a\n' }));
    fs.mkdirSync(path.join(out, '__pycache__'));
    fs.writeFileSync(path.join(out, '__pycache__', 'x.pyc'), '');
    const state = compareOutput(out, files({ 'a.txt': 'b\n', 'c.txt': 'c' }));
    // The manifest lists the files, so it is stale too; __pycache__ is nobody's concern.
    expect(state).toMatchObject({ stale: ['.simplex-api-codegen-files', 'a.txt'], missing: ['c.txt'], unexpected: [], foreign: [] });
  });
});

describe('unifiedDiff', () => {
  it('shows one hunk with context around the change', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8'].join('\n') + '\n';
    const b = a.replace('5', 'five');
    expect(unifiedDiff('f.txt', a, b)).toBe('--- a/f.txt\n+++ b/f.txt\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
  });
  it('shows a new file against /dev/null and caps long diffs', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const d = unifiedDiff('n.txt', undefined, text);
    expect(d.startsWith('--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,100 @@\n+line 0\n')).toBe(true);
    expect(d).toContain('… 60 more lines');
  });
});
