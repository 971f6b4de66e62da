/**
 * What a generated `.gitignore` ignores (pip's build/, *.egg-info/, __pycache__/ beside the Python distribution) is
 * not named as foreign by check and generate, on the full path and from the cache; anything else still is.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitignoreRules, isIgnored } from '../../src/writer/ignored.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli.js';
import { MINIMAL_DIR, tempDir } from '../helpers/fixtures.js';

describe('generated .gitignore rules', () => {
  const rules = gitignoreRules([['python/.gitignore', '# a comment\nbuild/\n*.egg-info/\n__pycache__/\n*.log\n!keep/\nsub/dir/\n']]);

  it('directory patterns at any depth below the .gitignore; name patterns match files too; others ignore nothing', () => {
    expect(isIgnored('python/build/lib/simplex_api/types.py', rules)).toBe(true);
    expect(isIgnored('python/simplex_api.egg-info/PKG-INFO', rules)).toBe(true);
    expect(isIgnored('python/simplex_api/__pycache__/types.cpython-311.pyc', rules)).toBe(true);
    expect(isIgnored('python/x.log', rules)).toBe(true);
    // A file named like a directory pattern, a file outside the .gitignore's directory, patterns not understood.
    expect(isIgnored('python/build', rules)).toBe(false);
    expect(isIgnored('build/lib/x.py', rules)).toBe(false);
    expect(isIgnored('python/keep/x', rules)).toBe(false);
    expect(isIgnored('python/sub/dir/x', rules)).toBe(false);
    expect(isIgnored('python/simplex_api/types.py', rules)).toBe(false);
  });

  it('check and generate leave what building the distribution left unnamed, from the cache and on the full path', async () => {
    const out = path.join(tempDir(), 'out');
    expect((await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out], REPO_ROOT)).code).toBe(0);
    for (const rel of ['python/build/lib/simplex_api/types.py', 'python/simplex_api.egg-info/PKG-INFO', 'python/simplex_api/__pycache__/types.cpython-311.pyc', 'notes.txt']) {
      mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
      writeFileSync(path.join(out, rel), 'x');
    }
    for (const args of [['check'], ['check', '--no-cache'], ['generate'], ['generate', '--no-cache']]) {
      const r = await runCli([...args, '--spec', MINIMAL_DIR, '--out', out], REPO_ROOT);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout + r.stderr, args.join(' ')).toContain('note: 1 file not written by simplex-api-codegen left as it is: notes.txt');
    }
  });
});
