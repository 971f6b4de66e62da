import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMockCore, MockSpecError } from '../../src/mock/inProcess.js';
import { runChild } from '../helpers/child.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { tempDir } from '../helpers/fixtures.js';
import { botProject, readmeBlock } from '../helpers/readme.js';
import { checkedRun } from '../helpers/sharedCheck.js';
import { python3 } from '../helpers/python.js';

const TSC = path.join(REPO_ROOT, 'node_modules/.bin/tsc');
const PYRIGHT = path.join(REPO_ROOT, 'node_modules/.bin/pyright');

let project: string;
let tscOutput: string;
beforeAll(() => {
  project = botProject('sac-mock-project-');
  // The README's TypeScript test, compiled as a bot project would (the generated client comes along into js/).
  writeFileSync(path.join(project, 'bot.test.ts'), readmeBlock('ts mock-bot-test'));
  const args = ['--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--types', 'node', '--outDir', 'js', 'bot.test.ts'];
  const tsc = spawnSync(TSC, args, { cwd: project, encoding: 'utf8' });
  tscOutput = tsc.stdout + tsc.stderr;
  writeFileSync(path.join(project, 'js', 'package.json'), '{"type": "module"}\n');
});

describe('the mock chat core in the test’s process', () => {
  it('the README’s TypeScript bot test runs as printed: alice connects, sends /start, and gets the welcome', async () => {
    expect(tscOutput).toBe('');
    const run = await runChild(process.execPath, [path.join(project, 'js', 'bot.test.js')], { cwd: project });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("alice got: [ 'welcome!' ]\n");
  });

  it('the README’s Python bot test runs as printed over pipes (mock --stdio), and pyright accepts it', async () => {
    writeFileSync(path.join(project, 'bot_test.py'), readmeBlock('python mock-bot-test'));
    const env = { PYTHONPATH: path.join(project, 'generated', 'python'), PATH: `${path.dirname(process.execPath)}:${process.env['PATH'] ?? ''}` };
    const run = await runChild(python3(), ['bot_test.py'], { cwd: project, env });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe("alice got: ['welcome!']\n");
    writeFileSync(path.join(project, 'pyrightconfig.json'), JSON.stringify({ extraPaths: ['generated/python'], pythonVersion: '3.11', include: ['bot_test.py'] }));
    const pyright = checkedRun(PYRIGHT, ['bot_test.py'], project);
    expect(pyright.stdout).toMatch(/0 errors, 0 warnings/);
  });

  it('the generated client runs on the core: replies, peer events in order, early events once, close', async () => {
    const core = await createMockCore({ spec: path.join(REPO_ROOT, 'spec'), seed: 3 });
    const js = path.join(project, 'js', 'generated', 'typescript', 'client.js');
    const { ChatClient } = (await import(pathToFileURL(js).href)) as { ChatClient: any };
    const client = await ChatClient.connect('mock:', { WebSocket: core.WebSocket, strict: true });
    // Before anyone subscribes: kept, then given once.
    const bob = await core.connectContact('bob', 'direct');
    const seen: string[] = [];
    client.on('contactConnected', (e: any) => seen.push(`connected ${e.contact.localDisplayName}`));
    client.on('newChatItems', (e: any) => seen.push(`message ${e.chatItems[0].chatItem.content.msgContent.text}`));
    await bob.send('one');
    await bob.send('two');
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(['connected bob', 'message one', 'message two']);
    const r = await client.apiListContacts({ userId: 1 });
    expect(r.contacts.map((c: any) => c.contactId)).toEqual([bob.contactId]);
    await expect(client.apiSendMessages({ sendRef: { chatType: 'direct', chatId: 99 }, liveMessage: false, signMessages: false, composedMessages: [{ msgContent: { type: 'text', text: 'x' }, mentions: {} }] })).rejects.toThrow(/contactNotFound/);
    await client.close();
    await expect(client.showActiveUser()).rejects.toThrow(/closed/);
  });

  it('a spec with errors is a MockSpecError with its diagnostics, not a crash', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'COMMANDS.md'), '# nothing here\n');
    await expect(createMockCore({ spec: dir })).rejects.toBeInstanceOf(MockSpecError);
    await expect(createMockCore({})).rejects.toThrow(/needs \{ spec/);
  });

  it('Python: a child that cannot start, or a spec with errors, is a MockCoreError that says why', async () => {
    const script = `
import asyncio, sys
sys.path.insert(0, ${JSON.stringify(path.join(project, 'generated', 'python'))})
from simplex_api.mock import MockCore, MockCoreError
async def main():
    for kw in ({"command": ["/nonexistent/node"]}, {"command": [${JSON.stringify(process.execPath)}, ${JSON.stringify(path.join(REPO_ROOT, 'bin', 'simplex-api-codegen.js'))}]}):
        try:
            await MockCore.start(spec=${JSON.stringify(path.join(project, 'nospec'))}, **kw)
            print("started")
        except MockCoreError as e:
            print("MockCoreError:", str(e).splitlines()[0][:80])
asyncio.run(main())
`;
    const run = await runChild(python3(), ['-c', script]);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^MockCoreError: cannot start the mock chat core/);
    expect(lines[1]).toMatch(/^MockCoreError: the mock chat core stopped: .*nospec/);
  });
});
