import * as fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiagnosticsError } from '../../src/diagnostics/diagnostic.js';
import { unifiedDiff } from '../../src/writer/diff.js';
import { compareOutput, withManifest, writeOutput, type Fs } from '../../src/writer/output.js';
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

  it('creates a missing output directory, and removes it again when writing fails', () => {
    const parent = tempDir();
    const out = path.join(parent, 'deep', 'out');
    const failing: Fs = { ...fs, writeFileSync: (() => { throw new Error('EIO'); }) as typeof fs.writeFileSync };
    expect(() => writeOutput(out, files({ 'x/y.txt': 'y' }), failing)).toThrow(DiagnosticsError);
    expect(fs.existsSync(path.join(parent, 'deep'))).toBe(false);
    writeOutput(out, files({ 'x/y.txt': 'y' }));
    expect(fs.readFileSync(path.join(out, 'x/y.txt'), 'utf8')).toBe('y');
  });

  it('compares without writing', () => {
    const out = tempDir();
    writeOutput(out, files({ 'a.txt': 'a\n' }));
    fs.mkdirSync(path.join(out, '__pycache__'));
    fs.writeFileSync(path.join(out, '__pycache__', 'x.pyc'), '');
    const state = compareOutput(out, files({ 'a.txt': 'b\n', 'c.txt': 'c' }));
    // The manifest lists the files, so it is stale too; __pycache__ is nobody's concern.
    expect(state).toMatchObject({ stale: ['.simplex-api-codegen-files', 'a.txt'], missing: ['c.txt'], unexpected: [] });
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
