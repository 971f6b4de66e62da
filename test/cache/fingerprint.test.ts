/** The inputs fingerprint: the same for the same inputs wherever they are, different when anything the output depends on differs. */
import { appendFileSync, chmodSync, cpSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheKeyOf, EXECUTABLE_BYTES_HASHED, generatorFingerprint, inputsFingerprint, type FingerprintSource } from '../../src/cache/fingerprint.js';
import { DEFAULT_OPTIONS } from '../../src/options.js';
import { MINIMAL_DIR, tempDir } from '../helpers/fixtures.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { runChild } from '../helpers/child.js';

function specCopy(): string {
  const dir = path.join(tempDir('sac-fp-'), 'spec');
  cpSync(MINIMAL_DIR, dir, { recursive: true });
  return dir;
}

const base = (spec: string): FingerprintSource => ({ ...DEFAULT_OPTIONS, spec, formatters: [] });

describe('inputsFingerprint', () => {
  it('is the same for the same bytes in another directory, and a SHA-256', () => {
    const a = inputsFingerprint(base(specCopy()));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(inputsFingerprint(base(specCopy()))).toBe(a);
  });

  it('changes with a byte of any document, and with a document added or removed', () => {
    const spec = specCopy();
    const seen = new Set([inputsFingerprint(base(spec))]);
    writeFileSync(path.join(spec, 'TYPES.md'), 'x', { flag: 'a' });
    seen.add(inputsFingerprint(base(spec)));
    rmSync(path.join(spec, 'EVENTS.md'));
    seen.add(inputsFingerprint(base(spec)));
    expect(seen.size).toBe(3);
    expect([...seen].every((f) => f !== undefined)).toBe(true);
  });

  it('changes with every option that shapes the output, the formatters and the config text', () => {
    const spec = specCopy();
    const variants: FingerprintSource[] = [
      base(spec),
      { ...base(spec), targets: ['docs'] },
      { ...base(spec), era: 'seed' },
      { ...base(spec), pythonPackage: 'other' },
      { ...base(spec), pythonDistName: 'other-dist' },
      { ...base(spec), pythonDistVersion: '1.0' },
      { ...base(spec), modelPositions: true },
      { ...base(spec), gitattributes: true },
      { ...base(spec), formatters: [{ target: 'python', argv: ['black', '-q'] }] },
      { ...base(spec), configText: '{}' },
    ];
    const prints = variants.map((v) => inputsFingerprint(v));
    expect(new Set(prints).size).toBe(variants.length);
    // The order in which targets are named does not shape the output.
    expect(inputsFingerprint({ ...base(spec), targets: ['python', 'docs'] })).toBe(
      inputsFingerprint({ ...base(spec), targets: ['docs', 'python'] }),
    );
  });

  it('reads the override templates by content, not by where they are', () => {
    const spec = specCopy();
    const templates = (text: string) => {
      const dir = tempDir('sac-fp-tpl-');
      mkdirSync(path.join(dir, 'docs'));
      writeFileSync(path.join(dir, 'docs/EVENTS.md.hbs'), text);
      return dir;
    };
    const withTemplates = (dir: string) => inputsFingerprint({ ...base(spec), templatesDir: dir });
    expect(withTemplates(templates('a'))).toBe(withTemplates(templates('a')));
    expect(withTemplates(templates('a'))).not.toBe(withTemplates(templates('b')));
    expect(withTemplates(templates('a'))).not.toBe(inputsFingerprint(base(spec)));
  });

  it('is undefined when an input cannot be read as it stands (the full run reports it)', () => {
    const spec = specCopy();
    rmSync(path.join(spec, 'COMMANDS.md'));
    expect(inputsFingerprint(base(spec))).toBeUndefined();
    expect(inputsFingerprint({ ...base(specCopy()), templatesDir: '/nonexistent/templates' })).toBeUndefined();
  });
});

describe('generatorFingerprint', () => {
  it('is a SHA-256, the same every time in one process', () => {
    expect(generatorFingerprint()).toMatch(/^[0-9a-f]{64}$/);
    expect(generatorFingerprint()).toBe(generatorFingerprint());
  });
});

describe('the build stamp', () => {
  it('gives the digest of the trees as hashed while every file is as built; any edit, even one put back, or a new file, and they are hashed again', async () => {
    // A copy of the package, so that its files can be changed; each process reads its build as a CLI run would.
    const pkg = path.join(tempDir('sac-stamp-'), 'simplex-api-codegen');
    for (const part of ['dist', 'templates', 'src', 'package.json']) cpSync(path.join(REPO_ROOT, part), path.join(pkg, part), { recursive: true });
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
    const fingerprintModule = path.join(pkg, 'dist/cache/fingerprint.js');
    const read = async (stamp = false): Promise<{ hashed: string; stamped?: string; fingerprint: string }> => {
      const script = `const m = await import(${JSON.stringify(fingerprintModule)}); ${stamp ? 'm.writeBuildStamp();' : ''} console.log(JSON.stringify({ ...m.treesDigests(), fingerprint: m.generatorFingerprint() }));`;
      const r = await runChild(process.execPath, ['--input-type=module', '-e', script]);
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as { hashed: string; stamped?: string; fingerprint: string };
    };
    // A copy has other inodes than the build it came from: its stamp is not taken.
    const copied = await read();
    expect(copied.stamped).toBeUndefined();
    const built = await read(true);
    expect(built).toEqual({ ...copied, stamped: copied.hashed });
    expect(await read()).toEqual(built);
    // An edit: the stamp is not taken, and the build is another.
    const source = path.join(pkg, 'src/cache/store.ts');
    const text = readFileSync(source);
    appendFileSync(source, '// another build\n');
    const edited = await read();
    expect(edited.stamped).toBeUndefined();
    expect(edited.hashed).not.toBe(built.hashed);
    expect(edited.fingerprint).not.toBe(built.fingerprint);
    // The same bytes written back: hashed again, to the built digest.
    writeFileSync(source, text);
    expect(await read()).toEqual({ hashed: built.hashed, fingerprint: built.fingerprint });
    // A new file in a tree, after a new stamp: hashed again, and counted.
    expect((await read(true)).stamped).toBe(built.hashed);
    mkdirSync(path.join(pkg, 'templates/extra'));
    writeFileSync(path.join(pkg, 'templates/extra/more.md.hbs'), 'more\n');
    const added = await read();
    expect(added.stamped).toBeUndefined();
    expect(added.fingerprint).not.toBe(built.fingerprint);
    // A stamp that is not one (truncated, of another format, listing none of the trees): hashed.
    const stampFile = path.join(pkg, 'dist/generator-trees.json');
    for (const bad of ['{"format":2,"paths":["dist"', '{"format":1,"files":"[]","digest":"x"}', '{"format":2,"paths":[],"identities":"[]","digest":"x"}']) {
      writeFileSync(stampFile, bad);
      expect((await read()).stamped, bad).toBeUndefined();
    }
  });
});

describe('cacheKeyOf', () => {
  it("knows a formatter's executable by its bytes, or a large one by its size, inode and times: replaced or edited, the key changes", () => {
    const dir = tempDir('sac-fp-exe-');
    const spec = specCopy();
    const key = (exe: string) => cacheKeyOf('f', { ...base(spec), cwd: dir, out: path.join(dir, 'out'), formatters: [{ target: 'typescript', argv: [exe, '--write'] }] });
    const put = (file: string, bytes: Buffer) => {
      writeFileSync(`${file}.new`, bytes);
      chmodSync(`${file}.new`, 0o755);
      renameSync(`${file}.new`, file); // as an upgrade installs: a new file in its place
    };
    for (const size of [64, EXECUTABLE_BYTES_HASHED + 1]) {
      const exe = path.join(dir, `fmt-${size}`);
      put(exe, Buffer.alloc(size, 1));
      const first = key(exe);
      expect(key(exe), `${size} bytes, untouched`).toBe(first);
      // The same size, one byte other, and the times set back: a small file's bytes tell; a large one's inode does.
      const mtime = new Date(2020, 0, 1);
      utimesSync(exe, mtime, mtime);
      const dated = key(exe);
      const other = Buffer.alloc(size, 1);
      other[0] = 2;
      put(exe, other);
      utimesSync(exe, mtime, mtime);
      expect(key(exe), `${size} bytes, replaced`).not.toBe(dated);
      // Written in place: a small file's bytes, a large one's change time.
      appendFileSync(exe, 'x');
      expect(key(exe), `${size} bytes, appended to`).not.toBe(dated);
    }
  });
});
