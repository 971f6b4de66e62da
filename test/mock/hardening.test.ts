/**
 * No frame crashes or stalls the mock chat core: deep, large and odd frames get chatCmdError with the request's
 * corrId (whatever its JSON type) and the connection stays usable; a client that leaves its replies unread is
 * closed (1008); recording failures are reported once while serving goes on; --record paths are checked before
 * listening (MOCK002). The echo keeps only what the chat core would: every answer decodes strictly.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MockCore } from '../../src/mock/core.js';

/** These tests draw commands and scenarios without a world behind them: the core answers from the documents alone. */
const STATELESS = { world: false } as const;
import { startMockServer, type MockServer } from '../../src/mock/server.js';
import type { ApiModel } from '../../src/model/types.js';
import { buildModel } from '../helpers/model.js';
import { joinedParams, paramsUsedOutsideOptional } from '../../src/syntax/ast.js';
import { runCli } from '../helpers/cli.js';
import { CORPUS_MISSING, corpusPresent, eraInput } from '../helpers/corpus.js';
import { Drawer } from '../helpers/draw.js';
import { minimalInput, tempDir, writeSpec } from '../helpers/fixtures.js';
import { generateInto, importTypeScript } from '../helpers/generate.js';

let model: ApiModel;
let ts: Record<string, { cmdString: (p: unknown) => string }>;
let decode: { decodeChatResponse: (v: unknown, o?: { strict?: boolean }) => unknown };

beforeAll(async () => {
  if (!corpusPresent) throw new Error(CORPUS_MISSING);
  const input = eraInput('latest');
  model = buildModel(input).model;
  const g = await generateInto(input, ['typescript']);
  ts = (await importTypeScript(g.dir)) as typeof ts;
  decode = await import(pathToFileURL(path.join(g.dir, 'js', 'decode.js')).href);
});

/** A raw client: send any text or bytes, read replies by corrId (as JSON text, so any corrId type matches). */
class Raw {
  private readonly replies: unknown[] = [];
  private readonly waiting: ((v: unknown) => void)[] = [];
  closed: { code: number; reason: string } | undefined;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const v = JSON.parse(d.toString());
      const w = this.waiting.shift();
      if (w) w(v);
      else this.replies.push(v);
    });
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }
  static connect(port: number): Promise<Raw> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Raw(ws)));
      ws.once('error', reject);
    });
  }
  next(): Promise<{ corrId?: unknown; resp: { type: string; chatError?: { errorType?: { message?: string } } } }> {
    const r = this.replies.shift();
    if (r !== undefined) return Promise.resolve(r as never);
    return new Promise((resolve) => this.waiting.push(resolve as (v: unknown) => void));
  }
  send(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }
  async request(cmd: string, corrId: unknown = 'x'): Promise<{ corrId?: unknown; resp: { type: string; chatError?: { errorType?: { message?: string } } } }> {
    this.send(JSON.stringify({ corrId, cmd }));
    return this.next();
  }
}

describe('the mock chat core under hostile frames', () => {
  let server: MockServer;
  let record: string;
  const recordErrors: string[] = [];
  beforeAll(async () => {
    record = path.join(tempDir('sac-hard-'), 'frames.jsonl');
    server = await startMockServer(new MockCore(model, 1, undefined, STATELESS), { host: '127.0.0.1', port: 0, record, maxFrameBytes: 256 * 1024, onRecordError: (m) => recordErrors.push(m) });
  });
  afterAll(async () => server?.close());

  it('deep, large, unreadable and odd frames get chatCmdError with their corrId, and the connection stays usable', async () => {
    const c = await Raw.connect(server.port);
    const ok = () => c.request('/user', 'ok').then((r) => expect(r).toMatchObject({ corrId: 'ok', resp: { type: expect.not.stringMatching(/^chatCmdError$/) } }));
    // A /_send whose message JSON holds 10,000 nested arrays (20 KB): refused as too deep, not echoed.
    const deep = await c.request(`/_send @1 json ${'['.repeat(10_000)}${']'.repeat(10_000)}`, 'deep');
    expect(deep.corrId).toBe('deep');
    expect(deep.resp.type).toBe('chatCmdError');
    expect(deep.resp.chatError?.errorType?.message).toMatch(/JSON nested at most 512 deep/);
    await ok();
    // A frame nested 5,000 deep, without cmd, while recording.
    c.send(`{"corrId":"nest","x":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(await c.next()).toMatchObject({ corrId: 'nest', resp: { type: 'chatCmdError', chatError: { errorType: { message: 'the frame nests deeper than 512 levels' } } } });
    await ok();
    // Larger than the limit: answered from its head, with its corrId.
    c.send(JSON.stringify({ corrId: 'big', cmd: `/_send @1 json [${'"x",'.repeat(100_000)}"x"]` }));
    expect(await c.next()).toMatchObject({ corrId: 'big', resp: { type: 'chatCmdError', chatError: { errorType: { message: expect.stringMatching(/bytes: at most 262144 are read/) } } } });
    await ok();
    // corrIds of every JSON type come back as they were sent.
    for (const corrId of [7, { a: 1 }, ['x'], true, null, '']) expect((await c.request('/user', corrId)).corrId).toEqual(corrId);
    // 2,000 ids, not JSON, binary with invalid UTF-8, a JSON that is not an object.
    expect(await c.request(`/_delete member item #1 ${Array.from({ length: 2000 }, (_, i) => i + 1).join(',')}`, 'ids')).toMatchObject({ corrId: 'ids' });
    c.send('{"corrId":"bad", "cmd": nope');
    expect(await c.next()).toMatchObject({ corrId: 'bad', resp: { type: 'chatCmdError' } });
    c.send(Buffer.from([0xff, 0xfe, 0x7b]), true);
    expect(await c.next()).toMatchObject({ resp: { type: 'chatCmdError' } });
    c.send('[1,2,3]');
    expect(await c.next()).toMatchObject({ resp: { type: 'chatCmdError' } });
    await ok();
    expect(c.closed).toBeUndefined();
    c.ws.close();
    // Everything was recorded, one JSON line a frame; no recording error.
    const lines = readFileSync(record, 'utf8').trim().split('\n');
    for (const l of lines) JSON.parse(l);
    expect(lines.length).toBeGreaterThan(20);
    expect(recordErrors).toEqual([]);
  });

  it('one client’s adversarial frames do not stall another’s round trips', async () => {
    const attacker = await Raw.connect(server.port);
    const victim = await Raw.connect(server.port);
    // The shapes that once read in super-linear time (12 KB of `/_connect 1 a a a …` took 88 s), at 12-40 KB each.
    const hostile = [
      `/_connect 1 ${'a '.repeat(20_000)}`,
      `/_groups 1 @1 ${'@1 '.repeat(10_000)}`,
      `/_send @1 json [${'{"msgContent":{"type":"text","text":"a b"},"mentions":{}},'.repeat(300)}{}]`,
      `/_delete member item #1 ${'1,'.repeat(10_000)}1`,
      `/freceive 1 ${' approved_relays=on'.repeat(1_000)}`,
      `/_connect 1 ${'a'.repeat(12_000)} ${'b '.repeat(6_000)}`,
    ];
    let sending = true;
    const flood = (async () => {
      for (let i = 0; sending; i++) await attacker.request(hostile[i % hostile.length]!, i);
    })();
    const rtts: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t = performance.now();
      await victim.request('/users', i);
      rtts.push(performance.now() - t);
    }
    sending = false;
    await flood;
    rtts.sort((a, b) => a - b);
    const p99 = rtts[Math.floor(rtts.length * 0.99) - 1]!;
    console.log(`mock under adversarial frames: victim round trip median ${rtts[rtts.length >> 1]!.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    // 100 ms on a quiet machine; the test allows for a loaded CI machine, far from the 9.9 s seen before.
    expect(p99).toBeLessThan(500);
    attacker.ws.close();
    victim.ws.close();
  });

  it('a client that leaves its replies unread is closed with 1008 before the server’s memory grows', async () => {
    const small = await startMockServer(new MockCore(model, 1, undefined, STATELESS), { host: '127.0.0.1', port: 0, maxUnreadBytes: 512 * 1024 });
    try {
      const c = await Raw.connect(small.port);
      // Stop reading at the socket: replies pile up in the server.
      (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
      const text = 'y'.repeat(200_000);
      const cmd = JSON.stringify({ corrId: 'p', cmd: `/_send @1 json [{"msgContent":{"type":"text","text":"${text}"},"mentions":{}}]` });
      for (let i = 0; i < 200; i++) c.ws.send(cmd);
      await new Promise((r) => setTimeout(r, 1500));
      (c.ws as unknown as { _socket: { resume(): void } })._socket.resume();
      // The close arrives once the socket reads again (waited for, not timed: a loaded machine takes longer).
      for (let waited = 0; !c.closed && waited < 20_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
      expect(c.closed).toEqual({ code: 1008, reason: expect.stringMatching(/bytes of replies left unread/) });
    } finally {
      await small.close();
    }
  });

  it('echoes only what the chat core would keep: a strict client decodes every answer to drawn commands with extra keys', async () => {
    const c = await Raw.connect(server.port);
    const drawer = new Drawer(model);
    const addExtra = (v: unknown, depth = 0): unknown => {
      if (Array.isArray(v)) return v.map((x) => addExtra(x, depth + 1));
      if (v && typeof v === 'object') return { ...Object.fromEntries(Object.entries(v).map(([k, x]) => [k, addExtra(x, depth + 1)])), undocumentedKey: depth };
      return v;
    };
    let n = 0;
    for (const cmd of model.commands) {
      const ast = cmd.syntax.ast!;
      const arb = drawer.record(cmd.params ?? [], 0, { nonEmpty: new Set(joinedParams(ast)), alwaysPresent: paramsUsedOutsideOptional(ast) });
      for (const x of fc.sample(arb, { numRuns: 3, seed: 11 })) {
        // Extra keys inside JSON parameters only (str() parameters are written by their syntax).
        const withExtra = Object.fromEntries(Object.entries(x).map(([k, v]) => [k, ast && JSON.stringify(ast).includes(`"name":"${k}","form":"json"`) ? addExtra(v) : v]));
        const r = await c.request(ts[cmd.name]!.cmdString(withExtra), n++);
        expect(() => decode.decodeChatResponse(r.resp, { strict: true }), `${cmd.name}: ${JSON.stringify(r.resp).slice(0, 300)}`).not.toThrow();
      }
    }
    expect(n).toBeGreaterThan(100);
    c.ws.close();
  });

  it('recording that fails while serving is reported once; the server keeps serving', async () => {
    const errors: string[] = [];
    const full = await startMockServer(new MockCore(model, 1, undefined, STATELESS), { host: '127.0.0.1', port: 0, record: '/dev/full', onRecordError: (m) => errors.push(m) });
    try {
      const c = await Raw.connect(full.port);
      for (let i = 0; i < 3; i++) expect((await c.request('/user', i)).corrId).toBe(i);
      expect(errors).toEqual([expect.stringMatching(/^recording to \/dev\/full stopped: ENOSPC/)]);
      c.ws.close();
    } finally {
      await full.close();
    }
  });

  it('--record that names a directory, a missing directory, a FIFO or a link is MOCK002 before listening (exit 2)', async () => {
    const base = tempDir('sac-rec-');
    const spec = writeSpec(path.join(base, 'spec'), minimalInput().texts);
    mkdirSync(path.join(base, 'dir'));
    execFileSync('mkfifo', [path.join(base, 'fifo')]);
    writeFileSync(path.join(base, 'target.jsonl'), '');
    symlinkSync(path.join(base, 'target.jsonl'), path.join(base, 'link.jsonl'));
    const cases: [string, RegExp][] = [
      ['dir', /is a directory/],
      ['missing/frames.jsonl', /does not exist/],
      ['fifo', /not a regular file/],
      ['link.jsonl', /is a symbolic link/],
    ];
    for (const [name, message] of cases) {
      const r = await runCli(['mock', '--spec', spec, '--port', '0', '--record', path.join(base, name)], base);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(/error MOCK002: --record: /);
      expect(r.stderr, name).toMatch(message);
    }
  });
});
