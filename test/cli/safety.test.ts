/**
 * The CLI as a real process under an attacker and an unlucky CI: signals, concurrent runs, runs killed at every
 * rename, hostile paths and options. Renames are slowed or killed by test/helpers/fsHooks.mjs.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST } from '../../src/writer/manifest.js';
import { LOCK_FILE } from '../../src/writer/lock.js';
import { REPO_ROOT, CORPUS_DIR, corpusPresent, CORPUS_MISSING } from '../helpers/corpus.js';
import { MINIMAL_DIR, minimalTexts, snapshotDir, tempDir, writeSpec } from '../helpers/fixtures.js';
import { spawnCli } from '../helpers/spawnCli.js';
import { runCli } from '../helpers/cli.js';
import { sweep } from '../helpers/tier.js';

/** Two specs whose outputs differ in several files, and the output of each. */
const specs = () => {
  const root = tempDir('sac-safety-');
  const a = MINIMAL_DIR;
  const b = writeSpec(path.join(root, 'b'), {
    ...minimalTexts(),
    COMMANDS: minimalTexts().COMMANDS.replace('Send messages.', 'Send messages, version B.'),
    EVENTS: minimalTexts().EVENTS.replace('Received message(s).', 'Received message(s), version B.'),
  });
  return { root, a, b };
};

const expectNoLeftovers = (out: string) => {
  for (const f of Object.keys(snapshotDir(out))) expect(f).not.toMatch(/simplex-api-codegen-\d+\.(tmp|bak)$|simplex-api-codegen-journal|\.lock$/);
};

/** A synthetic spec 16 times the latest era (2 MB): several seconds of parsing, made once. */
let bigSpec: string | undefined;
async function synthetic16x(): Promise<string> {
  if (!corpusPresent) throw new Error(CORPUS_MISSING);
  if (bigSpec) return bigSpec;
  const { writeSynthetic } = await import('../bench/synthetic.mjs');
  const docs = {
    COMMANDS: readFileSync(path.join(CORPUS_DIR, 'simplex-chat__simplex-chat@03c8bf5add/COMMANDS.md'), 'utf8'),
    TYPES: readFileSync(path.join(CORPUS_DIR, 'simplex-chat__simplex-chat@03c8bf5add/TYPES.md'), 'utf8'),
    EVENTS: readFileSync(path.join(CORPUS_DIR, 'simplex-chat__simplex-chat@088a33e09c/EVENTS.md'), 'utf8'),
  };
  bigSpec = path.join(tempDir(), 'spec');
  writeSynthetic(bigSpec, docs, 16);
  return bigSpec;
}

/** Sends `signal` 100 ms after the run opens the last document: well inside the parse of the big spec. */
const SIGNAL_AFTER_READ_MS = 100;
const signalInParse = (signal: NodeJS.Signals) => {
  let signalled = 0;
  return {
    hooks: { SAC_MARK_OPEN: 'EVENTS.md' },
    onSpawn: (child: import('node:child_process').ChildProcess) =>
      child.stderr?.on('data', (d: Buffer) => {
        if (signalled || !String(d).includes('sac-hook: opened EVENTS.md')) return;
        signalled = performance.now() + SIGNAL_AFTER_READ_MS;
        setTimeout(() => child.kill(signal), SIGNAL_AFTER_READ_MS);
      }),
    signalledAt: () => signalled,
  };
};

describe('signals', () => {
  for (const [command, signal] of [['generate', 'SIGTERM'], ['check', 'SIGINT'], ['lint', 'SIGINT'], ['lint', 'SIGTERM']] as const)
    it(`${signal} while ${command} parses the spec ends the run at once, before anything is written`, async () => {
      const spec = await synthetic16x();
      const out = path.join(tempDir(), 'out');
      const started = performance.now();
      const inParse = signalInParse(signal);
      const r = await spawnCli([command, '--spec', spec, ...(command === 'lint' ? [] : ['--out', out])], inParse);
      expect(inParse.signalledAt(), 'the run opened EVENTS.md').toBeGreaterThan(0);
      console.log(`${signal} during ${command}: ended ${Math.round(started + r.ms - inParse.signalledAt())} ms after the signal (a full run takes several seconds)`);
      // Killed by the signal itself (the default disposition): nothing swallows it any more.
      expect(r.signal, `${r.code} ${r.stderr}`).toBe(signal);
      expect(r.stderr).not.toContain('written');
      expect(existsSync(out)).toBe(false);
    });

  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    it(`${signal} during the write undoes it and exits ${signal === 'SIGINT' ? 130 : 143}`, async () => {
      const { root, a, b } = specs();
      const out = path.join(root, 'out');
      expect((await runCli(['generate', '--spec', a, '--out', out], REPO_ROOT)).code).toBe(0);
      const before = snapshotDir(out);
      // The signal arrives in the middle of the swap (the third rename), while renames are slow.
      const r = await spawnCli(['generate', '--spec', b, '--out', out], { hooks: { SAC_SIGNAL_AT_RENAME: `3:${signal}`, SAC_RENAME_DELAY_MS: '20' } });
      expect(r.code, r.stderr).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(r.stderr).toContain('interrupted: ');
      expect(snapshotDir(out)).toEqual(before);
      expectNoLeftovers(out);
      expect((await runCli(['check', '--spec', a, '--out', out], REPO_ROOT)).code).toBe(0);
    });

});

describe('concurrent and interrupted runs', () => {
  it('20 concurrent generates with slow renames: each waits its turn, and the result is one run’s output', async () => {
    const { root, a, b } = specs();
    const targets = ['--targets', 'docs,model,snippets'];
    const expected = { a: path.join(root, 'exp-a'), b: path.join(root, 'exp-b') };
    await runCli(['generate', '--spec', a, '--out', expected.a, ...targets], REPO_ROOT);
    await runCli(['generate', '--spec', b, '--out', expected.b, ...targets], REPO_ROOT);
    const out = path.join(root, 'out');
    await runCli(['generate', '--spec', a, '--out', out, ...targets], REPO_ROOT);
    // The first run takes the lock and holds it, blocked at its first rename, until one of the other 19 has
    // found it held: then they each wait their turn, whatever the machine's load.
    const go = path.join(root, 'go');
    const first = spawnCli(['generate', '--spec', b, '--out', out, ...targets], { hooks: { SAC_RENAME_WAIT_FOR: go } });
    const lock = path.join(out, LOCK_FILE);
    for (let waited = 0; !existsSync(lock); waited += 5) {
      if (waited > 30_000) throw new Error('the first run never took the lock');
      await new Promise((r) => setTimeout(r, 5));
    }
    let sawWaiting!: () => void;
    const waiting = new Promise<void>((resolve) => (sawWaiting = resolve));
    const others = Array.from({ length: 19 }, (_, i) =>
      spawnCli(['generate', '--spec', i % 2 ? b : a, '--out', out, ...targets], {
        hooks: { SAC_RENAME_DELAY_MS: '40' },
        onSpawn: (child) => child.stderr?.on('data', (d: Buffer) => String(d).includes('waiting for process') && sawWaiting()),
      }),
    );
    await Promise.race([waiting, new Promise((_, reject) => setTimeout(() => reject(new Error('no run waited for the lock within 60 s')), 60_000))]);
    writeFileSync(go, '');
    const runs = await Promise.all([first, ...others]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(runs.filter((r) => r.stderr.includes('waiting for process')).length).toBeGreaterThan(0);
    const final = snapshotDir(out);
    expect([snapshotDir(expected.a), snapshotDir(expected.b)]).toContainEqual(final);
    expectNoLeftovers(out);
  });

  it('a run killed at every rename in turn: check reports what it left, the next generate recovers, check passes', async () => {
    const { root, a, b } = specs();
    // From the output of A with every target to B with fewer targets: files are replaced, added and removed.
    const start = path.join(root, 'start');
    expect((await runCli(['generate', '--spec', a, '--out', start], REPO_ROOT)).code).toBe(0);
    const next = ['--spec', b, '--targets', 'docs,model'];
    const expected = path.join(root, 'expected');
    cpSync(start, expected, { recursive: true });
    const counted = path.join(root, 'renames');
    expect((await spawnCli(['generate', ...next, '--out', expected], { hooks: { SAC_COUNT_RENAMES: counted } })).code).toBe(0);
    const renames = Number(readFileSync(counted, 'utf8'));
    expect(renames).toBeGreaterThan(10);
    // The quick tier kills at the first, a middle and the last rename (writer/output.test.ts kills in process at
    // every one); the full suite at each in turn.
    const killPoints = sweep(Array.from({ length: renames }, (_, i) => i + 1), [1, Math.ceil(renames / 2), renames]);
    let leftoversSeen = 0;
    for (const n of killPoints) {
      const out = path.join(root, `out-${n}`);
      cpSync(start, out, { recursive: true });
      const killed = await spawnCli(['generate', ...next, '--out', out], { hooks: { SAC_KILL_AT_RENAME: String(n) } });
      expect(killed.signal, `kill at rename ${n}`).toBe('SIGKILL');
      const before = await runCli(['check', ...next, '--out', out], REPO_ROOT);
      expect(before.code, `kill at rename ${n}`).toBe(1);
      if (before.stdout.includes('left by an interrupted run')) leftoversSeen++;
      const recovered = await runCli(['generate', ...next, '--out', out], REPO_ROOT);
      expect(recovered.code, recovered.stderr).toBe(0);
      expect(snapshotDir(out), `kill at rename ${n}`).toEqual(snapshotDir(expected));
      const after = await runCli(['check', ...next, '--out', out], REPO_ROOT);
      expect(after.code, after.stdout).toBe(0);
    }
    expect(leftoversSeen).toBe(killPoints.length);
  });
});

describe('hostile paths, files and options', () => {
  it('never writes through a symbolic link committed in the output directory (OUT003, exit 2)', async () => {
    const root = tempDir();
    const out = path.join(root, 'generated');
    expect((await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out], REPO_ROOT)).code).toBe(0);
    const victim = path.join(root, 'victim');
    mkdirSync(victim);
    writeFileSync(path.join(victim, 'types.ts'), 'precious\n');
    rmSync(path.join(out, 'typescript'), { recursive: true });
    symlinkSync(victim, path.join(out, 'typescript'));
    const r = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/generated\/typescript:1:1: error OUT003: ".*generated\/typescript" is a symbolic link where generated output belongs/);
    expect(readFileSync(path.join(victim, 'types.ts'), 'utf8')).toBe('precious\n');
    expect(snapshotDir(victim)).toEqual({ 'types.ts': 'precious\n' });
  });

  it('a file of yours where a target now generates one is refused (OUT005) unless --force', async () => {
    const out = path.join(tempDir(), 'out');
    expect((await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs'], REPO_ROOT)).code).toBe(0);
    writeFileSync(path.join(out, 'model.json'), '{"mine": true}\n');
    const r = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs,model'], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/model\.json:1:1: error OUT005: .* was not written by simplex-api-codegen/);
    expect(readFileSync(path.join(out, 'model.json'), 'utf8')).toBe('{"mine": true}\n');
    const c = await runCli(['check', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs,model'], REPO_ROOT);
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('stale: model.json (not written by simplex-api-codegen');
    const forced = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs,model', '--force'], REPO_ROOT);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(out, MANIFEST), 'utf8')).toContain('model.json');
  });

  it('spec documents must be regular files of bounded size: a FIFO and /dev/zero are diagnostics, not hangs', async () => {
    const fifo = writeSpec(tempDir(), { COMMANDS: minimalTexts().COMMANDS });
    spawnSync('mkfifo', [path.join(fifo, 'TYPES.md')]);
    const r1 = await spawnCli(['lint', '--spec', fifo]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/TYPES\.md:1:1: error SPEC004: .*TYPES\.md is a FIFO, not a regular file/);
    const zero = writeSpec(tempDir(), { COMMANDS: minimalTexts().COMMANDS });
    symlinkSync('/dev/zero', path.join(zero, 'EVENTS.md'));
    const r2 = await spawnCli(['lint', '--spec', zero]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/EVENTS\.md:1:1: error SPEC004: .*EVENTS\.md is a device, not a regular file/);
  });

  it('changes refuses a revision that git would read as an option', async () => {
    const root = tempDir();
    const target = path.join(root, 'written-by-git');
    const r = await runCli(['changes', '--', `--output=${target}:spec`, 'spec'], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a git revision: revisions never start with "-"');
    expect(existsSync(target)).toBe(false);
  });

  it('config keys that exist on Object.prototype are unknown keys, not crashes; a large config parses in linear time', async () => {
    for (const key of ['constructor', 'valueOf', '__proto__', 'hasOwnProperty', 'toString']) {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'simplex-api-codegen.config.json'), `{\n  "${key}": "x"\n}\n`);
      const r = await runCli(['lint', '--spec', MINIMAL_DIR], dir);
      expect(r.code, key).toBe(2);
      expect(r.stderr, key).toMatch(new RegExp(`simplex-api-codegen\\.config\\.json:2:3: error CFG001: unknown key \\$\\.${key.replace(/[$]/g, '\\$&')}`));
    }
    // 320 KB of config: a long array of targets (each position lookup used to scan from the start).
    const dir = tempDir();
    writeFileSync(path.join(dir, 'simplex-api-codegen.config.json'), `{"spec": "${MINIMAL_DIR}", "targets": [${Array(40_000).fill('"docs"').join(',')}]}`);
    const r = await runCli(['lint'], dir);
    expect(r.code).toBe(0);
  });

  it('--python-package refuses standard-library modules and __future__', async () => {
    for (const name of ['json', '__future__', 'typing', 'asyncio', 'websockets']) {
      const out = path.join(tempDir(), 'out');
      const r = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--python-package', name], REPO_ROOT);
      expect(r.code, name).toBe(2);
      expect(r.stderr).toContain(`--python-package takes a Python identifier that is not a keyword or a standard-library module`);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a template directory with a link loop is a TPL001 diagnostic', async () => {
    const templates = tempDir();
    mkdirSync(path.join(templates, 'docs'));
    symlinkSync(templates, path.join(templates, 'docs', 'loop'));
    const r = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', path.join(tempDir(), 'out'), '--templates', templates], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/docs\/loop:1:1: error TPL001: template directory ".*docs\/loop" links back to a directory that contains it/);
  });
});

beforeAll(() => {
  if (os.platform() === 'win32') throw new Error('these tests use POSIX signals, FIFOs and symbolic links');
});
