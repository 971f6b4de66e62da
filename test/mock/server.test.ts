/**
 * The mock chat core as bots and SDKs meet it: a WebSocket server on a free port, real clients (Node `ws`, and
 * Python's `websockets` from Debian under /usr/bin/python3), commands built by the generated builders, answers
 * checked by the generated decoders in strict mode.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseCommandWith } from '../../src/runtime/commandParser.js';
import { MockCore } from '../../src/mock/core.js';
import { requirePythonWebsockets } from '../helpers/optionalTools.js';

/** These tests draw commands and scenarios without a world behind them: the core answers from the documents alone. */
const STATELESS = { world: false } as const;
import { loadScenario } from '../../src/mock/scenario.js';
import { startMockServer, type MockServer } from '../../src/mock/server.js';
import type { ApiModel } from '../../src/model/types.js';
import { buildModel } from '../helpers/model.js';
import { joinedParams, paramsUsedOutsideOptional } from '../../src/syntax/ast.js';
import { runChild } from '../helpers/child.js';
import { runCli } from '../helpers/cli.js';
import { CORPUS_MISSING, corpusPresent, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { Drawer } from '../helpers/draw.js';
import { tempDir, writeSpec } from '../helpers/fixtures.js';
import { botProject, readmeBlock } from '../helpers/readme.js';
import { generateInto, importTypeScript } from '../helpers/generate.js';
import { spawnCli } from '../helpers/spawnCli.js';

const runAsync = (command: string, args: string[]) => runChild(command, args);

/** A client that collects every frame and can wait for a reply by corrId or for the next event. */
class Client {
  readonly frames: Record<string, unknown>[] = [];
  private waiters: (() => void)[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Record<string, unknown>);
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async connect(port: number): Promise<Client> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    // Listening before the connection opens: the server may send events at once.
    const client = new Client(ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return client;
  }
  async until(test: (frames: Record<string, unknown>[]) => boolean, what: string): Promise<void> {
    // A guard against a hang, not a speed test: on a loaded 2-core machine the 10,000 commands of the
    // concurrency test once took longer than 10 s (the bench measures speed).
    const deadline = Date.now() + 60_000;
    while (!test(this.frames)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
  async request(corrId: string, cmd: string): Promise<Record<string, unknown>> {
    this.ws.send(JSON.stringify({ corrId, cmd }));
    await this.until((fs) => fs.some((f) => f['corrId'] === corrId), `the reply to ${corrId}`);
    return this.frames.find((f) => f['corrId'] === corrId)!['resp'] as Record<string, unknown>;
  }
  close(): void {
    this.ws.close();
  }
}

let model: ApiModel;
let dir: string;
let ts: Record<string, { cmdString: (x: object) => string }>;
let decode: { decodeChatResponse: (v: unknown, o?: object) => unknown; decodeChatEvent: (v: unknown, o?: object) => unknown };
let server: MockServer;
let core: MockCore;

beforeAll(async () => {
  if (!corpusPresent) throw new Error(CORPUS_MISSING);
  const input = eraInput('latest');
  model = buildModel(input).model;
  const g = await generateInto(input, ['typescript', 'python']);
  dir = g.dir;
  ts = (await importTypeScript(g.dir)) as typeof ts;
  decode = await import(pathToFileURL(path.join(g.dir, 'js', 'decode.js')).href);
  core = new MockCore(model, 7, undefined, STATELESS);
  server = await startMockServer(core, { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server?.close();
});

describe('the mock chat core', () => {
  it('answers every command of the latest era, built by the generated builders, with a response that decodes strictly', async () => {
    const client = await Client.connect(server.port);
    const drawer = new Drawer(model);
    let n = 0;
    for (const c of model.commands) {
      const ast = c.syntax.ast!;
      const arb = drawer.record(c.params ?? [], 0, { nonEmpty: new Set(joinedParams(ast)), alwaysPresent: paramsUsedOutsideOptional(ast) });
      for (const x of fc.sample(arb, { numRuns: 3, seed: 5 })) {
        const text = ts[c.name]!.cmdString(x);
        const resp = await client.request(`c${n++}`, text);
        // The command the mock read: this one, or one that writes the same string and the documents list first.
        const read = parseCommandWith(core.table, text, { prefer: 'first' }).command;
        const documented = model.commands.find((d) => d.name === read)!.responses.map((r) => r.tag);
        expect(documented, `${c.name} read as ${read}`).toContain(resp['type']);
        expect(resp['type'], text).not.toBe('chatCmdError');
        expect(() => decode.decodeChatResponse(resp, { strict: true }), `${c.name}: ${JSON.stringify(resp).slice(0, 300)}`).not.toThrow();
      }
    }
    console.log(`mock: ${n} commands of ${model.commands.length} kinds answered, every answer decoded strictly`);
    client.close();
  });

  it('strings upstream SDKs send get their documented responses: /_connect 2 (apiCreateLink), /freceive 5 approved_relays=on', async () => {
    const client = await Client.connect(server.port);
    const warnings: string[] = [];
    core.onWarning = (m) => warnings.push(m);
    expect((await client.request('link', '/_connect 2'))['type']).toBe('invitation');
    expect(warnings).toEqual(['equally specific readings of APIAddContact, APIConnect fit "/_connect 2": took APIAddContact, the first the documents list']);
    const receive = (await client.request('file', '/freceive 5 approved_relays=on'))['type'];
    expect(model.commands.find((c) => c.name === 'ReceiveFile')!.responses.map((r) => r.tag).filter((t) => t !== 'chatCmdError')).toContain(receive);
    core.onWarning = () => {};
    client.close();
  });

  it('echoes what a command carried: a sent message comes back in the newChatItems item', async () => {
    const client = await Client.connect(server.port);
    const cmd = ts['APISendMessages']!.cmdString({ sendRef: { chatType: 'direct', chatId: 42 }, liveMessage: false, signMessages: false, composedMessages: [{ msgContent: { type: 'text', text: 'ping' }, mentions: {} }, { msgContent: { type: 'text', text: 'pong' }, mentions: {} }] });
    const resp = (await client.request('send', cmd)) as { type: string; chatItems: { chatItem: { content: { type: string; msgContent: { text: string } } } }[] };
    expect(resp.type).toBe('newChatItems');
    expect(resp.chatItems.map((i) => [i.chatItem.content.type, i.chatItem.content.msgContent.text])).toEqual([
      ['sndMsgContent', 'ping'],
      ['sndMsgContent', 'pong'],
    ]);
    decode.decodeChatResponse(resp, { strict: true });
    client.close();
  });

  it('unknown and malformed frames get chatCmdError with the parser’s message, and the connection stays open', async () => {
    const client = await Client.connect(server.port);
    const errorOf = (r: Record<string, unknown>) => (r as { chatError: { errorType: { message: string } } }).chatError.errorType.message;
    const unknown = await client.request('u', '/no_such_command 1');
    expect(unknown).toMatchObject({ type: 'chatCmdError', chatError: { type: 'error', errorType: { type: 'commandError' } } });
    expect(errorOf(unknown)).toMatch(/^no command matches "\/no_such_command 1": at column \d+/);
    client.ws.send('this is not JSON');
    await client.until((fs) => fs.length >= 2, 'the reply to a frame that is not JSON');
    expect(client.frames[1]).toEqual({ resp: expect.objectContaining({ type: 'chatCmdError' }) });
    expect(errorOf(client.frames[1]!['resp'] as Record<string, unknown>)).toMatch(/the frame is not JSON/);
    const noCmd = await (async () => {
      client.ws.send(JSON.stringify({ corrId: 'x' }));
      await client.until((fs) => fs.some((f) => f['corrId'] === 'x'), 'the reply to a frame without cmd');
      return client.frames.find((f) => f['corrId'] === 'x')!['resp'] as Record<string, unknown>;
    })();
    expect(errorOf(noCmd)).toMatch(/no "cmd"/);
    // Still open: a good command is answered.
    expect((await client.request('ok', '/user'))['type']).toBe('activeUser');
    client.close();
  });

  it('100 concurrent clients sending 100 commands each: every reply carries its own corrId and its own answer', async () => {
    const commands = ['/user', '/users', '/_get chats 1 pcc=on count=20 {"type":"filters","favorite":false,"unread":true}', '/_delete item #12 1,2,3 broadcast', '/_member role #1 2,3 admin'];
    const expected = new Map(commands.map((c) => [c, core.answer(JSON.stringify({ corrId: 'x', cmd: c }))[0]!.resp]));
    const expectedText = new Map([...expected].map(([c, resp]) => [c, JSON.stringify(resp)]));
    const clients = await Promise.all(Array.from({ length: 100 }, () => Client.connect(server.port)));
    await Promise.all(
      clients.map(async (client, k) => {
        for (let i = 0; i < 100; i++) client.ws.send(JSON.stringify({ corrId: `${k}-${i}`, cmd: commands[(k + i) % commands.length] }));
        await client.until((fs) => fs.length >= 100, `100 replies on client ${k}`);
        // Compared as JSON text (10,000 deep comparisons took seconds); the first difference is shown as objects.
        const wrong = client.frames.findIndex((f, i) => f['corrId'] !== `${k}-${i}` || JSON.stringify(f['resp']) !== expectedText.get(commands[(k + i) % commands.length]!));
        if (wrong >= 0) expect({ corrId: client.frames[wrong]!['corrId'], resp: client.frames[wrong]!['resp'] }).toEqual({ corrId: `${k}-${wrong}`, resp: expected.get(commands[(k + wrong) % commands.length]!) });
        client.close();
      }),
    );
  });

  it('a scenario drives a conversation: events on connect, a rule that matches a sent text, partial answers completed from the model', async () => {
    const file = path.join(tempDir(), 'scenario.json');
    writeFileSync(
      file,
      JSON.stringify({
        $schema: '../schema/scenario.schema.json',
        onConnect: [{ type: 'contactConnected', contact: { localDisplayName: 'alice' } }],
        rules: [
          {
            command: 'APISendMessages',
            match: { composedMessages: [{ msgContent: { type: 'text', text: 'hello' } }] },
            respond: { type: 'newChatItems' },
            events: [{ type: 'newChatItems', chatItems: [{ chatItem: { content: { type: 'rcvMsgContent', msgContent: { type: 'text', text: 'hi back' } } } }] }],
          },
          { command: 'ShowActiveUser', respond: { type: 'chatCmdError', chatError: { type: 'error', errorType: { type: 'noActiveUser' } } } },
        ],
      }),
    );
    const scripted = new MockCore(model, 1, loadScenario(file, 'scenario.json', core).scenario!, STATELESS);
    const s = await startMockServer(scripted, { host: '127.0.0.1', port: 0 });
    try {
      const client = await Client.connect(s.port);
      await client.until((fs) => fs.length >= 1, 'the onConnect event');
      const connected = client.frames[0]!;
      expect(connected['corrId']).toBeUndefined();
      expect(connected['resp']).toMatchObject({ type: 'contactConnected', contact: { localDisplayName: 'alice' } });
      decode.decodeChatEvent(connected['resp'], { strict: true });
      const send = (text: string) => ts['APISendMessages']!.cmdString({ sendRef: { chatType: 'direct', chatId: 1 }, liveMessage: false, signMessages: false, composedMessages: [{ msgContent: { type: 'text', text }, mentions: {} }] });
      const reply = await client.request('1', send('hello'));
      expect(reply['type']).toBe('newChatItems');
      await client.until((fs) => fs.some((f) => f['corrId'] === undefined && (f['resp'] as { type: string }).type === 'newChatItems'), 'the rule’s event');
      const event = client.frames.find((f, i) => i > 0 && f['corrId'] === undefined)!['resp'] as { chatItems: { chatItem: { content: { msgContent: { text: string } } } }[] };
      expect(event.chatItems[0]!.chatItem.content.msgContent.text).toBe('hi back');
      decode.decodeChatEvent(event, { strict: true });
      // Another text does not match the rule: the default answer, and no event.
      const before = client.frames.length;
      await client.request('2', send('something else'));
      expect(client.frames.length).toBe(before + 1);
      expect(await client.request('3', '/user')).toMatchObject({ type: 'chatCmdError', chatError: { errorType: { type: 'noActiveUser' } } });
      client.close();
    } finally {
      await s.close();
    }
  });

  it('a Python client (websockets) talks to it, and the generated Python decoders accept every answer strictly', async (ctx) => {
    const python = requirePythonWebsockets(ctx);
    const script = `
import asyncio, json, sys
sys.path.insert(0, ${JSON.stringify(path.join(dir, 'python'))})
import websockets
from simplex_api import APISendMessages_cmd_string
from simplex_api.decode import decode_chat_response

async def main():
    async with websockets.connect("ws://127.0.0.1:${server.port}") as ws:
        cmds = ["/user", "/users", APISendMessages_cmd_string({"sendRef": {"chatType": "group", "chatId": 3}, "liveMessage": False, "signMessages": False, "composedMessages": [{"msgContent": {"type": "text", "text": "from python"}, "mentions": {}}]})]
        for i, cmd in enumerate(cmds):
            await ws.send(json.dumps({"corrId": str(i), "cmd": cmd}))
        out = []
        for _ in cmds:
            frame = json.loads(await ws.recv())
            decode_chat_response(frame["resp"], strict=True)
            out.append([frame["corrId"], frame["resp"]["type"]])
        print(json.dumps(out))

asyncio.run(main())
`;
    // Not spawnSync: the server runs in this process and must answer while Python waits.
    const r = await runAsync(python, ['-c', script]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([
      ['0', 'activeUser'],
      ['1', 'usersList'],
      ['2', 'newChatItems'],
    ]);
  });
});

// Each test runs its own mock processes in a directory of its own, and most of its time waits on them.
describe.concurrent('the mock command', () => {
  it('prints where it listens, records every frame, and stops cleanly on SIGINT and SIGTERM', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const record = path.join(tempDir(), 'frames.jsonl');
      let port = 0;
      const run = spawnCli(['mock', '--spec', path.join(REPO_ROOT, '../shared/corpus/simplex-chat__simplex-chat@03c8bf5add'), '--port', '0', '--record', record, '--seed', '3'], {
        onSpawn: (child) => {
          let out = '';
          child.stdout!.on('data', async (d) => {
            out += d;
            const m = /listening on ws:\/\/127\.0\.0\.1:(\d+)\n/.exec(out);
            if (!m || port) return;
            port = Number(m[1]);
            const client = await Client.connect(port);
            await client.request('1', '/user');
            client.ws.send('not json');
            await client.until((fs) => fs.length >= 2, 'two replies');
            child.kill(signal);
          });
        },
      });
      const r = await run;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^listening on ws:\/\/127\.0\.0\.1:\d+\n$/);
      expect(r.stderr).toContain('the mock chat core stopped');
      const lines = readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: number; conn: number; dir: string; frame: unknown });
      expect(lines.map((l) => l.dir)).toEqual(['in', 'out', 'in', 'out']);
      expect(lines[0]!.frame).toEqual({ corrId: '1', cmd: '/user' });
      expect(lines[2]!.frame).toBe('not json');
      expect(lines.every((l) => typeof l.t === 'number' && l.t >= 0 && l.conn === 1)).toBe(true);
    }
  });

  it('stops with its parent: under npx, a TERM to the npx process, or an INT to its process group (Ctrl-C), ends the server', async () => {
    // A project as a bot's tests have it: the package's bin where npx finds it.
    const project = botProject('sac-npx-');
    // (An INT to the npx process alone is not covered: npm passes it to the shell that runs the command, which
    // ignores it while it waits, so npx, the shell and the server all go on; Ctrl-C signals the whole group.)
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const npx = spawn('npx', ['--no-install', 'simplex-api-codegen', 'mock', '--spec', path.join(REPO_ROOT, 'spec'), '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'], detached: signal === 'SIGINT' });
      let out = '';
      const port = await new Promise<number>((resolve, reject) => {
        npx.stdout!.on('data', (d) => {
          out += d;
          const m = /listening on ws:\/\/127\.0\.0\.1:(\d+)\n/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        npx.once('exit', (code) => reject(new Error(`npx exited ${code} before the mock listened: ${out}`)));
      });
      if (signal === 'SIGINT') process.kill(-npx.pid!, signal);
      else npx.kill(signal);
      // The server ends within a second or so of its parent: its port refuses connections.
      let refused = false;
      for (const end = Date.now() + 5000; !refused && Date.now() < end; ) {
        refused = await new Promise<boolean>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}`);
          ws.once('open', () => (ws.terminate(), resolve(false)));
          ws.once('error', () => resolve(true));
        });
        if (!refused) await new Promise((r) => setTimeout(r, 100));
      }
      expect(refused, `${signal}: the mock still listens on ${port}`).toBe(true);
    }
  });

  it('the README’s mock command runs as printed (but for its port) on the README’s scenario: the onConnect event, a rule’s reply and events, the record', async () => {
    const line = readmeBlock('sh mock-command').split('\n')[0]!;
    const project = botProject('sac-mock-cmd-');
    writeFileSync(path.join(project, 'scenario.json'), readmeBlock('json scenario'));
    const [npxCommand, ...args] = line.replace('--port 5225', '--port 0').split(' ');
    expect(npxCommand).toBe('npx');
    const npx = spawn('npx', ['--no-install', ...args], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    npx.stderr!.on('data', (d) => (err += d));
    const port = await new Promise<number>((resolve, reject) => {
      npx.stdout!.on('data', (d) => {
        out += d;
        const m = /listening on ws:\/\/127\.0\.0\.1:(\d+)\n/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      npx.once('exit', (code) => reject(new Error(`exited ${code} before it listened: ${out}${err}`)));
    });
    try {
      const client = await Client.connect(port);
      await client.until((fs) => fs.some((f: any) => f.resp?.type === 'contactConnected'), 'the onConnect event');
      const send = '/_send @1 json [{"msgContent":{"type":"text","text":"hello"},"mentions":{}}]';
      await client.request('1', send);
      await client.until((fs) => fs.some((f: any) => f.corrId === undefined && f.resp?.type === 'newChatItems'), 'the rule’s event');
      const event = client.frames.find((f: any) => f.corrId === undefined && f.resp?.type === 'newChatItems') as any;
      expect(event.resp.chatItems[0].chatItem.content.msgContent.text).toBe('hi back');
      client.close();
    } finally {
      npx.kill('SIGTERM');
      await new Promise((r) => npx.once('exit', r));
    }
    const frames = readFileSync(path.join(project, 'frames.jsonl'), 'utf8').trim().split('\n');
    expect(frames.length).toBeGreaterThanOrEqual(4);
  });

  it('a scenario naming an unknown command, response or event, or one that does not decode, is a located diagnostic and the server does not start (exit 2)', async () => {
    const spec = writeSpec(tempDir(), {
      COMMANDS: readFileSync(path.join(REPO_ROOT, '../shared/corpus/simplex-chat__simplex-chat@03c8bf5add/COMMANDS.md'), 'utf8'),
      TYPES: readFileSync(path.join(REPO_ROOT, '../shared/corpus/simplex-chat__simplex-chat@03c8bf5add/TYPES.md'), 'utf8'),
      EVENTS: readFileSync(path.join(REPO_ROOT, '../shared/corpus/simplex-chat__simplex-chat@088a33e09c/EVENTS.md'), 'utf8'),
    });
    const scenario = path.join(spec, 'scenario.json');
    writeFileSync(
      scenario,
      `{
  "onConnect": [{"type": "noSuchEvent"}],
  "rules": [
    {"command": "APISendMesages"},
    {"command": "ShowActiveUser", "respond": {"type": "activeUzer"}},
    {"command": "ShowActiveUser", "respond": {"type": "activeUser", "user": {"userId": "one"}}}
  ]
}
`,
    );
    const r = await runCli(['mock', '--spec', spec, '--scenario', scenario, '--port', '0'], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/scenario\.json:2:18: error MOCK001: \$\.onConnect\[0\]\.type: "noSuchEvent" is not the tag of a documented event/);
    expect(r.stderr).toMatch(/scenario\.json:4:6: error MOCK001: \$\.rules\[0\]\.command: "APISendMesages" is not a documented command\n {2}expected: did you mean "APISendMessages"\?/);
    expect(r.stderr).toMatch(/scenario\.json:5:47: error MOCK001: \$\.rules\[1\]\.respond\.type: "activeUzer" is not the tag of a documented response/);
    expect(r.stderr).toMatch(/scenario\.json:6:78: error MOCK001: \$\.rules\[2\]\.respond\.user\.userId: once completed from the model, it does not decode: expected an integer, found string "one"/);
    expect(r.stderr).toContain('the mock chat core did not start');
  });
});
