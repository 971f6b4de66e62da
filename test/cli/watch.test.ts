/** generate --watch: regenerates on a spec or template change, reports bad edits and keeps running. */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { MINIMAL_DIR, snapshotDir, tempDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('generate --watch', () => {
  it('regenerates after an edit, survives a bad edit, and stops cleanly', async () => {
    const spec = path.join(tempDir(), 'spec');
    cpSync(MINIMAL_DIR, spec, { recursive: true });
    const templates = tempDir('sac-wtpl-');
    const out = path.join(tempDir(), 'out');
    let stderr = '';
    let stop!: () => void;
    const io: Io = { stdout: () => {}, stderr: (s) => void (stderr += s), color: false, cwd: REPO_ROOT, stopSignal: new Promise((r) => (stop = r)) };
    const running = main(['node', 'x', 'generate', '--watch', '--spec', spec, '--out', out, '--templates', templates, '--targets', 'docs,typescript'], io);

    await until(() => stderr.includes('watching'), 'the watcher to start');
    expect(stderr).toMatch(/generated: \d+ written/);

    const commands = path.join(spec, 'COMMANDS.md');
    const text = readFileSync(commands, 'utf8');
    writeFileSync(commands, text.replace('Send messages.', 'Send one or more messages.'));
    await until(() => /changed COMMANDS\.md: \d+ written, 0 removed, \d+ unchanged in \d+ ms/.test(stderr), 'the regeneration');
    expect(readFileSync(path.join(out, 'docs/COMMANDS.md'), 'utf8')).toContain('Send one or more messages.');
    expect(readFileSync(path.join(out, 'typescript/commands.ts'), 'utf8')).toContain(' * Send one or more messages.');

    const good = readFileSync(path.join(out, 'docs/COMMANDS.md'), 'utf8');
    writeFileSync(commands, text.replace('- ttl: int?', '- ttl int?'));
    await until(() => stderr.includes('kept as it was'), 'the bad edit to be reported');
    expect(stderr).toMatch(/COMMANDS\.md:\d+:3: error FIELD001/);
    expect(readFileSync(path.join(out, 'docs/COMMANDS.md'), 'utf8')).toBe(good);

    writeFileSync(commands, text);
    await until(() => (stderr.match(/changed COMMANDS\.md: \d+ written/g) ?? []).length >= 2, 'recovery after the fix');
    expect(readFileSync(path.join(out, 'docs/COMMANDS.md'), 'utf8')).toBe(text);

    writeFileSync(path.join(templates, 'broken.hbs'), '{{#if}}');
    await until(() => stderr.includes('TPL001'), 'the template problem to be reported');

    stop();
    expect(await running).toBe(0);
  });

  it('notices a spec directory created after start, and applies an edited config file', async () => {
    const cwd = tempDir('sac-wcfg-');
    let stderr = '';
    let stop!: () => void;
    const io: Io = { stdout: () => {}, stderr: (s) => void (stderr += s), color: false, cwd, stopSignal: new Promise((r) => (stop = r)) };
    const running = main(['node', 'x', 'generate', '--watch', '--spec', 'later/spec', '--out', 'out'], io);
    await until(() => stderr.includes('watching'), 'the watcher to start');
    expect(stderr).toContain('SPEC001');

    cpSync(MINIMAL_DIR, path.join(cwd, 'later/spec'), { recursive: true });
    await until(() => existsSync(path.join(cwd, 'out/typescript/types.ts')) && /: \d+ written/.test(stderr), 'generation once the spec exists');

    writeFileSync(path.join(cwd, 'simplex-api-codegen.config.json'), JSON.stringify({ targets: ['docs', 'model'] }));
    await until(() => !existsSync(path.join(cwd, 'out/typescript')), 'the new targets to apply');
    expect(stderr).toMatch(/changed simplex-api-codegen\.config\.json: \d+ written, \d+ removed/);
    expect(existsSync(path.join(cwd, 'out/model.json'))).toBe(true);

    writeFileSync(path.join(cwd, 'simplex-api-codegen.config.json'), JSON.stringify({ targets: ['rust'] }));
    await until(() => stderr.includes('the configuration has errors; the previous options are kept'), 'the bad config to be reported');
    expect(stderr).toContain('CFG001');

    stop();
    expect(await running).toBe(0);
  });

  it('with a history configured, every regeneration writes what generate writes', async () => {
    // The older version lacks APIDeleteChat: the current one's items carry `since` (copies made on every build).
    const cwd = tempDir('sac-whist-');
    cpSync(MINIMAL_DIR, path.join(cwd, 'spec'), { recursive: true });
    cpSync(MINIMAL_DIR, path.join(cwd, 'old'), { recursive: true });
    const oldCommands = path.join(cwd, 'old/COMMANDS.md');
    writeFileSync(oldCommands, readFileSync(oldCommands, 'utf8').replace(/### APIDeleteChat\n[\s\S]*?\n---\n/, ''));
    writeFileSync(path.join(cwd, 'simplex-api-codegen.config.json'), JSON.stringify({ history: [{ label: 'v1', spec: 'old' }, { label: 'v2' }] }));
    let stderr = '';
    let stop!: () => void;
    const io: Io = { stdout: () => {}, stderr: (s) => void (stderr += s), color: false, cwd, stopSignal: new Promise((r) => (stop = r)) };
    const running = main(['node', 'x', 'generate', '--watch', '--out', 'out'], io);
    await until(() => stderr.includes('watching'), 'the watcher to start');
    const commands = path.join(cwd, 'spec/COMMANDS.md');
    const types = path.join(cwd, 'spec/TYPES.md');
    const edits: [string, string][] = [
      [commands, readFileSync(commands, 'utf8').replace('Send messages.', 'Send one or more messages.')],
      [types, readFileSync(types, 'utf8').replace('## ChatDeleteMode\n', '## ChatDeleteMode\n\nHow a chat is deleted.\n')],
    ];
    for (const [i, [file, text]] of edits.entries()) {
      writeFileSync(file, text);
      await until(() => (stderr.match(/changed (COMMANDS|TYPES)\.md: \d+ written/g) ?? []).length > i, `regeneration ${i + 1}`);
      const fresh = await runCli(['generate', '--out', `fresh${i}`, '--no-cache'], cwd);
      expect(fresh.code, fresh.stderr).toBe(0);
      const watched = snapshotDir(path.join(cwd, 'out'));
      const generated = snapshotDir(path.join(cwd, `fresh${i}`));
      expect(Object.keys(watched)).toEqual(Object.keys(generated));
      // The manifest's fingerprint line differs only if the inputs do: the same here.
      expect(Object.keys(generated).filter((f) => watched[f] !== generated[f])).toEqual([]);
      expect(watched['typescript/commands.ts']).toContain('@since v2');
    }
    stop();
    expect(await running).toBe(0);
  });
});
