/**
 * The runtime fails only with its documented errors: decoders and parsers reject values nested deeper than 512
 * (DecodeError / CommandParseError with its place) in both languages, and odd values (BigInt, functions) are
 * DecodeErrors, never TypeError or RangeError; the clients survive frames they cannot read (a reply rejects
 * only its own call, an event goes to onError / on_error, the connection keeps working), early events reach
 * each subscriber once, and a timeout must be a usable number.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { Sampler } from '../../src/mock/sample.js';
import { buildModel } from '../helpers/model.js';
import { DecodeError, decodeWith, type Schema } from '../../src/runtime/decoder.js';
import { decodeSchemaOf } from '../../src/runtime/tables.js';
import { CORPUS_MISSING, corpusPresent, eraInput } from '../helpers/corpus.js';
import { runChild } from '../helpers/child.js';
import { compileTypeScript, generateInto } from '../helpers/generate.js';
import { requirePythonWebsockets } from '../helpers/optionalTools.js';
import { python3 } from '../helpers/python.js';

const run = (command: string, args: string[], input = '') => runChild(command, args, { input });

/** A recursive type: each level of `next` nests one deeper. */
const LIST: Schema = { types: { Node: { kind: 'record', fields: [['next', ['opt', ['ref', 'Node']], true], ['n', 'int', false]] } }, responses: {}, events: {} };
const nested = (depth: number): unknown => {
  let v: Record<string, unknown> = { n: 0 };
  for (let i = 1; i < depth; i++) v = { n: i, next: v };
  return v;
};

let dir: string;
let client: { ChatClient: { connect(url: string, o: object): Promise<any> }; ChatConnectionError: new () => Error };
let parse: { parseCommand: (s: string) => unknown; CommandParseError: new () => Error };

beforeAll(async () => {
  if (!corpusPresent) throw new Error(CORPUS_MISSING);
  const g = await generateInto(eraInput('latest'), ['typescript', 'python']);
  dir = g.dir;
  const js = path.join(g.dir, 'js');
  expect(compileTypeScript(g.dir, js, ['client.ts', 'parse.ts'].map((f) => path.join(g.dir, 'typescript', f))).output).toBe('');
  client = await import(pathToFileURL(path.join(js, 'client.js')).href);
  parse = await import(pathToFileURL(path.join(js, 'parse.js')).href);
});

describe('decoders and parsers at any depth and with odd values', () => {
  it('TypeScript: deeper than 512 is a DecodeError at its path; BigInt, functions and symbols are DecodeErrors', () => {
    expect(() => decodeWith(LIST, ['ref', 'Node'], nested(256))).not.toThrow();
    for (const depth of [600, 5_000, 100_000]) {
      const e = (() => {
        try {
          decodeWith(LIST, ['ref', 'Node'], nested(depth));
        } catch (x) {
          return x;
        }
      })();
      expect(e, String(depth)).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).expected).toBe('a value nested at most 512 deep');
      expect((e as DecodeError).path).toMatch(/^\$(\.next){513}$/);
    }
    // Property: whatever value, only DecodeError comes out.
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.bigInt(), fc.func(fc.integer()), fc.constant(Symbol('s'))), (v) => {
        for (const start of [['ref', 'Node'] as const, 'int' as const, 'string' as const])
          try {
            decodeWith(LIST, start, v);
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
          }
      }),
      { numRuns: 2000, seed: 23 },
    );
    expect(() => decodeWith(LIST, ['ref', 'Node'], { n: 10n })).toThrow(/\$\.n: expected an integer, found bigint 10n/);
  });

  it('Python: the same limit and place, no RecursionError', async () => {
    const r = await run(python3(), [
      '-c',
      `import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(dir, 'python'))})
from simplex_api.decode import decode_with, DecodeError
schema = json.loads(sys.stdin.read())
def nested(depth):
    v = {"n": 0}
    for i in range(1, depth):
        v = {"n": i, "next": v}
    return v
decode_with(schema, ["ref", "Node"], nested(256))
for depth in (600, 5000, 100000):
    try:
        decode_with(schema, ["ref", "Node"], nested(depth))
        print("accepted")
    except DecodeError as e:
        print(e.expected, e.path == "$" + ".next" * 513)
print(sys.getrecursionlimit())`,
    ], JSON.stringify(LIST));
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual([...Array(3).fill('a value nested at most 512 deep True'), '1000']);
  });

  it('Python: odd values (sets, bytes, objects, keys that are not strings, NaN, huge integers, deep lists) are DecodeErrors or accepted, never another error', async () => {
    const r = await run(python3(), [
      '-c',
      `import math, random, sys
sys.path.insert(0, ${JSON.stringify(path.join(dir, 'python'))})
from simplex_api.decode import decode_chat_event, decode_chat_response, decode_type, DecodeError
class Odd:
    def __eq__(self, other): raise RuntimeError("no")
    def __hash__(self): return 1
deep = []
for _ in range(5000):
    deep = [deep]
odd = [set([1]), b"x", bytearray(b"y"), Odd(), object(), {1: 2}, {1.5: "x"}, {(1, 2): 3}, {True: 1}, math.nan, math.inf, 10**400, deep, lambda: 1, {"type": Odd()}, {"type": "newChatItems", "chatItems": [Odd()]}, {"type": "newChatItems", "user": {1: 2}, "chatItems": deep}]
rng = random.Random(7)
kinds = ["ChatItem", "Contact", "GroupInfo", "MsgContent", "ChatInfo", "User"]
other = 0
for i in range(3000):
    v = rng.choice(odd)
    if rng.random() < 0.5:
        v = {"type": rng.choice(["newChatItems", "contactConnected", "chatCmdError", "x"]), rng.choice(["chatItems", "contact", "user", "chatError"]): v}
    for f in (lambda x: decode_chat_event(x, strict=rng.random() < 0.5), decode_chat_response, lambda x: decode_type(rng.choice(kinds), x)):
        try:
            f(v)
        except DecodeError:
            pass
        except Exception as e:
            other += 1
            print(type(e).__name__, e, file=sys.stderr)
print(other)`,
    ]);
    expect(r.stderr.split('\n').slice(0, 5).join('\n')).toBe('');
    expect(r.stdout.trim()).toBe('0');
  });

  it('parsers: a JSON parameter nested deeper than 512 is CommandParseError "limit", in both languages', async () => {
    const texts = [`/_send @1 json ${'['.repeat(600)}${']'.repeat(600)}`, `/_send @1 json ${'['.repeat(100_000)}${']'.repeat(100_000)}`, `/_send @1 json ${'['.repeat(500)}${']'.repeat(500)}`];
    const ts = texts.map((t) => {
      try {
        return (parse.parseCommand(t) as { command: string }).command;
      } catch (e) {
        if (!(e instanceof parse.CommandParseError)) throw e;
        return `${(e as unknown as { reason: string }).reason} ${(e as unknown as { column: number }).column}`;
      }
    });
    expect(ts).toEqual(['limit 16', 'limit 16', 'APISendMessages']);
    // Beside 600 values whose strings hold brackets, quotes and backslashes: the limit is where it was.
    const siblings = Array.from({ length: 600 }, (_, i) => `{"k${i}\\\\":"[{\\"${i}"}`).join(',');
    const payload = (d: number) => `[${siblings},${'['.repeat(d - 1)}"x[{"${']'.repeat(d - 1)}]`;
    for (const d of [3, 16, 17, 512, 513]) expect(JSON.parse(payload(d))).toBeTruthy();
    texts.push(...[3, 16, 17, 512, 513].map((d) => `/_send @1 json ${payload(d)}`));
    ts.push(...texts.slice(3).map((t) => {
      try {
        return (parse.parseCommand(t) as { command: string }).command;
      } catch (e) {
        return `${(e as { reason: string }).reason} ${(e as { column: number }).column}`;
      }
    }));
    expect(ts.slice(3)).toEqual(['APISendMessages', 'APISendMessages', 'APISendMessages', 'APISendMessages', 'limit 16']);
    const py = await run(python3(), [
      '-c',
      `import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(dir, 'python'))})
from simplex_api.parse import parse_command, CommandParseError
for t in json.loads(sys.stdin.read()):
    try:
        print(parse_command(t)["command"])
    except CommandParseError as e:
        print(e.reason, e.column)`,
    ], JSON.stringify(texts));
    expect(py.stderr).toBe('');
    expect(py.stdout.trim().split('\n')).toEqual(ts);
  });

  it("Python measures a JSON text's depth by its brackets exactly: 3,000 drawn values with bracketed, escaped and non-ASCII strings", async () => {
    const py = await run(python3(), [
      '-c',
      `import json, random, sys
sys.path.insert(0, ${JSON.stringify(path.join(dir, 'python'))})
from simplex_api._parser_values import _bracket_depth
random.seed(20261203)
def draw(d):
    if d == 0 or random.random() < 0.3:
        return random.choice([1, "a\\"[{", "\\\\", None, "x]", "\u65e5}", ""])
    if random.random() < 0.5:
        return [draw(d - 1) for _ in range(random.randint(0, 3))]
    return {"k\\\\\\"%d" % i: draw(d - 1) for i in range(random.randint(0, 3))}
def depth(x):
    if isinstance(x, list):
        return 1 + max([depth(y) for y in x], default=0)
    if isinstance(x, dict):
        return 1 + max([depth(y) for y in x.values()], default=0)
    return 0
wrong = 0
for _ in range(3000):
    x = draw(random.randint(0, 14))
    got = _bracket_depth(json.dumps(x, ensure_ascii=random.random() < 0.5))
    if got != (depth(x) if depth(x) <= 16 else None):
        wrong += 1
print(wrong)`,
    ], '');
    expect(py.stderr).toBe('');
    expect(py.stdout.trim()).toBe('0');
  });
});

describe('clients survive frames they cannot read', () => {
  // A chat core that answers each command with one bad frame first, then the real reply, and that sends events.
  let server: WebSocketServer;
  let port: number;
  const reply = (corrId: string) => JSON.stringify({ corrId, resp: { type: 'usersList', users: [] } });
  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (ws) => {
      ws.on('message', (data) => {
        const { corrId, cmd } = JSON.parse(data.toString()) as { corrId: string; cmd: string };
        if (cmd === '/users deep') ws.send(JSON.stringify({ corrId, resp: { type: 'usersList', users: nested(300) } }));
        else if (cmd === '/users bad') {
          ws.send('['.repeat(100_000));
          ws.send(Buffer.from([0xff, 0xfe, 0x00, 0x7b]), { binary: true });
          ws.send('"just a string"');
          ws.send(JSON.stringify({ resp: { type: 'contactConnected', contact: 5 } }));
          ws.send(JSON.stringify({ resp: nested(3000) }));
          ws.send(reply(corrId));
        } else ws.send(reply(corrId));
      });
    });
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server.close());

  it('TypeScript: a bad reply rejects its own call; bad frames and events go to onError; later calls work', async () => {
    const errors: string[] = [];
    const c = await client.ChatClient.connect(`ws://127.0.0.1:${port}`, { WebSocket, onError: (e: Error) => errors.push(e.name) });
    const deep = await c.send('/users deep').catch((e: Error) => e);
    expect(deep).toMatchObject({ name: 'DecodeError' });
    expect(await c.send('/users bad')).toEqual({ type: 'usersList', users: [] });
    expect(errors).toEqual(['ChatConnectionError', 'ChatConnectionError', 'ChatConnectionError', 'DecodeError', 'DecodeError']);
    expect(await c.listUsers()).toEqual({ type: 'usersList', users: [] });
    await c.close();
  });

  // Python's json cannot read 3,000 levels at all: that frame is "not JSON (nested too deep)" there.
  it('Python: the same, and the reader keeps running', async (ctx) => {
    const r = await run(requirePythonWebsockets(ctx), [
      '-c',
      `import asyncio, sys
sys.path.insert(0, ${JSON.stringify(path.join(dir, 'python'))})
from simplex_api.client import ChatClient
async def main():
    errors = []
    client = await ChatClient.connect("ws://127.0.0.1:${port}", on_error=lambda e: errors.append(type(e).__name__))
    try:
        await client.send("/users deep")
        print("accepted")
    except Exception as e:
        print(type(e).__name__)
    print((await client.send("/users bad"))["type"])
    print(",".join(errors))
    print((await client.list_users())["type"])
    await client.close()
asyncio.run(main())`,
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['DecodeError', 'usersList', 'ChatConnectionError,ChatConnectionError,ChatConnectionError,DecodeError,ChatConnectionError', 'usersList']);
  });

  it('early events reach each subscriber once; a timeout must be a positive number below 2^31 ms', async (ctx) => {
    const sampler = new Sampler(decodeSchemaOf(buildModel(eraInput('latest')).model), 5);
    const drawn = [0, 1, 2].map(() => JSON.stringify({ resp: sampler.event('contactConnected') }));
    const events = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    events.on('connection', (ws) => {
      for (const frame of drawn) ws.send(frame);
    });
    await new Promise((resolve) => events.once('listening', resolve));
    const p = (events.address() as { port: number }).port;
    try {
      const c = await client.ChatClient.connect(`ws://127.0.0.1:${p}`, { WebSocket, onError: () => {} });
      await new Promise((r) => setTimeout(r, 300));
      const seen: string[] = [];
      c.on('contactConnected', () => seen.push('a'));
      c.on('newChatItems', () => seen.push('b'));
      c.on('contactConnected', () => seen.push('c'));
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toEqual(['a', 'c', 'a', 'c', 'a', 'c']);
      await c.close();
      for (const timeoutMs of [Infinity, 2 ** 31, 0, -1, Number.NaN])
        await expect(client.ChatClient.connect(`ws://127.0.0.1:${p}`, { WebSocket, timeoutMs })).rejects.toThrow(RangeError);
      const py = await run(requirePythonWebsockets(ctx), [
        '-c',
        `import asyncio, sys
sys.path.insert(0, ${JSON.stringify(path.join(dir, 'python'))})
from simplex_api.client import ChatClient
async def main():
    client = await ChatClient.connect("ws://127.0.0.1:${p}")
    await asyncio.sleep(0.3)
    seen = []
    client.on("contactConnected")(lambda e: seen.append("a"))
    client.on("contactConnected")(lambda e: seen.append("c"))
    await asyncio.sleep(0.05)
    print("".join(seen))
    await client.close()
    for t in (float("inf"), 2**31 / 1000, 0, -1):
        try:
            await ChatClient.connect("ws://127.0.0.1:${p}", timeout=t)
            print("accepted")
        except ValueError:
            print("ValueError")
asyncio.run(main())`,
      ]);
      expect(py.stderr).toBe('');
      expect(py.stdout.trim().split('\n')).toEqual(['acacac', 'ValueError', 'ValueError', 'ValueError', 'ValueError']);
    } finally {
      events.close();
    }
  });
});
