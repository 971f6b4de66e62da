/**
 * The generated clients end to end, against the mock chat core, for every era: a bot in each language calls every
 * command with drawn parameters and gets its typed response; a scenario's message event gets a reply whose frame
 * the mock recorded; ChatCmdError becomes ChatCommandError; a dropped connection rejects pending calls. tsc
 * --strict and pyright (pinned) check the clients and the bots; a type test proves the narrowing; the README's
 * echo bots run exactly as printed.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { pyMethodName, tsMethodName } from '../../src/emit/clientNames.js';
import { TsNames } from '../../src/emit/typescript/tsNames.js';
import { MockCore } from '../../src/mock/core.js';
import { requirePythonWebsockets } from '../helpers/optionalTools.js';
import { readmeBlock } from '../helpers/readme.js';
import type { TestContext } from 'vitest';
import { checkedRun } from '../helpers/sharedCheck.js';
import { eraSweep } from '../helpers/tier.js';
import { python3 } from '../helpers/python.js';

/** These tests draw commands and scenarios without a world behind them: the core answers from the documents alone. */
const STATELESS = { world: false } as const;
import { loadScenario } from '../../src/mock/scenario.js';
import { startMockServer } from '../../src/mock/server.js';
import type { ApiModel } from '../../src/model/types.js';
import { buildModel } from '../helpers/model.js';
import { readSpecDir } from '../../src/parse/loadSpec.js';
import { joinedParams, paramsUsedOutsideOptional } from '../../src/syntax/ast.js';
import { CORPUS_MISSING, corpusPresent, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { runChild } from '../helpers/child.js';
import { Drawer } from '../helpers/draw.js';
import { tempDir } from '../helpers/fixtures.js';
import { compileTypeScript, generateInto, runPyright } from '../helpers/generate.js';
import type { SpecInput } from '../../src/parse/loadSpec.js';

const TS_CLIENT_FILES = ['client.ts'];

const run = (command: string, args: string[], env: Record<string, string> = {}, cwd?: string) => runChild(command, args, { env, ...(cwd === undefined ? {} : { cwd }) });


/** Drawn parameters for every command of a model, a few each. */
function drawnCalls(model: ApiModel, runs: number): { command: string; params: Record<string, unknown> }[] {
  const drawer = new Drawer(model);
  return model.commands.flatMap((c) => {
    const ast = c.syntax.ast!;
    const arb = drawer.record(c.params ?? [], 0, { nonEmpty: new Set(joinedParams(ast)), alwaysPresent: paramsUsedOutsideOptional(ast) });
    return fc.sample(arb, { numRuns: runs, seed: 31 }).map((params) => ({ command: c.name, params }));
  });
}

/** A TypeScript bot that calls every method, each result typed as the command's documented responses. */
function tsBot(model: ApiModel): string {
  const names = new TsNames(model);
  const calls = model.commands.map((c) => {
    const id = names.command(c.name);
    return `  if (call.command === ${JSON.stringify(c.name)}) {\n    const r: Exclude<CC.${id}.Response, CR.ChatCmdError> = await client.${tsMethodName(c.name)}(call.params as CC.${id});\n    return r.type;\n  }`;
  });
  return `import { ChatClient, ChatCommandError, type WebSocketConstructor } from "../typescript/client.js";
import type * as CC from "../typescript/commands.js";
import type { CR } from "../typescript/responses.js";

async function one(client: ChatClient, call: { command: string; params: object }): Promise<string> {
${calls.join('\n')}
  throw new Error("no such command: " + call.command);
}

export async function callAll(url: string, WebSocket: WebSocketConstructor, calls: { command: string; params: object }[]): Promise<string[]> {
  const client = await ChatClient.connect(url, { WebSocket, strict: true });
  const out: string[] = [];
  for (const call of calls) {
    try {
      out.push(await one(client, call));
    } catch (e) {
      if (!(e instanceof ChatCommandError)) throw e;
      out.push("ChatCommandError " + e.command + " " + e.response.type);
    }
  }
  await client.close();
  return out;
}
`;
}

/** The same bot in Python: every method called by name (pyright checks each call). */
function pyBot(model: ApiModel, url: string): string {
  const calls = model.commands.map((c) => `    if command == ${JSON.stringify(c.name)}:
        return (await client.${pyMethodName(c.name)}(params))["type"]`);
  return `import asyncio, json, sys
from typing import Any, Dict, List
from simplex_api.client import ChatClient, ChatCommandError


async def one(client: ChatClient, command: str, params: Any) -> str:
${calls.join('\n')}
    raise ValueError("no such command: " + command)


async def main() -> None:
    calls: List[Dict[str, Any]] = json.loads(sys.stdin.read())
    out: List[str] = []
    async with await ChatClient.connect(${JSON.stringify(url)}, strict=True) as client:
        for call in calls:
            try:
                out.append(await one(client, call["command"], call["params"]))
            except ChatCommandError as e:
                out.append("ChatCommandError %s %s" % (e.command, e.response["type"]))
    print(json.dumps(out))

asyncio.run(main())
`;
}

async function eraEndToEnd(input: SpecInput, label: string, ctx: TestContext): Promise<void> {
  const model = buildModel(input).model;
  const g = await generateInto(input, ['typescript', 'python']);
  const botDir = path.join(g.dir, 'bot');
  mkdirSync(botDir);
  writeFileSync(path.join(botDir, 'bot.ts'), tsBot(model));
  const js = path.join(g.dir, 'js');
  const tsc = compileTypeScript(g.dir, js, [path.join(botDir, 'bot.ts'), ...TS_CLIENT_FILES.map((f) => path.join(g.dir, 'typescript', f))]);
  expect(tsc.output, `${label}: tsc`).toBe('');
  const pyright = runPyright(g.dir);
  expect(pyright.output, `${label}: pyright`).toMatch(/0 errors, 0 warnings/);

  const core = new MockCore(model, 11, undefined, STATELESS);
  const server = await startMockServer(core, { host: '127.0.0.1', port: 0 });
  try {
    const url = `ws://127.0.0.1:${server.port}`;
    const calls = drawnCalls(model, 2);
    const { callAll } = (await import(pathToFileURL(path.join(js, 'bot', 'bot.js')).href)) as { callAll: (url: string, ws: unknown, calls: object[]) => Promise<string[]> };
    const tsResults = await callAll(url, WebSocket, calls);
    // The mock answers each command with its first documented non-error response; an ambiguous string gets an error.
    calls.forEach((call, i) => {
      const c = model.commands.find((x) => x.name === call.command)!;
      const first = c.responses.find((r) => r.tag !== 'chatCmdError')!.tag;
      expect([first, `ChatCommandError ${c.name} chatCmdError`], `${label} ${c.name}`).toContain(tsResults[i]);
    });
    const typed = tsResults.filter((r) => !r.startsWith('ChatCommandError')).length;
    const python = requirePythonWebsockets(ctx);
    const botPy = path.join(g.dir, 'python', 'bot.py');
    writeFileSync(botPy, pyBot(model, url));
    const checked = checkedRun(path.join(REPO_ROOT, 'node_modules/.bin/pyright'), ['--pythonversion', '3.11', botPy], path.join(g.dir, 'python'));
    expect(checked.stdout, `${label}: pyright on the bot`).toMatch(/0 errors, 0 warnings/);
    const py = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(python, [botPy], { stdio: ['pipe', 'pipe', 'pipe'], cwd: path.join(g.dir, 'python') });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
      child.stdin.end(JSON.stringify(calls));
    });
    expect(py.stderr, `${label}: python`).toBe('');
    // The two clients give the same typed responses for the same calls.
    expect(JSON.parse(py.stdout)).toEqual(tsResults);
    console.log(`clients ${label}: ${calls.length} calls of ${model.commands.length} commands, ${typed} typed responses, ${calls.length - typed} ChatCommandError (ambiguous strings); Python agrees`);
  } finally {
    await server.close();
  }
}

describe('generated clients, end to end against the mock chat core', () => {
  for (const era of eraSweep(['seed', 'mid', 'latest'] as const))
    it(`${era} era: a bot in each language calls every command and gets its typed response`, async (ctx) => {
      if (!corpusPresent) throw new Error(CORPUS_MISSING);
      await eraEndToEnd(eraInput(era), era, ctx);
    });

  it('a scenario’s message event gets a reply; ChatCmdError rejects as ChatCommandError; a dropped connection rejects pending calls', async (ctx) => {
    if (!corpusPresent) throw new Error(CORPUS_MISSING);
    const input = eraInput('latest');
    const model = buildModel(input).model;
    const g = await generateInto(input, ['typescript', 'python']);
    const js = path.join(g.dir, 'js');
    expect(compileTypeScript(g.dir, js, TS_CLIENT_FILES.map((f) => path.join(g.dir, 'typescript', f))).output).toBe('');
    const { ChatClient, ChatCommandError, ChatConnectionError } = await import(pathToFileURL(path.join(js, 'client.js')).href);

    const scenario = path.join(g.dir, 'scenario.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        onConnect: [{ type: 'newChatItems', chatItems: [{ chatInfo: { type: 'direct', contact: { contactId: 77 } }, chatItem: { content: { type: 'rcvMsgContent', msgContent: { type: 'text', text: 'hello bot' } } } }] }],
        rules: [{ command: 'ShowActiveUser', respond: { type: 'chatCmdError', chatError: { type: 'error', errorType: { type: 'noActiveUser' } } } }],
      }),
    );
    const base = new MockCore(model, 3, undefined, STATELESS);
    const core = new MockCore(model, 3, loadScenario(scenario, 'scenario.json', base).scenario!, STATELESS);
    const record = path.join(g.dir, 'frames.jsonl');
    const server = await startMockServer(core, { host: '127.0.0.1', port: 0, record });
    try {
      const client = await ChatClient.connect(`ws://127.0.0.1:${server.port}`, { WebSocket, strict: true });
      // The event arrives; the bot replies to it.
      const replied = new Promise<void>((resolve, reject) => {
        client.on('newChatItems', (event: { chatItems: { chatInfo: { contact: { contactId: number } }; chatItem: { content: { msgContent: unknown } } }[] }) => {
          const item = event.chatItems[0]!;
          client
            .apiSendMessages({ sendRef: { chatType: 'direct', chatId: item.chatInfo.contact.contactId }, liveMessage: false, signMessages: false, composedMessages: [{ msgContent: item.chatItem.content.msgContent, mentions: {} }] })
            .then(() => resolve(), reject);
        });
      });
      await replied;
      const frames = readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { dir: string; frame: { cmd?: string } });
      expect(frames.filter((f) => f.dir === 'in').map((f) => f.frame.cmd)).toEqual(['/_send @77 json [{"msgContent":{"type":"text","text":"hello bot"},"mentions":{}}]']);
      // ChatCmdError: ChatCommandError with the command, its string and the response.
      const error = await client.showActiveUser().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChatCommandError);
      expect(error).toMatchObject({ command: 'ShowActiveUser', commandString: '/user', response: { type: 'chatCmdError', chatError: { errorType: { type: 'noActiveUser' } } } });
      await client.close();
      await expect(client.showActiveUser()).rejects.toBeInstanceOf(ChatConnectionError);
    } finally {
      await server.close();
    }

    // A chat core that takes commands and drops the connection: pending calls reject, in both languages.
    const silent = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    silent.on('connection', (ws) => ws.on('message', () => setTimeout(() => ws.terminate(), 50)));
    await new Promise((resolve) => silent.once('listening', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const client = await ChatClient.connect(`ws://127.0.0.1:${port}`, { WebSocket });
      const pending = [client.showActiveUser(), client.listUsers()];
      for (const p of pending) await expect(p).rejects.toBeInstanceOf(ChatConnectionError);
      const py = await run(requirePythonWebsockets(ctx), [
        '-c',
        `import asyncio, sys
sys.path.insert(0, ${JSON.stringify(path.join(g.dir, 'python'))})
from simplex_api.client import ChatClient, ChatConnectionError
async def main():
    client = await ChatClient.connect("ws://127.0.0.1:${port}")
    results = await asyncio.gather(client.show_active_user(), client.list_users(), return_exceptions=True)
    print(",".join(type(r).__name__ for r in results))
    await client.close()
asyncio.run(main())`,
      ]);
      expect(py.stderr).toBe('');
      expect(py.stdout.trim()).toBe('ChatConnectionError,ChatConnectionError');
    } finally {
      silent.close();
    }
  });

  it('a command whose method would be one of the client’s own, or another command’s, is CLIENT001; Connect is fine', async () => {
    const { minimalInput } = await import('../helpers/fixtures.js');
    const extra = (name: string) => `\n\n### ${name}\n\n${name}.\n\n**Syntax**:\n\n\`\`\`\n/${name.toLowerCase()}\n\`\`\`\n\n**Response**:\n\nCmdOk: Ok.\n- type: "cmdOk"\n\n---\n`;
    const spec = buildModel(minimalInput({ COMMANDS: (t) => t + extra('Send') + extra('Connect') + extra('ApiDeleteChat') }));
    const { emitAll, DEFAULT_OPTIONS } = await import('../../src/generate.js');
    const emitted = await emitAll(spec, { ...DEFAULT_OPTIONS, targets: ['typescript', 'python'] });
    const found = emitted.diagnostics.filter((d) => d.code === 'CLIENT001').map((d) => `${d.line}: ${d.message}`);
    expect(found).toEqual([
      expect.stringMatching(/: command Send: its TypeScript client method "send" would take the name of the TypeScript ChatClient's own "send"$/),
      expect.stringMatching(/: command ApiDeleteChat: its TypeScript client method "apiDeleteChat" would take the name of the method of APIDeleteChat$/),
      expect.stringMatching(/: command Send: its Python client method "send" would take the name of the Python ChatClient's own "send"$/),
      expect.stringMatching(/: command ApiDeleteChat: its Python client method "api_delete_chat" would take the name of the method of APIDeleteChat$/),
    ]);
  });

  it('a type test: apiSendMessages resolves to CR.NewChatItems, not ChatResponse; on() narrows its handler', async () => {
    if (!corpusPresent) throw new Error(CORPUS_MISSING);
    const g = await generateInto(eraInput('latest'), ['typescript']);
    const test = path.join(g.dir, 'bot', 'types.ts');
    mkdirSync(path.dirname(test));
    writeFileSync(
      test,
      `import type { ChatClient } from "../typescript/client.js";
import type { ChatResponse, CR } from "../typescript/responses.js";
import type { CEvt } from "../typescript/events.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Sent = Awaited<ReturnType<ChatClient["apiSendMessages"]>>;
export const narrowed: Equal<Sent, CR.NewChatItems> = true;
// @ts-expect-error the documented response, not every response
export const wide: Equal<Sent, ChatResponse> = true;
export function handler(client: ChatClient): void {
  client.on("newChatItems", (event) => {
    const e: CEvt.NewChatItems = event;
    void e;
  });
}
`,
    );
    const r = compileTypeScript(g.dir, undefined, [test, path.join(g.dir, 'typescript', 'client.ts')]);
    expect(r.output).toBe('');
    // And the check can fail: the same assertion about another command is an error.
    writeFileSync(test, readFileSync(test, 'utf8').replace('export const narrowed: Equal<Sent, CR.NewChatItems> = true;', 'export const narrowed: Equal<Sent, CR.ActiveUser> = true;'));
    expect(compileTypeScript(g.dir, undefined, [test, path.join(g.dir, 'typescript', 'client.ts')]).output).toMatch(/error TS2322/);
  });

  it('the README’s echo bots, exactly as printed, answer a message from the mock chat core', async (ctx) => {
    const tsBotText = readmeBlock('ts echo-bot');
    const pyBotText = readmeBlock('python echo-bot');
    expect(tsBotText.split('\n').filter(Boolean).length).toBeLessThanOrEqual(11);
    // Against the default spec's committed output, as a reader of the README would run them.
    const dir = tempDir('sac-readme-');
    cpSync(path.join(REPO_ROOT, 'generated'), path.join(dir, 'generated'), { recursive: true });
    writeFileSync(path.join(dir, 'generated', 'typescript', 'package.json'), '{"type":"module"}\n');
    writeFileSync(path.join(dir, 'bot.ts'), tsBotText);
    writeFileSync(path.join(dir, 'bot.py'), pyBotText);
    writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
    // The bot imports "ws", as a bot project has it installed.
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    writeFileSync(path.join(dir, 'pyrightconfig.json'), JSON.stringify({ extraPaths: ['generated/python'], pythonVersion: '3.11' }));
    const r = compileTypeScript(path.join(dir, 'generated'), path.join(dir, 'js'), [path.join(dir, 'bot.ts'), path.join(dir, 'generated', 'typescript', 'client.ts')]);
    expect(r.output).toBe('');
    const pyright = checkedRun(path.join(REPO_ROOT, 'node_modules/.bin/pyright'), ['bot.py'], dir);
    expect(pyright.stdout).toMatch(/0 errors/);

    const spec = readSpecDir(path.join(REPO_ROOT, 'spec')).input;
    const model = buildModel(spec).model;
    const scenario = path.join(dir, 'scenario.json');
    writeFileSync(scenario, JSON.stringify({ onConnect: [{ type: 'newChatItems', chatItems: [{ chatInfo: { type: 'direct', contact: { contactId: 9 } }, chatItem: { content: { type: 'rcvMsgContent', msgContent: { type: 'text', text: 'echo me' } } } }] }] }));
    const core = new MockCore(model, 1, loadScenario(scenario, 'scenario.json', new MockCore(model, 0, undefined, STATELESS)).scenario!, STATELESS);
    for (const [lang, command, args, env] of [
      ['TypeScript', process.execPath, [path.join(dir, 'js', 'bot.js')], {}],
      ['Python', python3(), [path.join(dir, 'bot.py')], { PYTHONPATH: path.join(dir, 'generated', 'python') }],
    ] as const) {
      const program = lang === 'Python' ? requirePythonWebsockets(ctx) : command;
      const record = path.join(dir, `${lang}.jsonl`);
      const server = await startMockServer(core, { host: '127.0.0.1', port: 0, record });
      const child = spawn(program, [...args], { env: { ...process.env, ...env, CHAT_URL: `ws://127.0.0.1:${server.port}` }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const deadline = Date.now() + 20_000;
      let sent: string | undefined;
      while (!sent && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        sent = readFileSync(record, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { dir: string; frame: { cmd?: string } }).find((f) => f.dir === 'in')?.frame.cmd;
      }
      child.kill();
      await server.close();
      expect(stderr, lang).toBe('');
      // Each language's builder writes its snippet's JSON: JSON.stringify, or json.dumps as it is.
      expect(sent, lang).toBe(lang === 'Python' ? '/_send @9 json [{"msgContent": {"type": "text", "text": "echo me"}, "mentions": {}}]' : '/_send @9 json [{"msgContent":{"type":"text","text":"echo me"},"mentions":{}}]');
    }
  });
});
