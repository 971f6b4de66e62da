// The runtime layer's speed: decoding newChatItems responses against JSON.parse of the same text, and command
// strings read per second, with the generated TypeScript of the latest era compiled to JavaScript.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateAndCompile } from './generated.mjs';

export async function measureRuntime({ root, specDir, tmp, rounds }) {
  const js = generateAndCompile({ root, specDir, out: path.join(tmp, 'runtime-out'), targets: 'typescript', files: ['types', 'commands', 'responses', 'events', 'parse', 'decode'] });
  const { decodeChatResponse } = await import(pathToFileURL(path.join(js, 'decode.js')).href);
  const { parseCommand } = await import(pathToFileURL(path.join(js, 'parse.js')).href);
  const CC = await import(pathToFileURL(path.join(js, 'commands.js')).href);
  const { Sampler } = await import(pathToFileURL(path.join(root, 'dist/mock/sample.js')).href);
  const { decodeSchemaOf } = await import(pathToFileURL(path.join(root, 'dist/runtime/tables.js')).href);
  const { buildModelFromDir } = await import(pathToFileURL(path.join(root, 'dist/pipeline.js')).href);
  const model = buildModelFromDir(specDir).model;
  const sampler = new Sampler(decodeSchemaOf(model), 7);
  // newChatItems responses of realistic size: each with a chat item or two, as the chat core sends them.
  const texts = Array.from({ length: 300 }, () => JSON.stringify(sampler.response('newChatItems')));
  const bytes = texts.reduce((n, t) => n + t.length, 0);
  const time = (f) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  const ratios = [];
  for (let round = 0; round < rounds + 1; round++) {
    // Interleaved: the same texts, JSON.parse alone, then JSON.parse followed by the decoder.
    const parse = time(() => {
      for (let k = 0; k < 10; k++) for (const t of texts) JSON.parse(t);
    });
    const both = time(() => {
      for (let k = 0; k < 10; k++) for (const t of texts) decodeChatResponse(JSON.parse(t));
    });
    if (round > 0) ratios.push((both - parse) / parse);
  }
  const commands = readFileSync(path.join(specDir, 'COMMANDS.md'), 'utf8').includes('APISendMessages') ? [
    CC.APISendMessages.cmdString({ sendRef: { chatType: 'direct', chatId: 5 }, liveMessage: false, signMessages: false, composedMessages: [{ msgContent: { type: 'text', text: 'hello' }, mentions: {} }] }),
    CC.APIDeleteChatItem.cmdString({ chatRef: { chatType: 'group', chatId: 12 }, chatItemIds: [1, 2, 3], deleteMode: 'broadcast' }),
    CC.APIMembersRole.cmdString({ groupId: 1, groupMemberIds: [2, 3], memberRole: 'admin' }),
    CC.ShowActiveUser.cmdString({}),
    CC.APIGetChats.cmdString({ userId: 1, pendingConnections: true, pagination: { type: 'last', count: 20 }, query: { type: 'filters', favorite: false, unread: true } }),
  ] : [];
  const rates = [];
  for (let round = 0; round < rounds + 1; round++) {
    const n = 50_000;
    const ms = time(() => {
      for (let i = 0; i < n; i++) parseCommand(commands[i % commands.length]);
    });
    if (round > 0) rates.push(n / (ms / 1000));
  }
  const stat = (xs, better) => {
    const s = [...xs].sort((a, b) => a - b);
    return { best: better === 'low' ? s[0] : s[s.length - 1], median: s[Math.floor(s.length / 2)] };
  };
  return { decode: { responses: texts.length, avgBytes: Math.round(bytes / texts.length), ratioToJsonParse: stat(ratios, 'low') }, parser: { stringsPerSecond: stat(rates, 'high'), commands } };
}
