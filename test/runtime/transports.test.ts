/**
 * The clients' transports, in both languages: the chat library in-process over FFI (koffi / ctypes) against a C
 * stand-in built here that answers from the mock chat core; the WebSocket transport that reconnects and queues,
 * connects before the chat core is up, and gives up after its deadline; events exactly once, with bounded
 * buffers that count what they drop; options checked; close() within 1 s whatever the server does; connection
 * errors with their cause.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MockCore } from '../../src/mock/core.js';
import { createMockCore } from '../../src/mock/inProcess.js';
import { startMockServer } from '../../src/mock/server.js';
import { buildModel } from '../helpers/model.js';
import { readSpecDir } from '../../src/parse/loadSpec.js';
import { runChild } from '../helpers/child.js';
import { CORPUS_MISSING, corpusPresent, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { tempDir, writeSpec } from '../helpers/fixtures.js';
import { readmeBlock } from '../helpers/readme.js';
import { compileTypeScript, generateInto } from '../helpers/generate.js';
import { requirePythonWebsockets } from '../helpers/optionalTools.js';
import { python3 } from '../helpers/python.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Client = any;

const CLI = path.join(REPO_ROOT, 'bin/simplex-api-codegen.js');
let dir: string;
let specDir: string;
let stub: string;
let client: { ChatClient: Client; WebSocketTransport: Client };
let ffi: { FfiTransport: Client };

beforeAll(async () => {
  if (!corpusPresent) throw new Error(CORPUS_MISSING);
  const input = eraInput('latest');
  const g = await generateInto(input, ['typescript', 'python']);
  dir = g.dir;
  specDir = writeSpec(path.join(dir, 'spec'), input.texts);
  const js = path.join(dir, 'js');
  const r = compileTypeScript(dir, js, [path.join(dir, 'typescript', 'client.ts'), path.join(dir, 'typescript', 'ffi.ts')]);
  if (r.status !== 0) throw new Error(r.output);
  client = await import(pathToFileURL(path.join(js, 'client.js')).href);
  ffi = await import(pathToFileURL(path.join(js, 'ffi.js')).href);
  // The stand-in of the chat library, built with the system's C compiler.
  stub = path.join(dir, 'libsimplex_stub.so');
  const cc = spawnSync('cc', ['-shared', '-fPIC', '-pthread', '-O2', '-o', stub, path.join(REPO_ROOT, 'test/fixtures/ffi/simplex_stub.c')], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cc failed: ${cc.stderr}`);
}, 120_000);

/** The command the stand-in starts for its chat core: the mock over standard input and output, with a scenario. */
function stubMock(scenario: unknown): string {
  const file = path.join(tempDir(), 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  return `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} mock --stdio --spec ${JSON.stringify(specDir)} --scenario ${JSON.stringify(file)}`;
}

// On APICreateMyAddress, alice connects: the event comes through chat_recv_msg_wait.
const CONNECTS = { rules: [{ command: 'APICreateMyAddress', act: [{ action: 'connect', name: 'alice', via: 'direct' }] }] };

const until = async (check: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
};

describe('FFI: the chat library in this process, against a C stand-in that answers from the mock chat core', () => {
  it('TypeScript (koffi): typed commands, a chat error as ChatCommandError, an event, close', async () => {
    process.env['SIMPLEX_STUB_MOCK'] = stubMock(CONNECTS);
    const transport = await ffi.FfiTransport.open({ library: stub, dbPath: path.join(dir, 'bot') });
    const c = client.ChatClient.over(transport);
    const connected: string[] = [];
    c.on('contactConnected', (e: any) => connected.push(e.contact.localDisplayName));
    expect((await c.showActiveUser()).user.localDisplayName).toBe('bot');
    expect((await c.apiCreateMyAddress({ userId: 1 })).type).toBe('userContactLinkCreated');
    await until(() => connected.length > 0);
    expect(connected).toEqual(['alice']);
    await expect(c.apiListContacts({ userId: 99 })).rejects.toMatchObject({ name: 'ChatCommandError', response: { type: 'chatCmdError', chatError: { type: 'errorStore' } } });
    const t = Date.now();
    await c.close();
    expect(Date.now() - t).toBeLessThan(1000);
    await expect(c.showActiveUser()).rejects.toMatchObject({ name: 'ChatConnectionError' });
  });

  it('TypeScript: a library that cannot be loaded, and one that does not open the database, are errors that say so', async () => {
    await expect(ffi.FfiTransport.open({ library: path.join(dir, 'missing.so') })).rejects.toThrow(/cannot load the chat library .*missing\.so/);
    delete process.env['SIMPLEX_STUB_MOCK'];
    await expect(ffi.FfiTransport.open({ library: stub })).rejects.toThrow(/did not open the database: .*SIMPLEX_STUB_MOCK is not set/);
    await expect(ffi.FfiTransport.open({ library: stub, waitUs: Infinity })).rejects.toThrow(RangeError);
  });

  it('Python (ctypes): typed commands, a chat error as ChatCommandError, an event, close', async () => {
    const r = await runChild(python3(), ['-c', PY_FFI, path.join(dir, 'python'), stub, path.join(dir, 'pybot')], { env: { SIMPLEX_STUB_MOCK: stubMock(CONNECTS) } });
    expect(r.stderr.split('\n').filter((l) => /Error|Traceback/.test(l))).toEqual([]);
    expect(r.stdout.trim().split('\n')).toEqual(['bot', 'userContactLinkCreated', 'alice', 'ChatCommandError errorStore', 'closed within 1 s', 'ChatConnectionError', 'FfiTransportError cannot load']);
  });
});

// From here on the tests share no state of this process (the FFI ones above set SIMPLEX_STUB_MOCK in it) and
// spend most of their time waiting on child processes and timers: they run concurrently.
describe.concurrent("the README's FFI examples, as printed, against the stand-in library", () => {

  it('TypeScript and Python print the active user', async () => {
    const project = tempDir('sac-ffi-readme-');
    await generateInto(readSpecDir(path.join(REPO_ROOT, 'spec')).input, ['typescript', 'python'], path.join(project, 'generated'));
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
    writeFileSync(path.join(project, 'package.json'), '{"type": "module", "private": true}\n');
    writeFileSync(path.join(project, 'ffi-bot.ts'), readmeBlock('ts ffi-bot'));
    writeFileSync(path.join(project, 'ffi_bot.py'), readmeBlock('python ffi-bot'));
    const tsc = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/tsc'), ['--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', '--types', 'node', '--outDir', 'js', 'ffi-bot.ts'], { cwd: project, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const env = { SIMPLEX_LIBRARY: stub, SIMPLEX_STUB_MOCK: stubMock({ rules: [] }).replace(JSON.stringify(specDir), JSON.stringify(path.join(REPO_ROOT, 'spec'))) };
    const ts = await runChild(process.execPath, [path.join(project, 'js', 'ffi-bot.js')], { cwd: project, env });
    expect(ts.stdout).toBe('active user: bot\n');
    expect(ts.status).toBe(0);
    const py = await runChild(python3(), ['ffi_bot.py'], { cwd: project, env: { ...env, PYTHONPATH: path.join(project, 'generated', 'python') } });
    expect(py.stdout).toBe('active user: bot\n');
    expect(py.status).toBe(0);
  });
});

const PY_FFI = String.raw`
import asyncio, sys, time
sys.path.insert(0, sys.argv[1])
from simplex_api.client import ChatClient, ChatCommandError, ChatConnectionError
from simplex_api.ffi import FfiTransport, FfiTransportError

async def main():
    transport = await FfiTransport.open(sys.argv[2], db_path=sys.argv[3])
    client = ChatClient.over(transport)
    connected = []
    client.on("contactConnected")(lambda e: connected.append(e["contact"]["localDisplayName"]))
    print((await client.show_active_user())["user"]["localDisplayName"])
    print((await client.api_create_my_address({"userId": 1}))["type"])
    for _ in range(250):
        if connected:
            break
        await asyncio.sleep(0.02)
    print(",".join(connected))
    try:
        await client.api_list_contacts({"userId": 99})
    except ChatCommandError as e:
        print("ChatCommandError", e.response["chatError"]["type"])
    t = time.monotonic()
    await client.close()
    print("closed within 1 s" if time.monotonic() - t < 1 else "closed in %.2f s" % (time.monotonic() - t))
    try:
        await client.show_active_user()
    except ChatConnectionError:
        print("ChatConnectionError")
    try:
        await FfiTransport.open(sys.argv[2] + ".missing")
    except FfiTransportError as e:
        print("FfiTransportError", "cannot load" if "cannot load" in str(e) else str(e))

asyncio.run(main())
`;

describe.concurrent('WebSocket: reconnection, waiting for the chat core, deadlines', () => {
  const freePort = () =>
    new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });

  it('TypeScript: the chat core restarts mid-session; queued commands each get one reply; written ones reject; "reject" mode; giving up', async () => {
    const model = buildModel(eraInput('latest')).model;
    const port = await freePort();
    let server = await startMockServer(new MockCore(model), { host: '127.0.0.1', port });
    const warnings: string[] = [];
    const c = await client.ChatClient.connect(`ws://127.0.0.1:${port}`, { WebSocket, reconnect: { initialDelayMs: 20, maxDelayMs: 100, giveUpAfterMs: 3000 }, onWarning: (w: any) => warnings.push(w.message) });
    expect((await c.showActiveUser()).type).toBe('activeUser');
    await server.close();
    // Sent while the core is down: queued, then written once each on the new connection.
    const queued = [c.showActiveUser(), c.apiListContacts({ userId: 1 }), c.listUsers()];
    await new Promise((r) => setTimeout(r, 200));
    server = await startMockServer(new MockCore(model), { host: '127.0.0.1', port });
    const replies = await Promise.all(queued);
    expect(replies.map((r: any) => r.type)).toEqual(['activeUser', 'contactsList', 'usersList']);
    expect((await c.showActiveUser()).type).toBe('activeUser');
    await c.close();
    await server.close();

    // "reject": commands fail at once while disconnected; after the deadline the client ends.
    server = await startMockServer(new MockCore(model), { host: '127.0.0.1', port });
    const r = await client.ChatClient.connect(`ws://127.0.0.1:${port}`, { WebSocket, reconnect: { initialDelayMs: 20, maxDelayMs: 50, giveUpAfterMs: 300, whileDisconnected: 'reject' } });
    await server.close();
    await new Promise((res) => setTimeout(res, 50));
    await expect(r.showActiveUser()).rejects.toThrow(/not connected/);
    await new Promise((res) => setTimeout(res, 600));
    await expect(r.showActiveUser()).rejects.toThrow(/gave up reconnecting after 300 ms/);
  });

  it('TypeScript: connects when the chat core comes up after the client started; without reconnect, the error carries its cause', async () => {
    const model = buildModel(eraInput('latest')).model;
    const port = await freePort();
    const connecting = client.ChatClient.connect(`ws://127.0.0.1:${port}`, { WebSocket, reconnect: { initialDelayMs: 20, giveUpAfterMs: 5000 } });
    await new Promise((r) => setTimeout(r, 300));
    const server = await startMockServer(new MockCore(model), { host: '127.0.0.1', port });
    const c = await connecting;
    expect((await c.showActiveUser()).type).toBe('activeUser');
    await c.close();
    await server.close();
    const error = await client.ChatClient.connect(`ws://127.0.0.1:${port}`, { WebSocket }).catch((e: Error) => e);
    expect(error.name).toBe('ChatConnectionError');
    expect(error.message).toMatch(/cannot connect to ws:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect((error as { cause?: unknown }).cause).toBeInstanceOf(Error);
  });

  it('TypeScript: close() ends within 1 s against a server that never answers the close handshake; bad options are RangeErrors', async () => {
    const server = silentWebSocketServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
    const c = await client.ChatClient.connect(`ws://127.0.0.1:${port}`, { WebSocket });
    const t = Date.now();
    await c.close();
    const took = Date.now() - t;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(1500);
    server.close();
    for (const options of [{ timeoutMs: Infinity }, { timeoutMs: 2 ** 31 }, { timeoutMs: 0 }, { maxEarlyEvents: 0 }, { reconnect: { maxDelayMs: -1 } }])
      await expect(client.ChatClient.connect(`ws://127.0.0.1:${port}`, { WebSocket, ...options })).rejects.toThrow(RangeError);
  });
});

describe.concurrent('WebSocket in Python: reconnection, waiting for the chat core, deadlines, close, options', () => {
  it('the chat core restarts mid-session; queued commands each get one reply; it comes up late; giving up; close within 1 s; options; causes', async (ctx) => {
    const r = await runChild(requirePythonWebsockets(ctx), ['-c', PY_WS, path.join(dir, 'python'), process.execPath, CLI, specDir], {});
    expect(r.stderr.split('\n').filter((l) => /Traceback|Error:/.test(l))).toEqual([]);
    expect(r.stdout.trim().split('\n')).toEqual([
      'late start: activeUser',
      'after restart: activeUser contactsList usersList',
      'gave up: True',
      'closed within 1 s: True',
      'ValueError ValueError ValueError ValueError',
      'cause: ConnectionRefusedError',
    ]);
  });
});

const PY_WS = String.raw`
import asyncio, socket, subprocess, sys, time, base64, hashlib
sys.path.insert(0, sys.argv[1])
from simplex_api.client import ChatClient, ChatConnectionError
node, cli, spec = sys.argv[2], sys.argv[3], sys.argv[4]

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port

async def mock(port):
    p = await asyncio.create_subprocess_exec(node, cli, "mock", "--port", str(port), "--spec", spec, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    await p.stdout.readline()
    return p

async def stop(p):
    p.terminate()
    await p.wait()

async def main():
    port = free_port()
    url = "ws://127.0.0.1:%d" % port
    connecting = asyncio.ensure_future(ChatClient.connect(url, reconnect={"initial_delay": 0.05, "max_delay": 0.2, "give_up_after": 10}))
    await asyncio.sleep(0.3)
    server = await mock(port)
    client = await connecting
    print("late start:", (await client.show_active_user())["type"])
    await stop(server)
    queued = asyncio.gather(client.show_active_user(), client.api_list_contacts({"userId": 1}), client.list_users())
    await asyncio.sleep(0.3)
    server = await mock(port)
    print("after restart:", " ".join(r["type"] for r in await queued))
    await client.close()

    client = await ChatClient.connect(url, reconnect={"initial_delay": 0.05, "max_delay": 0.1, "give_up_after": 0.3})
    await stop(server)
    await asyncio.sleep(1.0)
    try:
        await client.show_active_user()
    except ChatConnectionError as e:
        print("gave up:", "gave up reconnecting" in str(e))
    await client.close()

    async def silent(reader, writer):
        crlf = bytes([13, 10])
        data = await reader.readuntil(crlf + crlf)
        key = [l.split(b":", 1)[1].strip() for l in data.split(crlf) if l.lower().startswith(b"sec-websocket-key")][0]
        accept = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
        writer.write(crlf.join([b"HTTP/1.1 101 Switching Protocols", b"Upgrade: websocket", b"Connection: Upgrade", b"Sec-WebSocket-Accept: " + accept, b"", b""]))
        await asyncio.sleep(30)
    srv = await asyncio.start_server(silent, "127.0.0.1", 0)
    client = await ChatClient.connect("ws://127.0.0.1:%d" % srv.sockets[0].getsockname()[1])
    t = time.monotonic()
    await client.close()
    print("closed within 1 s:", time.monotonic() - t < 1.5)
    srv.close()

    errors = []
    for options in ({"timeout": float("inf")}, {"timeout": 2**31}, {"max_early_events": 0}, {"reconnect": {"max_delay": -1}}):
        try:
            await ChatClient.connect(url, **options)
        except ValueError:
            errors.append("ValueError")
    print(" ".join(errors))
    try:
        await ChatClient.connect(url)
    except ChatConnectionError as e:
        print("cause:", type(e.__cause__).__name__)

asyncio.run(main())
`;

/** A TCP server that completes the WebSocket handshake and then reads nothing and answers nothing. */
function silentWebSocketServer(): net.Server {
  return net.createServer((socket) => {
    socket.once('data', (data) => {
      const key = /Sec-WebSocket-Key: (.*)\r\n/i.exec(String(data))?.[1]?.trim() ?? '';
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    });
    socket.on('error', () => undefined);
  });
}

describe.concurrent('events exactly once, in bounded buffers', () => {
  it('TypeScript: 5,000 events before anyone listens: the newest 1,000 reach each subscriber of that turn once, 4,000 dropped are counted', async () => {
    // (The contact connects before the client does, so its event is not among them.)
    const core = await createMockCore({ model: buildModel(eraInput('latest')).model });
    const alice = await core.connectContact('alice', 'direct');
    const warnings: string[] = [];
    const c = await client.ChatClient.connect('mock:', { WebSocket: core.WebSocket, onWarning: (w: any) => warnings.push(w.message) });
    for (let i = 0; i < 5000; i++) await alice.send(`m${i}`);
    await new Promise((r) => setTimeout(r, 100));
    const a: string[] = [];
    const b: string[] = [];
    c.on('newChatItems', (e: any) => a.push(e.chatItems[0].chatItem.meta.itemText));
    c.on('newChatItems', (e: any) => b.push(e.chatItems[0].chatItem.meta.itemText));
    const it = c.events();
    await new Promise((r) => setTimeout(r, 50));
    const streamed: string[] = [];
    for (let i = 0; i < 1000; i++) streamed.push((await it.next()).value.type);
    expect(a).toHaveLength(1000);
    expect(a).toEqual(b);
    expect(a[0]).toBe('m4000');
    expect(a.at(-1)).toBe('m4999');
    expect(new Set(streamed)).toEqual(new Set(['newChatItems']));
    expect(warnings).toEqual(['4000 events that came before the first subscriber were dropped (the oldest; 1000 are kept)']);
    // Later subscribers get later events only, each once.
    const late: string[] = [];
    c.on('newChatItems', (e: any) => late.push(e.chatItems[0].chatItem.meta.itemText));
    await alice.send('after');
    await until(() => late.length > 0);
    expect(late).toEqual(['after']);
    expect(a.at(-1)).toBe('after');
    await c.close();
  });

  it('TypeScript: an events() iterator that is not read keeps its newest maxQueuedEvents and says how many it dropped', async () => {
    const core = await createMockCore({ model: buildModel(eraInput('latest')).model });
    const alice = await core.connectContact('alice', 'direct');
    const warnings: string[] = [];
    const c = await client.ChatClient.connect('mock:', { WebSocket: core.WebSocket, maxQueuedEvents: 100, onWarning: (w: any) => warnings.push(w.message) });
    const it = c.events();
    await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 350; i++) await alice.send(`m${i}`);
    await new Promise((r) => setTimeout(r, 200));
    const first = (await it.next()).value;
    expect(first.chatItems[0].chatItem.meta.itemText).toBe('m250');
    expect(warnings[0]).toBe('an events() iterator was not read: 1 events dropped so far (the oldest; 100 are kept)');
    expect(warnings.at(-1)).toBe('an events() iterator was not read: 200 events dropped so far (the oldest; 100 are kept)');
    await c.close();
  });

  it('Python: early events once to each subscriber of the turn (two on() calls and an events() iterator), the dropped counted; a slow iterator bounded', async () => {
    const r = await runChild(python3(), ['-c', PY_EVENTS, path.join(dir, 'python'), specDir], {});
    expect(r.stderr.split('\n').filter((l) => /Error|Traceback/.test(l))).toEqual([]);
    expect(r.stdout.trim().split('\n')).toEqual(['1000 1000 1000', 'm3999 m4998', '4000 events that came before the first subscriber were dropped (the oldest; 1000 are kept)', 'after 1', 'm250', '200']);
  });
});

const PY_EVENTS = String.raw`
import asyncio, sys
sys.path.insert(0, sys.argv[1])
from simplex_api.client import ChatClient
from simplex_api.mock import MockCore

async def main():
    core = await MockCore.start(spec=sys.argv[2])
    alice = await core.connect_contact("alice", via="direct")
    warnings = []
    client = await ChatClient.connect(transport=core.transport(), on_warning=lambda w: warnings.append(w["message"]))
    for i in range(4999):
        await alice.send("m%d" % i)
    await asyncio.sleep(0.3)
    a, b, streamed = [], [], []
    client.on("newChatItems")(lambda e: a.append(e["chatItems"][0]["chatItem"]["meta"]["itemText"]))
    client.on("newChatItems")(lambda e: b.append(e["chatItems"][0]["chatItem"]["meta"]["itemText"]))
    events = client.events()
    for _ in range(1000):
        streamed.append((await events.__anext__())["type"])
    print(len(a), len(b), len(streamed))
    print(a[0], a[-1])
    print("\n".join(warnings))
    await alice.send("after")
    for _ in range(100):
        if a[-1] == "after":
            break
        await asyncio.sleep(0.02)
    print(a[-1], sum(1 for x in a if x == "after"))
    await events.aclose()
    await client.close()
    await core.close()

    core = await MockCore.start(spec=sys.argv[2])
    alice = await core.connect_contact("alice", via="direct")
    warnings.clear()
    client = await ChatClient.connect(transport=core.transport(), max_queued_events=100, on_warning=lambda w: warnings.append(w["message"]))
    events = client.events()
    await asyncio.sleep(0)
    for i in range(350):
        await alice.send("m%d" % i)
    await asyncio.sleep(0.5)
    print((await events.__anext__())["chatItems"][0]["chatItem"]["meta"]["itemText"])
    print(warnings[-1].split(": ")[1].split(" ")[0])
    await events.aclose()
    await client.close()
    await core.close()

asyncio.run(main())
`;
