/**
 * The generated bot framework (src/runtime/bot.ts, src/runtime/python/bot.py, bound to each API
 * version by src/emit/botApi.ts), run on the mock chat core: start-up sync and its failures, message filters,
 * commands and /help, events, waits, middleware, errors, stop; every era; the README's examples as printed; BOT001;
 * and `changes` marking the commands the framework sends.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { compareModels } from '../../src/changes/compare.js';
import { formatChanges } from '../../src/changes/report.js';
import { emitAll, DEFAULT_OPTIONS } from '../../src/generate.js';
import { createMockCore, type InProcessMockCore } from '../../src/mock/inProcess.js';
import { MockCore } from '../../src/mock/core.js';
import { startMockServer } from '../../src/mock/server.js';
import { buildModel } from '../helpers/model.js';
import { runChild } from '../helpers/child.js';
import { CORPUS_MISSING, corpusPresent, ERAS, eraInput, REPO_ROOT, type EraName } from '../helpers/corpus.js';
import { minimalInput, tempDir, writeSpec } from '../helpers/fixtures.js';
import { botProject, readmeBlock } from '../helpers/readme.js';
import { compileTypeScript, generateInto } from '../helpers/generate.js';
import { checkedRun } from '../helpers/sharedCheck.js';
import { eraSweep } from '../helpers/tier.js';
import { python3 } from '../helpers/python.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

const TSC = path.join(REPO_ROOT, 'node_modules/.bin/tsc');
const PYRIGHT = path.join(REPO_ROOT, 'node_modules/.bin/pyright');
const ERA_LIST = Object.keys(ERAS).filter((e) => e !== 'seed-crlf') as EraName[];

/** Each era's generated TypeScript, compiled, and its spec directory. */
const eras = new Map<EraName, { bot: Any; client: Any; spec: string; python: string }>();

beforeAll(async () => {
  if (!corpusPresent) throw new Error(CORPUS_MISSING);
  for (const era of eraSweep(ERA_LIST)) {
    const input = eraInput(era);
    const g = await generateInto(input, ['typescript', 'python']);
    const js = path.join(g.dir, 'js');
    const r = compileTypeScript(g.dir, js);
    if (r.status !== 0) throw new Error(`${era}: ${r.output}`);
    eras.set(era, {
      bot: await import(pathToFileURL(path.join(js, 'bot.js')).href),
      client: await import(pathToFileURL(path.join(js, 'client.js')).href),
      spec: writeSpec(path.join(g.dir, 'spec'), input.texts),
      python: path.join(g.dir, 'python'),
    });
  }
}, 180_000);

const latest = () => eras.get('latest')!;
const model = (era: EraName = 'latest') => buildModel(eraInput(era)).model;

/** A bot on a fresh in-process mock core of the latest era, started; `make` declares its handlers. */
async function started(make: (bot: Any) => void, options: Record<string, unknown> = {}, core?: InProcessMockCore): Promise<{ bot: Any; tester: Any; core: InProcessMockCore; errors: string[] }> {
  const { bot: B } = latest();
  const errors: string[] = [];
  const bot = new B.Bot({ profile: { displayName: 'Tester' }, onError: (e: Error, where: string) => errors.push(`${where}: ${e.message}`), ...options });
  make(bot);
  const c = core ?? (await createMockCore({ model: model() }));
  const tester = await B.BotTester.start(bot, c);
  return { bot, tester, core: c, errors };
}

describe('start-up sync', () => {
  it('on a new database it creates the user, the address, its settings and the bot profile; a second start changes nothing', async () => {
    const core = await createMockCore({ model: model(), user: null });
    const { bot: B } = latest();
    const lines: string[] = [];
    const bot = new B.Bot({ profile: { displayName: 'Helper', shortDescr: 'helps' }, welcome: 'Hello!', log: (l: string) => lines.push(l) });
    bot.onCommand('ping', 'Answers pong', (msg: Any) => msg.reply('pong'));
    const first = await B.BotTester.start(bot, core);
    expect(first.report.steps).toEqual({ user: 'created', address: 'created', addressSettings: 'updated', profile: 'updated' });
    expect(first.report.address).toMatch(/^https:\/\//);
    expect(lines).toEqual(['no active user: creating one', 'no address: creating one', 'address settings differ: updating them', 'profile differs: updating it']);
    // What the chat core now holds, read back through the client.
    const { user } = await first.client.showActiveUser();
    expect(user.profile).toMatchObject({ displayName: 'Helper', shortDescr: 'helps', peerType: 'bot', contactLink: first.report.address });
    expect(user.profile.preferences).toMatchObject({ files: { allow: 'no' }, calls: { allow: 'no' }, commands: [{ type: 'command', keyword: 'ping', label: 'Answers pong' }, { type: 'command', keyword: 'help', label: 'Lists the commands' }] });
    const { contactLink } = await first.client.apiShowMyAddress({ userId: user.userId });
    expect(contactLink.addressSettings).toEqual({ businessAddress: false, autoAccept: { acceptIncognito: false }, autoReply: { type: 'text', text: 'Hello!' } });
    await first.stop();

    const again = new B.Bot({ profile: { displayName: 'Helper', shortDescr: 'helps' }, welcome: 'Hello!' });
    again.onCommand('ping', 'Answers pong', (msg: Any) => msg.reply('pong'));
    const second = await B.BotTester.start(again, core);
    expect(second.report.steps).toEqual({ user: 'used', address: 'used', addressSettings: 'kept', profile: 'kept' });
    await second.stop();

    // A changed welcome and menu update what changed, nothing else.
    const changed = new B.Bot({ profile: { displayName: 'Helper', shortDescr: 'helps' }, welcome: 'Hi again!' });
    const third = await B.BotTester.start(changed, core);
    expect(third.report.steps).toEqual({ user: 'used', address: 'used', addressSettings: 'updated', profile: 'updated' });
    await third.stop();
  });

  it('createAddress: false leaves a bot without an address alone', async () => {
    const { tester } = await started(() => undefined, { createAddress: false });
    expect(tester.report.steps.address).toBe('none');
    expect(tester.report.steps.addressSettings).toBe('none');
    expect(tester.report.address).toBeUndefined();
    await tester.stop();
  });

  it('a step the chat core refuses is a BotStartError naming the step and the chat error; the client stays usable', async () => {
    const base = await createMockCore({ model: model() });
    const scenario = { rules: [{ command: 'APICreateMyAddress', respond: { type: 'chatCmdError', chatError: { type: 'errorStore', storeError: { type: 'duplicateContactLink' } } } }] };
    const { loadScenario } = await import('../../src/mock/scenario.js');
    const file = path.join(tempDir(), 'scenario.json');
    writeFileSync(file, JSON.stringify(scenario));
    const loaded = loadScenario(file, 'scenario.json', base);
    const core = await createMockCore({ model: model(), scenario: loaded.scenario! });
    const { bot: B, client: C } = latest();
    const bot = new B.Bot({ profile: { displayName: 'X' } });
    const client = await C.ChatClient.connect('mock:', { WebSocket: core.WebSocket });
    const error = await bot.start(client).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(B.BotStartError);
    expect(error!.message).toBe('the bot could not create the address: the chat core answered errorStore duplicateContactLink');
    expect((error as Any).step).toBe('create the address');
    expect((error as Any).cause.name).toBe('ChatCommandError');
    // Not running: a second start may be tried.
    expect((await client.showActiveUser()).type).toBe('activeUser');
    await client.close();
  });
});

describe('messages, commands and events', () => {
  it('filters: content type, text (string and RegExp), chat type, group and contact ids, a predicate; the first handler that fits takes it', async () => {
    const seen: string[] = [];
    const { tester, core } = await started((bot) => {
      bot.onMessage({ text: 'exact' }, (m: Any) => seen.push(`exact:${m.contact.localDisplayName}`));
      bot.onMessage({ text: /^num \d+$/ }, (m: Any) => seen.push(`regex:${m.text}`));
      bot.onMessage({ contentType: 'file' }, (m: Any) => seen.push(`file:${m.content.type}`));
      bot.onMessage({ chatType: 'group', groupId: [999] }, () => seen.push('never'));
      bot.onMessage({ chatType: 'group' }, (m: Any) => seen.push(`group:${m.groupInfo.groupProfile.displayName}:${m.member.localDisplayName}`));
      bot.onMessage({ when: (m: Any) => m.text.length > 10 }, (m: Any) => seen.push(`long:${m.text}`));
    });
    const alice = await tester.connectContact('alice');
    // Handlers may be added while the bot runs; this one comes last.
    tester.bot.onMessage({ contactId: [alice.contactId, 999] }, (m: Any) => seen.push(`contact:${m.text}`));
    tester.bot.onMessage({ contactId: 999 }, () => seen.push('never'));
    await alice.send('exact');
    await alice.send('num 42');
    await alice.send('num 42 and more');
    await alice.sendFile('a.pdf', 10);
    await alice.send('short');
    const { groupInfo } = await tester.client.apiNewGroup({ userId: tester.report.user.userId, incognito: false, groupProfile: { displayName: 'g', fullName: '' } });
    await tester.client.apiCreateGroupLink({ groupId: groupInfo.groupId, memberRole: 'member' });
    await alice.joinGroup('g');
    await alice.send('in the group', { group: 'g' });
    await until(() => seen.length >= 6);
    expect(seen).toEqual(['exact:alice', 'regex:num 42', 'long:num 42 and more', 'file:file', 'contact:short', 'group:g:alice']);
    expect(core.sent({ to: 'alice' })).toEqual([]);
    await tester.stop();
  });

  it('commands: routed with their arguments, /help from the declared commands, unknown ones answered (and overridable); a reply quotes the message', async () => {
    const { tester } = await started((bot) => {
      bot.onCommand('add', 'Adds numbers', (m: Any, args: string) => m.reply(String(args.split(/\s+/).reduce((a, b) => a + Number(b), 0))));
      bot.onMessage((m: Any) => m.reply(`echo ${m.text}`));
    });
    const alice = await tester.connectContact('alice');
    const id = await alice.send('  /add 1 2   39  ');
    expect((await alice.nextMessage()).text).toBe('42');
    expect(tester.core.isDeleted(id)).toBe(false);
    await alice.send('/help');
    expect((await alice.nextMessage()).text).toBe('Commands:\n/add - Adds numbers\n/help - Lists the commands');
    await alice.send('/nope x');
    expect((await alice.nextMessage()).text).toBe('Unknown command: /nope. Send /help for the list.');
    await alice.send('plain');
    expect((await alice.nextMessage()).text).toBe('echo plain');
    tester.bot.onUnknownCommand((m: Any, args: string) => m.reply(`no ${m.command.name} (${args})`));
    await alice.send('/nope x y');
    expect((await alice.nextMessage()).text).toBe('no nope (x y)');
    await tester.stop();
  });

  it('events: typed per tag, once, off, onAny, wait with a predicate and a timeout, sendAndWait', async () => {
    const log: string[] = [];
    const { bot, tester } = await started((b) => {
      b.onEvent('contactConnected', (e: Any) => log.push(`connected ${e.contact.localDisplayName}`));
      b.once('contactConnected', (e: Any) => log.push(`first ${e.contact.localDisplayName}`));
      const off = b.onEvent('contactConnected', () => log.push('removed'));
      off();
      b.onAny((e: Any) => log.push(`any ${e.type}`));
    });
    const waiting = bot.wait('contactConnected', (e: Any) => e.contact.localDisplayName === 'bob');
    const alice = await tester.connectContact('alice');
    await tester.connectContact('bob');
    const bobEvent = await waiting;
    expect(bobEvent.contact.localDisplayName).toBe('bob');
    await until(() => log.length >= 5);
    expect(log).toEqual(['connected alice', 'first alice', 'any contactConnected', 'connected bob', 'any contactConnected']);
    await expect(bot.wait('contactConnected', () => false, 50)).rejects.toThrow('no contactConnected event that fits within 50 ms');
    // sendAndWait: ask, and wait for the answer (listening from before the question goes out).
    const answered = bot.sendAndWait({ chatType: 'direct', chatId: alice.contactId }, 'your name?', 'newChatItems', (e: Any) => e.chatItems.some((ci: Any) => ci.chatItem.meta.itemText === 'Alice'));
    expect((await alice.nextMessage()).text).toBe('your name?');
    await alice.send('Alice');
    expect((await answered).chatItems[0].chatInfo.contact.localDisplayName).toBe('alice');
    await tester.stop();
  });

  it('middleware runs first, in order, and stops a message that does not call next(); a handler error is reported and the bot goes on', async () => {
    const order: string[] = [];
    const { tester, errors } = await started((bot) => {
      bot.use(async (m: Any, next: () => Promise<void>) => {
        order.push(`mw1 ${m.text}`);
        if (!m.text.startsWith('blocked')) await next();
      });
      bot.use(async (m: Any, next: () => Promise<void>) => {
        order.push(`mw2 ${m.text}`);
        await next();
      });
      bot.onMessage({ text: 'boom' }, () => {
        throw new Error('handler failed');
      });
      bot.onMessage((m: Any) => m.reply(`ok ${m.text}`));
    });
    const alice = await tester.connectContact('alice');
    await alice.send('blocked one');
    await alice.send('boom');
    await alice.send('after');
    expect((await alice.nextMessage()).text).toBe('ok after');
    expect(order).toEqual(['mw1 blocked one', 'mw1 boom', 'mw2 boom', 'mw1 after', 'mw2 after']);
    expect(errors).toEqual(['a message handler: handler failed']);
    await tester.stop();
  });

  it('react and delete act on the message; stop waits for handlers, then aborts the ones still running', async () => {
    let aborted = false;
    const { tester, errors } = await started((bot) => {
      bot.onMessage({ text: 'react' }, (m: Any) => m.react('👍'));
      bot.onMessage({ text: 'delete' }, (m: Any) => m.delete());
      bot.onMessage({ text: 'slow' }, (m: Any) => new Promise<void>((resolve) => m.signal.addEventListener('abort', () => ((aborted = true), resolve()))));
    });
    const alice = await tester.connectContact('alice');
    await alice.send('react');
    const del = await alice.send('delete');
    await until(() => tester.core.isDeleted(del));
    expect(tester.core.isDeleted(del)).toBe(true);
    await alice.send('slow');
    await new Promise((r) => setTimeout(r, 50));
    const t = Date.now();
    expect(await tester.stop(200)).toEqual({ unfinished: 1 });
    expect(Date.now() - t).toBeLessThan(2000);
    expect(aborted).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe('every API version of the corpus', () => {
  for (const era of eraSweep(ERA_LIST))
    it(`${era}: the framework generated for it starts on its mock chat core and answers a command`, async () => {
      const { bot: B } = eras.get(era)!;
      const bot = new B.Bot({ profile: { displayName: 'Echo' }, welcome: 'hi' });
      bot.onCommand('twice', 'Says it twice', (m: Any, args: string) => m.reply(`${args} ${args}`));
      const tester = await B.BotTester.start(bot, await createMockCore({ model: model(era), user: null }));
      expect(tester.report.steps).toEqual({ user: 'created', address: 'created', addressSettings: 'updated', profile: 'updated' });
      const alice = await tester.connectContact('alice');
      expect((await alice.nextMessage()).text).toBe('hi');
      await alice.send('/twice ok');
      expect((await alice.nextMessage()).text).toBe('ok ok');
      await tester.stop();
    });
});

const PY_BEHAVIOUR = String.raw`
import asyncio, re, sys
sys.path.insert(0, sys.argv[1])
from simplex_api.bot import Bot, BotStartError, Message, bot_tester

async def main() -> None:
    seen = []
    errors = []
    bot = Bot(profile={"displayName": "Py"}, welcome="hello", on_error=lambda e, where: errors.append("%s: %s" % (where, e)))

    @bot.middleware
    async def gate(msg: Message, next) -> None:
        if not msg.text.startswith("blocked"):
            await next()

    @bot.on_command("add", "Adds numbers")
    async def add(msg: Message, args: str) -> None:
        await msg.reply(str(sum(int(x) for x in args.split())))

    @bot.on_message(text="boom")
    async def boom(msg: Message) -> None:
        raise RuntimeError("handler failed")

    @bot.on_message(text=re.compile(r"^num \d+$"))
    async def num(msg: Message) -> None:
        seen.append("regex:" + msg.text)

    @bot.on_message(chat_type="group")
    async def group(msg: Message) -> None:
        seen.append("group:%s:%s" % (msg.group_info["groupProfile"]["displayName"], msg.member["localDisplayName"]))
        await msg.delete()

    @bot.on_message(content_type="text")
    async def echo(msg: Message) -> None:
        await msg.reply("echo " + msg.text)

    connected = []
    bot.on_event("contactConnected")(lambda e: connected.append(e["contact"]["localDisplayName"]))
    bot.once("contactConnected")(lambda e: connected.append("first"))
    never = lambda e: connected.append("never")
    bot.once("contactConnected")(never)
    bot.off("contactConnected", never)
    any_events = []
    bot.on_any(lambda e: any_events.append(e["type"]))

    async with bot_tester(bot, sys.argv[2]) as t:
        print(t.report["steps"])
        waiting = asyncio.ensure_future(bot.wait("contactConnected", lambda e: e["contact"]["localDisplayName"] == "bob"))
        await asyncio.sleep(0)
        alice = await t.connect_contact("alice")
        bob = await t.connect_contact("bob")
        print("waited for", (await waiting)["contact"]["localDisplayName"])
        print((await alice.next_message())["text"])
        await alice.send(" /add 1 2  39 ")
        print((await alice.next_message())["text"])
        await alice.send("/help")
        print(repr((await alice.next_message())["text"]))
        await alice.send("/nope")
        print((await alice.next_message())["text"])
        await alice.send("blocked")
        await alice.send("boom")
        await alice.send("num 7")
        await alice.send("plain")
        print((await alice.next_message())["text"])
        user_id = t.report["user"]["userId"]
        g = await t.client.api_new_group({"userId": user_id, "incognito": False, "groupProfile": {"displayName": "g", "fullName": ""}})
        await t.client.api_create_group_link({"groupId": g["groupInfo"]["groupId"], "memberRole": "member"})
        await bob.join_group("g")
        item = await bob.send("in the group", group="g")
        for _ in range(200):
            if await t.core.is_deleted(item):
                break
            await asyncio.sleep(0.01)
        print("deleted", await t.core.is_deleted(item))
        print(seen, connected, sorted(set(any_events)))
        print(errors)
        try:
            await bot.wait("contactConnected", lambda e: False, timeout=0.05)
        except asyncio.TimeoutError:
            print("wait timed out")
        slow_cancelled = []

        @bot.on_message(text="slow")
        async def slow(msg: Message) -> None:
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                slow_cancelled.append(True)
                raise

        bot._messages.insert(0, bot._messages.pop())
        await alice.send("slow")
        await asyncio.sleep(0.1)
        print(await bot.stop(0.2), slow_cancelled)

    # A step the chat core refuses.
    try:
        async with bot_tester(Bot(profile={"displayName": "Py"}), sys.argv[2], scenario=sys.argv[3]):
            pass
    except BotStartError as e:
        print(e.step, "|", e)

asyncio.run(main())
`;

describe('Python', () => {
  it('the same behaviours: sync, commands and /help, filters, middleware, errors, events, waits, delete, stop with cancellation, start errors', async () => {
    const { python, spec } = latest();
    const scenario = path.join(tempDir(), 'scenario.json');
    writeFileSync(scenario, JSON.stringify({ rules: [{ command: 'APIShowMyAddress', respond: { type: 'chatCmdError', chatError: { type: 'error', errorType: { type: 'noActiveUser' } } } }] }));
    // The scenario goes in through the mock's command: bot_tester's `command` would too.
    const env = { SIMPLEX_MOCK_COMMAND: `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(REPO_ROOT, 'bin/simplex-api-codegen.js'))}` };
    const r = await runChild(python3(), ['-c', PY_BEHAVIOUR, python, spec, scenario], { env });
    expect(r.stderr.split('\n').filter((l) => /Error|Traceback/.test(l))).toEqual([]);
    expect(r.stdout.trim().split('\n')).toEqual([
      "{'user': 'used', 'address': 'created', 'addressSettings': 'updated', 'profile': 'updated'}",
      'waited for bob',
      'hello',
      '42',
      "'Commands:\\n/add - Adds numbers\\n/help - Lists the commands'",
      'Unknown command: /nope. Send /help for the list.',
      'echo plain',
      'deleted True',
      "['regex:num 7', 'group:g:bob'] ['alice', 'first', 'bob'] ['contactConnected', 'joinedGroupMember', 'newChatItems']",
      "['a message handler: handler failed']",
      'wait timed out',
      "{'unfinished': 1} [True]",
      'read the address | the bot could not read the address: the chat core answered error noActiveUser',
    ]);
  }, 60_000);
});

describe('the README’s examples, as printed, in a project made as the README says', () => {
  let project: string;
  beforeAll(() => {
    project = botProject('sac-bot-project-');
    writeFileSync(path.join(project, 'echo-bot.ts'), readmeBlock('ts bot-echo'));
    writeFileSync(path.join(project, 'moderation-bot.ts'), readmeBlock('ts bot-moderation'));
    writeFileSync(path.join(project, 'bot.test.ts'), readmeBlock('ts bot-test'));
    writeFileSync(path.join(project, 'echo_bot.py'), readmeBlock('python bot-echo'));
    writeFileSync(path.join(project, 'moderation_bot.py'), readmeBlock('python bot-moderation'));
    writeFileSync(path.join(project, 'bot_test.py'), readmeBlock('python bot-test'));
  });

  it('the echo bots are at most 15 lines each', () => {
    for (const info of ['ts bot-echo', 'python bot-echo']) expect(readmeBlock(info).trimEnd().split('\n').length, info).toBeLessThanOrEqual(15);
  });

  it('TypeScript: the bots and their BotTester test compile (tsc --strict, nodenext) and the test passes', async () => {
    const args = ['--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--types', 'node', '--outDir', 'js', 'echo-bot.ts', 'moderation-bot.ts', 'bot.test.ts'];
    const tsc = spawnSync(TSC, args, { cwd: project, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const run = await runChild(process.execPath, [path.join(project, 'js', 'bot.test.js')], { cwd: project });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('bot tests passed\n');
    expect(run.status).toBe(0);
  });

  it('Python: the bots and their bot_tester test pass with pyright and run', async () => {
    writeFileSync(path.join(project, 'pyrightconfig.json'), JSON.stringify({ extraPaths: ['generated/python'], pythonVersion: '3.11', include: ['echo_bot.py', 'moderation_bot.py', 'bot_test.py'] }));
    const pyright = checkedRun(PYRIGHT, [], project);
    expect(pyright.stdout).toMatch(/0 errors, 0 warnings/);
    const env = { PYTHONPATH: path.join(project, 'generated', 'python'), PATH: `${path.dirname(process.execPath)}:${process.env['PATH'] ?? ''}` };
    const run = await runChild(python3(), ['bot_test.py'], { cwd: project, env });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('bot tests passed\n');
  }, 60_000);

  it('in a project set up as the README says (type module, tsc --init with "types": ["node"]), the bots and their test compile and pass', async () => {
    const dir = botProject('sac-tsc-init-');
    expect(spawnSync(TSC, ['--init'], { cwd: dir, encoding: 'utf8' }).status).toBe(0);
    const tsconfig = readFileSync(path.join(dir, 'tsconfig.json'), 'utf8');
    expect(tsconfig).toContain('"types": [],');
    writeFileSync(path.join(dir, 'tsconfig.json'), tsconfig.replace('"types": [],', '"types": ["node"],'));
    writeFileSync(path.join(dir, 'echo-bot.ts'), readmeBlock('ts bot-echo'));
    writeFileSync(path.join(dir, 'moderation-bot.ts'), readmeBlock('ts bot-moderation'));
    writeFileSync(path.join(dir, 'bot.test.ts'), readmeBlock('ts bot-test'));
    const tsc = spawnSync(TSC, ['-p', '.'], { cwd: dir, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const run = await runChild(process.execPath, ['bot.test.js'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('bot tests passed\n');
  }, 60_000);

  it('the TypeScript echo bot, run as a program with CHAT_URL, serves contacts over WebSocket', async () => {
    const server = await startMockServer(new MockCore(model()), { host: '127.0.0.1', port: 0 });
    const child = spawn(process.execPath, [path.join(project, 'js', 'echo-bot.js')], { cwd: project, env: { ...process.env, CHAT_URL: `ws://127.0.0.1:${server.port}` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    try {
      await until(() => stdout.includes('Bot address:'), 15_000);
      expect(stdout).toMatch(/^Bot address: https:\/\//);
      // Alice, driven through the mock's control frames over a second connection.
      const control = new WebSocket(`ws://127.0.0.1:${server.port}`);
      await new Promise((r) => control.once('open', r));
      const answers = new Map<number, Any>();
      control.on('message', (d) => {
        const f = JSON.parse(String(d));
        if (f.ctl !== undefined) answers.set(f.ctl, f);
      });
      let n = 0;
      const ctl = async (body: object): Promise<Any> => {
        const id = ++n;
        control.send(JSON.stringify({ ctl: id, ...body }));
        await until(() => answers.has(id));
        return answers.get(id);
      };
      await ctl({ act: { action: 'connect', name: 'alice' } });
      await ctl({ act: { action: 'send', from: 'alice', text: '/reverse stressed' } });
      let texts: string[] = [];
      await until(async () => (texts = (await ctl({ sent: { to: 'alice' } })).result.map((m: Any) => m.text)).length >= 2, 10_000);
      expect(texts).toEqual(['Hi! I send back what you send. /help lists my commands.', 'desserts']);
      control.close();
    } finally {
      child.kill('SIGTERM');
      await server.close();
    }
    expect(stderr).toBe('');
  }, 60_000);
});

describe('BOT001 and `changes`', () => {
  it('documents of the bot API that lack a command the framework sends: BOT001 at that command, no bot.ts/bot.py, the rest generated', async () => {
    const input = eraInput('latest');
    const commands = input.texts.COMMANDS!;
    // APIShowMyAddress's section removed.
    const start = commands.indexOf('### APIShowMyAddress');
    const end = commands.indexOf('\n### ', start + 1);
    const cut = { ...input, texts: { ...input.texts, COMMANDS: commands.slice(0, start) + commands.slice(end + 1) } };
    const spec = buildModel(cut);
    const out = await emitAll(spec, { ...DEFAULT_OPTIONS, targets: ['typescript', 'python'] });
    const d = out.diagnostics.filter((x) => x.code === 'BOT001');
    expect(d).toHaveLength(1);
    expect(d[0]!.severity).toBe('warning');
    expect(d[0]!.message).toBe('the bot framework (bot.ts, bot.py) is not generated: the documents have no command APIShowMyAddress');
    expect([...out.files.keys()].filter((f) => /bot/i.test(f))).toEqual([]);
    expect(out.files.has('typescript/client.ts')).toBe(true);
    // A fixture that is not the bot API (no APISendMessages) gets neither the framework nor a word about it.
    const minimal = await emitAll(buildModel(minimalInput()), { ...DEFAULT_OPTIONS, targets: ['typescript', 'python'] });
    expect(minimal.diagnostics.filter((x) => x.code === 'BOT001')).toEqual([]);
    expect([...minimal.files.keys()].filter((f) => /bot/i.test(f))).toEqual([]);
  });

  it('a required parameter the framework has no value for is BOT001 at its command', async () => {
    const input = eraInput('latest');
    const commands = input.texts.COMMANDS!.replace('- userId: int64\n- pqRatchet: bool?\n', '- userId: int64\n- pqRatchet: bool?\n- colour: string\n');
    const spec = buildModel({ ...input, texts: { ...input.texts, COMMANDS: commands } });
    const out = await emitAll(spec, { ...DEFAULT_OPTIONS, targets: ['typescript'] });
    const d = out.diagnostics.filter((x) => x.code === 'BOT001');
    expect(d.map((x) => x.message)).toEqual(['the bot framework (bot.ts, bot.py) is not generated: command APICreateMyAddress requires "colour" (string), which the bot framework has no value for']);
    expect(out.files.has('typescript/bot.ts')).toBe(false);
  });

  it('`changes` marks every change to a command the framework sends, in text and JSON', () => {
    const changes = compareModels(model('seed'), model('latest'));
    const marked = new Set(changes.filter((c) => c.usedByBot).map((c) => c.name));
    expect(marked).toEqual(new Set(['APISendMessages', 'APICreateMyAddress', 'APISetAddressSettings', 'CreateActiveUser', 'ShowActiveUser', 'StartChat']));
    expect(changes.some((c) => c.usedByBot && c.name === 'APIConnectPlan')).toBe(false);
    const report = { oldName: 'seed', newName: 'latest', changes };
    const text = formatChanges(report, 'text');
    expect(text).toMatch(/^BREAKING command APISendMessages: required parameter signMessages was added\n(?: {9}syntax .*\n)* {9}the generated bot framework sends this command: its binding \(botApi\.ts, _bot_api\.py\) regenerates\n/m);
    const json = JSON.parse(formatChanges(report, 'json'));
    expect(json.changes.filter((c: Any) => c.usedByBot).length).toBe(changes.filter((c) => c.usedByBot).length);
    expect(formatChanges(report, 'markdown')).toContain('  - the generated bot framework sends this command');
  });
});

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !(await check()) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
}
