/**
 * Built models kept by their documents: what comes from an entry is exactly what a build gives (the model
 * round-trips through JSON), any changed input is a miss, a broken entry is rebuilt, builds with errors are not
 * kept, the directory stays bounded, and the mock chat core answers the same from an entry as from a parse.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { changes, generate, lint } from '../../src/api.js';
import { buildModelCached, buildModelFromDirCached, MODEL_BYTES_KEPT, MODEL_ENTRIES_KEPT, modelCacheDirOf } from '../../src/cache/models.js';
import { createMockCore } from '../../src/mock/inProcess.js';
import { buildModel } from '../../src/pipeline.js';
import { runChild } from '../helpers/child.js';
import { spawnCli } from '../helpers/spawnCli.js';
import { corpusPresent, ERA_NAMES, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { MINIMAL_DIR, minimalInput, tempDir, writeSpec } from '../helpers/fixtures.js';
import { eraSweep } from '../helpers/tier.js';

const entries = (cacheDir: string) => (existsSync(modelCacheDirOf(cacheDir)) ? readdirSync(modelCacheDirOf(cacheDir)).sort() : []);

describe('the cache of built models', () => {
  for (const era of eraSweep(ERA_NAMES))
    it.runIf(corpusPresent)(`${era} era: the built spec survives JSON exactly (what an entry holds is what a build gives)`, () => {
      const built = buildModel(eraInput(era));
      expect(isDeepStrictEqual(JSON.parse(JSON.stringify(built)), built)).toBe(true);
    });

  it('the first build writes an entry; the next reads it (a mark put into the entry comes back) and equals a fresh build', () => {
    const cacheDir = tempDir('sac-models-');
    const input = minimalInput();
    const first = buildModelCached(input, cacheDir);
    expect(first).toStrictEqual(buildModel(input));
    const [name] = entries(cacheDir);
    expect(name).toMatch(/^[0-9a-f]{64}\.json$/);
    expect(buildModelCached(input, cacheDir)).toStrictEqual(first);

    const file = path.join(modelCacheDirOf(cacheDir), name!);
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { spec: { model: { commands: { name: string }[] } } };
    entry.spec.model.commands[0]!.name = 'MarkedInTheEntry';
    writeFileSync(file, JSON.stringify(entry));
    expect(buildModelCached(input, cacheDir).model.commands[0]!.name).toBe('MarkedInTheEntry');
  });

  it('a changed byte or another display path is another entry', () => {
    const cacheDir = tempDir('sac-models-');
    buildModelCached(minimalInput(), cacheDir);
    const edited = minimalInput({ TYPES: (t) => t.replace('.', '!') });
    expect(buildModelCached(edited, cacheDir)).toStrictEqual(buildModel(edited));
    const shown = minimalInput();
    shown.files.COMMANDS = 'elsewhere/COMMANDS.md';
    expect(buildModelCached(shown, cacheDir)).toStrictEqual(buildModel(shown));
    expect(entries(cacheDir)).toHaveLength(3);
  });

  it('a half-written or foreign entry is a miss: built again and written again', () => {
    const cacheDir = tempDir('sac-models-');
    const input = minimalInput();
    buildModelCached(input, cacheDir);
    const file = path.join(modelCacheDirOf(cacheDir), entries(cacheDir)[0]!);
    const whole = readFileSync(file, 'utf8');
    for (const broken of [whole.slice(0, whole.length >> 1), '{"version":"something else","spec":{}}', '[]']) {
      writeFileSync(file, broken);
      expect(buildModelCached(input, cacheDir)).toStrictEqual(buildModel(input));
      expect(readFileSync(file, 'utf8')).toBe(whole);
    }
  });

  it('an entry, or a directory, that another user could have written is not read (an entry becomes generated code)', () => {
    const cacheDir = tempDir('sac-models-');
    const input = minimalInput();
    buildModelCached(input, cacheDir);
    const file = path.join(modelCacheDirOf(cacheDir), entries(cacheDir)[0]!);
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { spec: { model: { commands: { name: string }[] } } };
    entry.spec.model.commands[0]!.name = 'Planted';
    // A refused entry is built again and replaced (where the directory is ours): each case plants it anew.
    const plant = () => {
      rmSync(file, { force: true });
      writeFileSync(file, JSON.stringify(entry), { mode: 0o644 });
    };
    const readsPlanted = () => buildModelCached(input, cacheDir).model.commands[0]!.name === 'Planted';
    plant();
    expect(readsPlanted()).toBe(true);
    plant();
    chmodSync(file, 0o666);
    expect(readsPlanted()).toBe(false);
    for (const dir of [modelCacheDirOf(cacheDir), cacheDir]) {
      plant();
      chmodSync(dir, 0o777);
      expect(readsPlanted(), dir).toBe(false);
      chmodSync(dir, 0o755);
      expect(readsPlanted(), dir).toBe(true);
    }
    if (process.getuid?.() === 0) {
      plant();
      chownSync(file, 65534, 65534);
      expect(readsPlanted()).toBe(false);
    }
  });

  it('a build with errors is not kept; reading problems are found afresh each time', () => {
    const cacheDir = tempDir('sac-models-');
    const bad = minimalInput({ COMMANDS: (t) => t.replace(/^# .*/, '# Something else') });
    expect(buildModelCached(bad, cacheDir).diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(entries(cacheDir)).toEqual([]);

    const missing = path.join(tempDir('sac-models-'), 'nowhere');
    expect(buildModelFromDirCached(missing, cacheDir).diagnostics.map((d) => d.code)).toEqual(['SPEC001']);
    expect(buildModelFromDirCached(MINIMAL_DIR, cacheDir, 'spec').diagnostics).toEqual(buildModelFromDirCached(MINIMAL_DIR, cacheDir, 'spec').diagnostics);
  });

  it(`keeps the ${MODEL_ENTRIES_KEPT} newest entries`, () => {
    const cacheDir = tempDir('sac-models-');
    const written: string[] = [];
    for (let i = 0; i < MODEL_ENTRIES_KEPT + 3; i++) {
      buildModelCached(minimalInput({ TYPES: (t) => t.replace('.', '.' + ' '.repeat(i + 1)) }), cacheDir);
      const name = entries(cacheDir).find((n) => !written.includes(n))!;
      written.push(name);
      // Each older by a second than the next, whatever the file system's time resolution.
      const file = path.join(modelCacheDirOf(cacheDir), name);
      if (existsSync(file)) utimesSync(file, 1_000_000 + i, 1_000_000 + i);
    }
    expect(entries(cacheDir)).toEqual(written.slice(-MODEL_ENTRIES_KEPT).sort());
  });
});

describe('the cache of built models, bounded in bytes', () => {
  it(`keeps entries up to ${MODEL_BYTES_KEPT / 1024 / 1024} MiB together, the newest whatever its size`, () => {
    const cacheDir = tempDir('sac-models-');
    const dir = modelCacheDirOf(cacheDir);
    mkdirSync(dir, { recursive: true });
    // Two older entries of 0.6 of the bound each, as sparse files (nothing is written to disk).
    const older = ['a'.repeat(64), 'b'.repeat(64)].map((k, i) => {
      const file = path.join(dir, `${k}.json`);
      writeFileSync(file, '');
      truncateSync(file, Math.round(MODEL_BYTES_KEPT * 0.6));
      utimesSync(file, 1_000_000 + i, 1_000_000 + i);
      return file;
    });
    buildModelCached(minimalInput(), cacheDir);
    // The new one and the younger big one fit; the older big one does not.
    expect([existsSync(older[1]!), existsSync(older[0]!)]).toEqual([true, false]);
    expect(entries(cacheDir)).toHaveLength(2);
  });
});

describe('generate reads the model from the cache on its full path', () => {
  it('a run in another output directory takes the model of the same documents from the entry; cache: false parses', async () => {
    const cacheDir = tempDir('sac-models-');
    const dir = tempDir('sac-models-');
    const first = await generate({ spec: MINIMAL_DIR, out: path.join(dir, 'a'), targets: ['model'], cacheDir });
    expect(first.ok).toBe(true);
    const file = path.join(modelCacheDirOf(cacheDir), entries(cacheDir)[0]!);
    const entry = JSON.parse(readFileSync(file, 'utf8')) as { spec: { model: { commands: { name: string }[] } } };
    entry.spec.model.commands[0]!.name = 'MarkedInTheEntry';
    writeFileSync(file, JSON.stringify(entry));
    const modelJson = (out: string) => readFileSync(path.join(dir, out, 'model.json'), 'utf8');
    expect((await generate({ spec: MINIMAL_DIR, out: path.join(dir, 'b'), targets: ['model'], cacheDir })).ok).toBe(true);
    expect(modelJson('b')).toContain('"MarkedInTheEntry"');
    expect((await generate({ spec: MINIMAL_DIR, out: path.join(dir, 'c'), targets: ['model'], cacheDir, cache: false })).ok).toBe(true);
    expect(modelJson('c')).toBe(modelJson('a'));
    expect(modelJson('a')).not.toContain('MarkedInTheEntry');
  });
});

describe('earlier versions of a configured history come from the cache', () => {
  it('each version is kept once; a later run reads the older version from its entry (a mark put there shows in since)', async () => {
    const cacheDir = tempDir('sac-models-');
    const dir = tempDir('sac-models-');
    const older = minimalInput();
    const newer = minimalInput({ COMMANDS: (t) => t });
    writeSpec(path.join(dir, 'v1'), older.texts);
    writeSpec(path.join(dir, 'spec'), newer.texts);
    writeFileSync(path.join(dir, 'simplex-api-codegen.config.json'), JSON.stringify({ history: [{ label: 'v1', spec: 'v1' }, { label: 'v2' }] }));
    // Processes of their own: a process keeps the versions it built in memory too.
    const run = async (out: string, cache = true) => {
      const r = await spawnCli(['generate', '--spec', 'spec', '--out', out, '--targets', 'model', '--cache-dir', cacheDir, ...(cache ? [] : ['--no-cache'])], { cwd: dir });
      return { ok: r.code === 0 };
    };
    expect((await run('a')).ok).toBe(true);
    const sinceOf = (out: string) => (JSON.parse(readFileSync(path.join(dir, out, 'model.json'), 'utf8')) as { commands: { name: string; since?: string }[] }).commands;
    expect(sinceOf('a').every((c) => c.since === 'v1')).toBe(true);
    // The older version's entry: the one whose first command is not in the spec's entry under another key.
    const olderEntry = entries(cacheDir).map((n) => path.join(modelCacheDirOf(cacheDir), n)).find((f) => readFileSync(f, 'utf8').includes('v1/COMMANDS.md'))!;
    const entry = JSON.parse(readFileSync(olderEntry, 'utf8')) as { spec: { model: { commands: { name: string }[] } } };
    const renamed = entry.spec.model.commands[0]!.name;
    entry.spec.model.commands[0]!.name = 'NotInV1';
    writeFileSync(olderEntry, JSON.stringify(entry));
    expect((await run('b')).ok).toBe(true);
    expect(sinceOf('b').find((c) => c.name === renamed)!.since).toBe('v2');
    expect((await run('c', false)).ok).toBe(true);
    expect(sinceOf('c')).toEqual(sinceOf('a'));
  });
});

describe('lint and changes read the model from the cache', () => {
  const planted = (cacheDir: string, edit: (spec: { model: { commands: { name: string }[] }; diagnostics: object[] }) => void) => {
    for (const name of entries(cacheDir)) {
      const file = path.join(modelCacheDirOf(cacheDir), name);
      const entry = JSON.parse(readFileSync(file, 'utf8')) as { spec: Parameters<typeof edit>[0] };
      edit(entry.spec);
      writeFileSync(file, JSON.stringify(entry));
    }
  };

  it('lint: cache false parses and keeps nothing; otherwise the entry is read (a diagnostic planted there is reported)', () => {
    const cacheDir = tempDir('sac-models-');
    const parsed = lint({ spec: MINIMAL_DIR, cacheDir, cache: false });
    expect(entries(cacheDir)).toEqual([]);
    expect(lint({ spec: MINIMAL_DIR, cacheDir })).toEqual(parsed);
    expect(entries(cacheDir)).toHaveLength(1);
    planted(cacheDir, (spec) => spec.diagnostics.push({ code: 'SYN003', severity: 'warning', file: 'x', line: 1, column: 1, message: 'Planted' }));
    expect(lint({ spec: MINIMAL_DIR, cacheDir }).diagnostics.map((d) => d.message)).toContain('Planted');
    expect(lint({ spec: MINIMAL_DIR, cacheDir, cache: false })).toEqual(parsed);
  });

  it('changes: both sides are kept and read (a command renamed in the entries shows as removed and added)', () => {
    const cacheDir = tempDir('sac-models-');
    const dir = tempDir('sac-models-');
    writeSpec(path.join(dir, 'old'), minimalInput().texts);
    writeSpec(path.join(dir, 'new'), minimalInput({ TYPES: (t) => t.replace('.', '!') }).texts);
    const parsed = changes('old', 'new', { cwd: dir, cacheDir, cache: false });
    expect(parsed.ok).toBe(true);
    expect(entries(cacheDir)).toEqual([]);
    expect(changes('old', 'new', { cwd: dir, cacheDir })).toEqual(parsed);
    expect(entries(cacheDir)).toHaveLength(2);
    planted(cacheDir, (spec) => {
      if (JSON.stringify(spec).includes('old/COMMANDS.md')) spec.model.commands[0]!.name = 'Planted';
    });
    expect(JSON.stringify(changes('old', 'new', { cwd: dir, cacheDir }).changes)).toContain('Planted');
    expect(changes('old', 'new', { cwd: dir, cacheDir, cache: false })).toEqual(parsed);
  });
});

describe('the mock chat core reads the model from the cache', () => {
  it('createMockCore({ spec }) keeps the model it built; cache: false parses and keeps nothing', async () => {
    const cacheDir = tempDir('sac-models-');
    await createMockCore({ spec: MINIMAL_DIR, cacheDir, cache: false });
    expect(entries(cacheDir)).toEqual([]);
    const first = await createMockCore({ spec: MINIMAL_DIR, cacheDir });
    expect(entries(cacheDir)).toHaveLength(1);
    const again = await createMockCore({ spec: MINIMAL_DIR, cacheDir });
    const frame = JSON.stringify({ corrId: '1', cmd: '/user' });
    expect(again.answer(frame)).toEqual(first.answer(frame));
  });

  const frames = ['{"corrId":"1","cmd":"/users"}', '{"corrId":"2","cmd":"/_get chats 1 count=20 {\\"type\\":\\"filters\\",\\"favorite\\":false,\\"unread\\":false}"}', '{"corrId":"3","cmd":"/_address 1"}'].join('\n') + '\n';
  const mock = (args: string[]) =>
    runChild(process.execPath, [path.join(REPO_ROOT, 'bin/simplex-api-codegen.js'), 'mock', '--stdio', '--spec', path.join(REPO_ROOT, 'spec'), ...args], { input: frames });

  it('mock --stdio: the same answers from a parse (--no-cache, which writes no entry) and from an entry', async () => {
    const cacheDir = tempDir('sac-models-');
    const parsed = await mock(['--no-cache', '--cache-dir', cacheDir]);
    expect(parsed.status, parsed.stderr).toBe(0);
    expect(parsed.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(entries(cacheDir)).toEqual([]);
    const writing = await mock(['--cache-dir', cacheDir]);
    expect(entries(cacheDir)).toHaveLength(1);
    const reading = await mock(['--cache-dir', cacheDir]);
    expect([writing.stdout, reading.stdout]).toEqual([parsed.stdout, parsed.stdout]);
    expect([writing.stderr, reading.stderr]).toEqual([parsed.stderr, parsed.stderr]);
  });
});
