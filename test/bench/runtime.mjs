// The runtime layer's speed: command strings read per second, with the generated TypeScript of the latest era
// compiled to JavaScript. (The decoders have their own bench: decoders.mjs.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateAndCompile } from './generated.mjs';

export async function measureRuntime({ root, specDir, tmp, rounds }) {
  const js = generateAndCompile({ root, specDir, out: path.join(tmp, 'runtime-out'), targets: 'typescript', files: ['types', 'commands', 'parse'] });
  const { parseCommand } = await import(pathToFileURL(path.join(js, 'parse.js')).href);
  const CC = await import(pathToFileURL(path.join(js, 'commands.js')).href);
  const time = (f) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
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
  return { parser: { stringsPerSecond: stat(rates, 'high'), commands } };
}
