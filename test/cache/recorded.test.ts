/**
 * This machine's cache of full runs: `check` and `generate` answer without parsing only when a full run with the
 * same inputs (and the same installed tree and formatters) is cached and every file it left is unchanged; every
 * other kind of change takes the full path and is reported as it always was. Nothing a commit can edit (the
 * manifest included) is trusted.
 * Runs the real CLI (a child process), so that the answer users see is what is tested.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, generate } from '../../src/api.js';
import type { Target } from '../../src/targets.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { MINIMAL_DIR, snapshotDir, tempDir } from '../helpers/fixtures.js';
import { spawnCli, type ChildRun } from '../helpers/spawnCli.js';

const MANIFEST = '.simplex-api-codegen-files';
/** What the fast answer says; the full path never says it. */
const FROM_RECORD = /as this machine's cache of full runs records: nothing was parsed/;

/**
 * A project: a spec copied from the minimal fixture and an output generated from it. The output is set up in this
 * process, through the API (the same run and record as the CLI's: the API's own test below checks a CLI-made
 * record from the API); what the tests then ask, they ask the CLI.
 */
async function project(extra: { targets?: Target[]; templates?: string } = {}): Promise<{ dir: string; spec: string; out: string; run: (args: string[]) => Promise<ChildRun> }> {
  const dir = tempDir('sac-cache-');
  const spec = path.join(dir, 'spec');
  cpSync(MINIMAL_DIR, spec, { recursive: true });
  const out = path.join(dir, 'generated');
  const run = (args: string[]) => spawnCli([...args, '--spec', spec, '--out', out], { cwd: dir });
  const g = await generate({ spec, out, cwd: dir, ...extra });
  expect(g.ok, JSON.stringify(g.diagnostics)).toBe(true);
  return { dir, spec, out, run };
}

function expectFullPathUpToDate(r: ChildRun): void {
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stderr).toMatch(/is up to date \(58 files\)\n/);
  expect(r.stderr).not.toMatch(FROM_RECORD);
}

describe('the output manifest records the run', () => {
  it("lists every file with its SHA-256 and the inputs' fingerprint, the same bytes from another directory", async () => {
    const a = await project();
    const manifest = readFileSync(path.join(a.out, MANIFEST), 'utf8');
    expect(manifest).toMatch(/^# inputs sha256:[0-9a-f]{64} /m);
    expect(manifest).toMatch(/^docs\/COMMANDS\.md sha256:[0-9a-f]{64}$/m);
    expect(manifest.split('\n').filter((l) => / sha256:/.test(l) && !l.startsWith('#')).length).toBe(57);
    // No absolute path, time or host goes in: another copy of the same spec gives the same manifest.
    const b = await project();
    expect(readFileSync(path.join(b.out, MANIFEST), 'utf8')).toBe(manifest);
  });
});

describe('check and generate with nothing changed', () => {
  it('answer from the record: up to date, nothing parsed, nothing written', async () => {
    const p = await project();
    const before = snapshotDir(p.out);
    const c = await p.run(['check']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stderr).toMatch(/is up to date \(58 files\), as this machine's cache of full runs records: nothing was parsed/);
    const g = await p.run(['generate']);
    expect(g.code, g.stderr).toBe(0);
    expect(g.stderr).toMatch(/0 written, 0 removed, 58 unchanged, as this machine's cache of full runs records: nothing was parsed/);
    expect(snapshotDir(p.out)).toEqual(before);
    const json = await p.run(['check', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ stale: [], missing: [], unchanged: 58, cache: 'hit' });
  });

  it('--no-cache takes the full path', async () => {
    const p = await project();
    expectFullPathUpToDate(await p.run(['check', '--no-cache']));
    const g = await p.run(['generate', '--no-cache']);
    expect(g.stderr).toMatch(/0 written, 0 removed, 58 unchanged\n/);
    expect(g.stderr).not.toMatch(FROM_RECORD);
  });

  it('files the generator never wrote are still named, not a reason to parse', async () => {
    const p = await project();
    writeFileSync(path.join(p.out, 'NOTES.md'), 'mine\n');
    const c = await p.run(['check']);
    expect(c.code).toBe(0);
    expect(c.stderr).toMatch(FROM_RECORD);
    expect(c.stderr).toContain('note: 1 file not written by simplex-api-codegen left as it is: NOTES.md');
  });
});

describe('every kind of change takes the full path and is reported', () => {
  it('a spec byte: the stale files with their diff, then generate writes them', async () => {
    const p = await project();
    const file = path.join(p.spec, 'EVENTS.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('Received message(s).', 'Received messages.'));
    const c = await p.run(['check']);
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('stale: docs/EVENTS.md');
    expect(c.stdout).toContain('+Received messages.');
    const g = await p.run(['generate']);
    expect(g.stderr).toContain('wrote docs/EVENTS.md');
    expect((await p.run(['check'])).stderr).toMatch(FROM_RECORD);
  });

  it('a spec byte that changes no output: up to date on the full path, and a note that generate updates the record', async () => {
    // Without the docs target (which reproduces the documents byte for byte), a blank line more at the end of a
    // document changes no file.
    const targets = ['--targets', 'model,typescript'];
    const p = await project({ targets: ['model', 'typescript'] });
    const file = path.join(p.spec, 'COMMANDS.md');
    writeFileSync(file, readFileSync(file, 'utf8') + '\n');
    const c = await p.run(['check', ...targets]);
    expect(c.code, c.stdout).toBe(0);
    expect(c.stderr).toMatch(/is up to date \(\d+ files\)\n/);
    expect(c.stderr).not.toMatch(FROM_RECORD);
    expect(c.stderr).toContain('note: the manifest in');
    const g = await p.run(['generate', ...targets]);
    expect(g.stderr).toMatch(new RegExp(`1 written, 0 removed, \\d+ unchanged\n  wrote ${MANIFEST.replace(/\./g, '\\.')}\n`));
    expect((await p.run(['check', ...targets])).stderr).toMatch(FROM_RECORD);
  });

  it('a template: the files it renders are stale', async () => {
    const templates = tempDir('sac-cache-tpl-');
    mkdirSync(path.join(templates, 'docs'), { recursive: true });
    const original = readFileSync(path.join(REPO_ROOT, 'templates/docs/EVENTS.md.hbs'), 'utf8');
    writeFileSync(path.join(templates, 'docs/EVENTS.md.hbs'), original);
    const p = await project({ templates });
    expect((await p.run(['check', '--templates', templates])).stderr).toMatch(FROM_RECORD);
    writeFileSync(path.join(templates, 'docs/EVENTS.md.hbs'), 'Events (overridden)\n' + original);
    const c = await p.run(['check', '--templates', templates]);
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('stale: docs/EVENTS.md');
    expect(c.stdout).toContain('+Events (overridden)');
  });

  it('an option: other output is reported file by file', async () => {
    const p = await project();
    const c = await p.run(['check', '--python-dist-version', '1.2.3']);
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('stale: python/pyproject.toml');
    expect(c.stdout).toContain('+version = "1.2.3"');
    // An option that changes nothing in the files still takes the full path (the record names other options).
    expectFullPathUpToDate(await p.run(['check', '--era', 'latest']));
  });

  it('the config file: read into the fingerprint, so any edit takes the full path', async () => {
    const p = await project();
    const config = path.join(p.dir, 'simplex-api-codegen.config.json');
    writeFileSync(config, JSON.stringify({ ignore: [{ code: 'SYN003' }] }));
    const c = await p.run(['check']);
    expectFullPathUpToDate(c);
    expect(c.stderr).toContain('note: the manifest in');
    // generate records the run with its config; the next check answers from the record again.
    const g = await p.run(['generate']);
    expect(g.stderr).toContain(`wrote ${MANIFEST}`);
    expect((await p.run(['check'])).stderr).toMatch(FROM_RECORD);
    writeFileSync(config, JSON.stringify({ modelPositions: true }));
    const stale = await p.run(['check']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('stale: model.json');
  });

  it('an edited output file: stale, with its diff', async () => {
    const p = await project();
    const file = path.join(p.out, 'docs/TYPES.md');
    writeFileSync(file, readFileSync(file, 'utf8') + 'edited by hand\n');
    const c = await p.run(['check']);
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('stale: docs/TYPES.md');
    expect(c.stdout).toContain('-edited by hand');
  });

  it('a deleted output file: missing, and generate writes it again', async () => {
    const p = await project();
    unlinkSync(path.join(p.out, 'snippets.json'));
    const c = await p.run(['check']);
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('missing: snippets.json');
    const g = await p.run(['generate']);
    expect(g.stderr).toContain('wrote snippets.json');
  });

  it('a file replaced by a symbolic link to the same text: the full path refuses the link (OUT003)', async () => {
    const p = await project();
    const file = path.join(p.out, 'model.json');
    const elsewhere = path.join(p.dir, 'model.json');
    cpSync(file, elsewhere);
    unlinkSync(file);
    symlinkSync(elsewhere, file);
    const c = await p.run(['check']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('OUT003');
  });

  it('a hand-edited manifest (a hash or the fingerprint): the full path, up to date, and generate restores the record', async () => {
    const p = await project();
    const manifestFile = path.join(p.out, MANIFEST);
    const manifest = readFileSync(manifestFile, 'utf8');
    writeFileSync(manifestFile, manifest.replace(/^(docs\/EVENTS\.md sha256:)[0-9a-f]{8}/m, '$100000000'));
    expectFullPathUpToDate(await p.run(['check']));
    writeFileSync(manifestFile, manifest.replace(/^# inputs sha256:[0-9a-f]{8}/m, '# inputs sha256:00000000'));
    expectFullPathUpToDate(await p.run(['check']));
    const g = await p.run(['generate']);
    expect(g.stderr).toContain(`wrote ${MANIFEST}`);
    expect(readFileSync(manifestFile, 'utf8')).toBe(manifest);
  });

  it('a leftover of an interrupted run: reported by check, cleaned by generate', async () => {
    const p = await project();
    writeFileSync(path.join(p.out, `model.json.simplex-api-codegen-99999.tmp`), 'half');
    const c = await p.run(['check']);
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('left by an interrupted run');
    const g = await p.run(['generate']);
    expect(g.stderr).toContain('removed 1 leftover file');
  });

  it('a different generator build: the full path, up to date, and generate records the new build', async () => {
    // A copy of the package whose compiled code differs by one comment.
    const pkg = path.join(tempDir('sac-cache-pkg-'), 'simplex-api-codegen');
    for (const part of ['bin', 'dist', 'templates', 'src', 'package.json']) cpSync(path.join(REPO_ROOT, part), path.join(pkg, part), { recursive: true });
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
    const bin = path.join(pkg, 'bin/simplex-api-codegen.js');
    const p = await project();
    // spawnCli runs the repository's bin; this runs the copy's.
    const copied = async (args: string[]): Promise<ChildRun> => {
      const r = spawnSync(process.execPath, [bin, ...args, '--spec', p.spec, '--out', p.out], { cwd: p.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: 0 };
    };
    // The copy is the same build but another installation: its first check is a full run, which it caches.
    expectFullPathUpToDate(await copied(['check']));
    expect((await copied(['check'])).stderr).toMatch(FROM_RECORD);
    writeFileSync(path.join(pkg, 'dist/emit/model.js'), readFileSync(path.join(pkg, 'dist/emit/model.js'), 'utf8') + '\n// another build\n');
    const c = await copied(['check']);
    expectFullPathUpToDate(c);
    expect(c.stderr).toContain('note: the manifest in');
    expect((await copied(['generate'])).stderr).toContain(`wrote ${MANIFEST}`);
    expect((await copied(['check'])).stderr).toMatch(FROM_RECORD);
    // …and the original build no longer does.
    expectFullPathUpToDate(await p.run(['check']));
    rmSync(path.dirname(pkg), { recursive: true, force: true });
  });
});

describe('check is a gate no commit can forge', () => {
  const hashOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

  it('an edited file with its new hash in the manifest, or a deleted file with its manifest line: check fails', async () => {
    const p = await project();
    const manifestFile = path.join(p.out, MANIFEST);
    const manifest = readFileSync(manifestFile, 'utf8');
    const client = path.join(p.out, 'typescript/client.ts');
    writeFileSync(client, readFileSync(client, 'utf8') + 'export const injected = 1;\n');
    writeFileSync(manifestFile, manifest.replace(/^(typescript\/client\.ts sha256:)[0-9a-f]{64}$/m, `$1${hashOf(client)}`));
    const edited = await p.run(['check']);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toMatch(/^stale: typescript\/client\.ts$/m);
    expect((await p.run(['generate'])).code).toBe(0);
    unlinkSync(path.join(p.out, 'typescript/parse.ts'));
    writeFileSync(manifestFile, readFileSync(manifestFile, 'utf8').replace(/^typescript\/parse\.ts sha256:[0-9a-f]{64}\n/m, ''));
    const deleted = await p.run(['check']);
    expect(deleted.code).toBe(1);
    expect(deleted.stdout).toMatch(/^missing: typescript\/parse\.ts$/m);
  });

  it('a changed installed dependency tree takes the full path', async () => {
    // A copy of the package with a node_modules of its own: links to every installed package, and npm's record
    // of the tree (node_modules/.package-lock.json) copied, so that it can change as a reinstall would change it.
    const pkg = path.join(tempDir('sac-cache-deps-'), 'simplex-api-codegen');
    for (const part of ['bin', 'dist', 'templates', 'src', 'package.json', 'package-lock.json']) cpSync(path.join(REPO_ROOT, part), path.join(pkg, part), { recursive: true });
    mkdirSync(path.join(pkg, 'node_modules'));
    for (const name of readdirSync(path.join(REPO_ROOT, 'node_modules')))
      if (name !== '.package-lock.json' && name !== '.cache') symlinkSync(path.join(REPO_ROOT, 'node_modules', name), path.join(pkg, 'node_modules', name));
    const tree = path.join(pkg, 'node_modules/.package-lock.json');
    cpSync(path.join(REPO_ROOT, 'node_modules/.package-lock.json'), tree);
    const p = await project();
    const copied = (args: string[]): ChildRun => {
      const r = spawnSync(process.execPath, [path.join(pkg, 'bin/simplex-api-codegen.js'), ...args, '--spec', p.spec, '--out', p.out], { cwd: p.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: 0 };
    };
    // The same tree as the installation that generated: the cache answers.
    expect(copied(['check']).stderr).toMatch(FROM_RECORD);
    const text = readFileSync(tree, 'utf8');
    expect(text).toMatch(/"node_modules\/mdast-util-from-markdown": \{\n\s+"version": "/);
    writeFileSync(tree, text.replace(/("node_modules\/mdast-util-from-markdown": \{\n\s+"version": ")[^"]+/, '$19.9.9'));
    expectFullPathUpToDate(copied(['check']));
    rmSync(path.dirname(pkg), { recursive: true, force: true });
  });

  it('a changed formatter script or formatter configuration file: check fails', async () => {
    const dir = tempDir('sac-cache-fmt-');
    const script = path.join(dir, 'fmt.mjs');
    // A formatter that appends a line to each file, read from its configuration file (.prettierrc).
    const writeScript = (extra: string) =>
      writeFileSync(script, `import { appendFileSync, readFileSync } from 'node:fs';\nconst note = readFileSync(${JSON.stringify(path.join(dir, '.prettierrc'))}, 'utf8').trim();\nfor (const f of process.argv.slice(2)) appendFileSync(f, '// ' + note + ${JSON.stringify(extra)} + '\\n');\n`);
    writeScript('');
    writeFileSync(path.join(dir, '.prettierrc'), 'formatted\n');
    writeFileSync(path.join(dir, 'simplex-api-codegen.config.json'), JSON.stringify({ spec: MINIMAL_DIR, out: 'generated', targets: ['typescript'], format: { typescript: ['node', 'fmt.mjs'] } }));
    const cli = (args: string[]) => spawnCli(args, { cwd: dir });
    expect((await cli(['generate'])).code).toBe(0);
    expect((await cli(['check'])).stderr).toMatch(FROM_RECORD);
    writeScript(' again');
    const script2 = await cli(['check']);
    expect(script2.code).toBe(1);
    expect(script2.stdout).toMatch(/^stale: typescript\/commands\.ts$/m);
    writeScript('');
    expect((await cli(['check'])).code).toBe(0);
    writeFileSync(path.join(dir, '.prettierrc'), 'reformatted\n');
    const config = await cli(['check']);
    expect(config.code).toBe(1);
    expect(config.stdout).toMatch(/^stale: typescript\/commands\.ts$/m);
  });

  it('with no cache entry (a fresh machine), check takes the full path', async () => {
    const p = await project();
    const cacheDir = tempDir('sac-cache-empty-');
    expectFullPathUpToDate(await p.run(['check', '--cache-dir', cacheDir]));
    expect((await p.run(['check', '--cache-dir', cacheDir])).stderr).toMatch(FROM_RECORD);
  });
});

describe('the API', () => {
  it('says whether the record answered, and why not', async () => {
    const p = await project();
    const options = { spec: p.spec, out: p.out, cwd: p.dir };
    const hit = await check(options);
    expect(hit).toMatchObject({ ok: true, upToDate: true, cache: { hit: true } });
    const noCache = await check({ ...options, cache: false });
    expect(noCache).toMatchObject({ ok: true, upToDate: true, cache: { hit: false, reason: expect.stringContaining('--no-cache') } });
    const other = await check({ ...options, pythonDistVersion: '2.0' });
    expect(other).toMatchObject({ ok: true, upToDate: false, stale: ['python/pyproject.toml'], cache: { hit: false, reason: expect.stringContaining('no full run with these inputs is cached') } });
    const g = await generate({ ...options, pythonDistVersion: '2.0' });
    expect(g).toMatchObject({ ok: true, written: [MANIFEST, 'python/pyproject.toml'], cache: { hit: false } });
    expect(await generate({ ...options, pythonDistVersion: '2.0' })).toMatchObject({ ok: true, written: [], unchanged: 58, cache: { hit: true } });
  });
});
