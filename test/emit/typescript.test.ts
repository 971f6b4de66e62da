/** The TypeScript target compiles under `tsc --strict` for the default spec and every complete era. */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../helpers/model.js';
import { emitAll, DEFAULT_OPTIONS } from '../../src/generate.js';
import { corpusPresent, ERA_NAMES, eraInput } from '../helpers/corpus.js';
import { minimalInput, minimalTexts } from '../helpers/fixtures.js';
import { compileTypeScript, generateInto } from '../helpers/generate.js';
import { readSpecDir } from '../../src/parse/loadSpec.js';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../helpers/corpus.js';

describe('TypeScript target', () => {
  it('spec/ compiles with tsc --strict --noEmit, zero errors', async () => {
    const g = await generateInto(readSpecDir(path.join(REPO_ROOT, 'spec')).input, ['typescript']);
    const r = compileTypeScript(g.dir);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  for (const era of ERA_NAMES)
    it.runIf(corpusPresent)(`the ${era} era compiles with tsc --strict --noEmit, zero errors`, async () => {
      const g = await generateInto(eraInput(era), ['typescript']);
      const r = compileTypeScript(g.dir);
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
      if (era === 'latest') expect(g.files.get('typescript/commands.ts')).toContain('  chatItemIds: number[]; // int64, non-empty\n');
    });

  it.runIf(corpusPresent)('code written against the SimpleX TypeScript types package compiles against the latest era and runs', async () => {
    const g = await generateInto(eraInput('latest'), ['typescript']);
    const bot = path.join(g.dir, 'bot', 'bot.ts');
    mkdirSync(path.dirname(bot));
    copyFileSync(path.join(REPO_ROOT, 'test/fixtures/bot/bot.ts'), bot);
    const out = path.join(g.dir, 'js');
    const r = compileTypeScript(g.dir, out, [bot]);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
    const b = await import(pathToFileURL(path.join(out, 'bot', 'bot.js')).href);
    const json = '[{"msgContent":{"type":"text","text":"hi"},"mentions":{}}]';
    expect(b.sendText(['direct', 5], 'hi')).toBe(`/_send @5 json ${json}`);
    expect(b.sendText({ chatType: 'group', chatId: 2, chatScope: { type: 'memberSupport', groupMemberId_: 7 } }, 'hi', 0)).toBe(`/_send #2(_support:7) ttl=0 json ${json}`);
    expect(b.createAddress(1)).toBe('/_address 1');
    expect(b.startChat).toBe('/_start main=on');
    expect(b.chatRefString({ chatType: 'local', chatId: 3 })).toBe('*3');
    expect(b.botProfile('helper')).toEqual({ displayName: 'helper', fullName: '', preferences: { files: { allow: 'no' }, calls: { allow: 'no' } }, peerType: 'bot' });
    expect(b.addressOf({ type: 'userContactLinkCreated', user: {}, connLinkContact: { connFullLink: 'https://l' } })).toEqual({ connFullLink: 'https://l' });
    expect(() => b.addressOf({ type: 'chatCmdError', chatError: {} })).toThrow('unexpected response: chatCmdError');
    const item = (content: object) => ({ chatInfo: { type: 'direct' }, chatItem: { content } });
    const event = { type: 'newChatItems', user: {}, chatItems: [item({ type: 'rcvMsgContent', msgContent: { type: 'text', text: 'hello' } }), item({ type: 'sndMsgContent' })] };
    expect(b.dispatch(b.subscribers, event)).toBe('text: hello\n(not a received message)');
    expect(b.dispatch(b.subscribers, { type: 'contactConnected', user: {}, contact: { profile: { displayName: 'ann' } } })).toBe('ann connected');
    expect(b.dispatch(b.subscribers, { type: 'chatError', chatError: {} })).toBeUndefined();
    expect(b.directChat(4)).toEqual({ chatType: 'direct', chatId: 4 });
    expect([b.invitationMode, b.smp]).toEqual(['inv', 'smp']);
    expect(b.watched).toEqual(['newChatItems', 'contactConnected']);
    expect(b.groupOf({ type: 'group', groupInfo: { groupId: 1 } })).toEqual({ type: 'group', groupInfo: { groupId: 1 } });
    expect(b.groupOf({ type: 'local', noteFolder: {} })).toBeUndefined();
    expect(b.sentCount({ type: 'newChatItems', user: {}, chatItems: [{}, {}] })).toBe(2);
  });

  it('without TYPES.md, referenced types are opaque aliases, named in one warning, and the output compiles', async () => {
    const input = minimalInput();
    delete input.texts.TYPES;
    delete input.files.TYPES;
    const g = await generateInto(input, ['typescript', 'python']);
    const warnings = g.diagnostics.filter((d) => d.code === 'TYPES001');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain(': ChatDeleteMode, ChatItem, ChatRef, ComposedMessage');
    expect(g.files.get('typescript/types.ts')).toMatch(/export type ChatRef = unknown;/);
    const r = compileTypeScript(g.dir);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('reads as written by hand: header, doc comments, widths as trailing comments, optional fields', async () => {
    const g = await generateInto(minimalInput(), ['typescript']);
    const commands = g.files.get('typescript/commands.ts')!;
    expect(commands.startsWith('// Generated by simplex-api-codegen from COMMANDS.md, TYPES.md, EVENTS.md')).toBe(true);
    expect(commands).toContain('/**\n * Send messages.\n *\n * Network usage: background.\n */\nexport interface APISendMessages {');
    expect(commands).toContain('  ttl?: number | undefined; // int\n');
    expect(commands).toContain('  composedMessages: T.ComposedMessage[];\n');
    expect(commands).toContain('export type Response = CR.NewChatItems | CR.ChatCmdError;');
    // Closed by default: existing code narrows as it did against upstream's package.
    const types = g.files.get('typescript/types.ts')!;
    expect(types).toContain('export type ChatType = "direct" | "group";');
    expect(types).toContain('export type ChatDeleteMode = ChatDeleteMode.Full | ChatDeleteMode.Messages;');
    expect(types).toContain('  meta?: {[key: string]: number} | undefined; // int64\n');
    expect(g.files.get('typescript/responses.ts')).toContain('export type ChatResponse = CR.NewChatItems | CR.ChatCmdError | CR.ContactDeleted;');
    expect(g.files.get('typescript/events.ts')).toContain('export type ChatEvent = CEvt.NewChatItems | CEvt.ChatItemsDeleted | CEvt.ChatError;');
  });

  it('with openUnions, every union and enum type has its unknown member; the output still compiles', async () => {
    const g = await generateInto(minimalInput(), ['typescript'], undefined, { openUnions: true });
    const types = g.files.get('typescript/types.ts')!;
    expect(types).toContain('export type ChatType = "direct" | "group" | Undocumented;');
    expect(types).toContain('export type ChatDeleteMode = ChatDeleteMode.Full | ChatDeleteMode.Messages | ChatDeleteMode.Undocumented;');
    expect(g.files.get('typescript/responses.ts')).toContain('export type ChatResponse = CR.NewChatItems | CR.ChatCmdError | CR.ContactDeleted | CR.Undocumented;');
    expect(g.files.get('typescript/events.ts')).toContain('export type ChatEvent = CEvt.NewChatItems | CEvt.ChatItemsDeleted | CEvt.ChatError | CEvt.Undocumented;');
    expect(compileTypeScript(g.dir).output).toBe('');
  });

  it('is deterministic: the same input emits the same bytes', async () => {
    const spec = buildModel(minimalInput());
    const a = await emitAll(spec, { ...DEFAULT_OPTIONS, targets: ['typescript'] });
    const b = await emitAll(buildModel(minimalInput()), { ...DEFAULT_OPTIONS, targets: ['typescript'] });
    expect([...a.files]).toEqual([...b.files]);
  });

  it('renames commands that would clash with what index.ts exports (CC, ChatEvent, …), and still compiles', async () => {
    const t = minimalTexts();
    const commands = t.COMMANDS.replace(/APISendMessages/g, 'ChatEvent').replace(/APIDeleteChat/g, 'CC');
    const g = await generateInto({ texts: { ...t, COMMANDS: commands }, files: { COMMANDS: 'COMMANDS.md', TYPES: 'TYPES.md', EVENTS: 'EVENTS.md' } }, ['typescript']);
    expect(g.files.get('typescript/commands.ts')).toContain('export interface ChatEvent_2 {');
    expect(g.files.get('typescript/commands.ts')).toContain('export interface CC_2 {');
    const r = compileTypeScript(g.dir);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('handles reserved words, invalid names and colliding names, and still compiles', async () => {
    const t = minimalTexts();
    const hostile = {
      COMMANDS: t.COMMANDS.replace('### APIDeleteChat', '### delete').replace('- [APIDeleteChat](#apideletechat)', '- [delete](#delete)')
        .replace('- chatRef: [ChatRef](./TYPES.md#chatref)', '- chatRef: [ChatRef](./TYPES.md#chatref)\n- function: string?')
        .replace('/_delete <str(chatRef)> <str(chatDeleteMode)>', '/_delete <str(chatRef)> <str(chatDeleteMode)>[ <function>]'),
      TYPES: t.TYPES.replace('- "direct"\n- "group"', '- "direct"\n- "group"\n- "a-b"\n- "a_b"\n- "class"')
        .replace('@|#|', '@|#|-|_|c|')
        .replace('- text: string\n- meta', '- text: string\n- default: bool\n- class: int?\n- meta')
        .replace('## ComposedMessage\n', '## ComposedMessage\n\nA comment */ with "quotes", \\backslash, ${x} and {{y}}.\n'),
      EVENTS: t.EVENTS,
    };
    const g = await generateInto({ texts: hostile, files: { COMMANDS: 'COMMANDS.md', TYPES: 'TYPES.md', EVENTS: 'EVENTS.md' } }, ['typescript']);
    const commands = g.files.get('typescript/commands.ts')!;
    expect(commands).toContain('export interface delete_ {');
    expect(commands).toContain('function?: string | undefined;');
    expect(commands).toContain('self.function');
    const types = g.files.get('typescript/types.ts')!;
    expect(types).toContain('  A_b: "a-b",\n  A_b_2: "a_b",\n  Class: "class",');
    expect(types).toContain('A comment *\\/ with');
    const r = compileTypeScript(g.dir);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });
});
