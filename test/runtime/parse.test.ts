/**
 * The generated command parsers (typescript/parse.ts, the package's parse module) read back what the builders
 * write: for values drawn from every command's parameter types, in every era, `parseCommand(cmdString(x))`
 * gives x (but for what the syntax does not carry) or reports "ambiguous"; never another value. The TypeScript
 * and Python parsers agree on every string.
 */
import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiModel } from '../../src/model/types.js';
import { buildModel } from '../helpers/model.js';
import { joinedParams, paramsUsedOutsideOptional, uncarriedParams } from '../../src/syntax/ast.js';
import { readFileSync } from 'node:fs';
import { carried } from '../helpers/carried.js';
import { canonical } from '../helpers/canonical.js';
import { corpusPresent, ERA_NAMES, eraInput, REPO_ROOT, type EraName } from '../helpers/corpus.js';
import { Drawer } from '../helpers/draw.js';
import { minimalInput } from '../helpers/fixtures.js';
import { generateInto, importTypeScript } from '../helpers/generate.js';
import { runPython } from '../helpers/python.js';
import { eraSweep } from '../helpers/tier.js';

interface Generated {
  model: ApiModel;
  ts: Record<string, any>;
  parse: { parseCommand: (s: string) => { command: string; params: Record<string, unknown> }; CommandParseError: new (...a: never[]) => Error };
  python: string;
  dir: string;
}

async function generated(input = minimalInput()): Promise<Generated> {
  const g = await generateInto(input, ['typescript', 'python']);
  const ts = await importTypeScript(g.dir);
  const parse = (await import(path.join(g.dir, 'js', 'parse.js'))) as Generated['parse'];
  return { model: buildModel(input).model, ts, parse, python: path.join(g.dir, 'python'), dir: g.dir };
}

type Outcome = { ok: { command: string; params: unknown } } | { error: string; column: number; closest: string[] };

function parseTs(g: Generated, text: string): Outcome {
  try {
    return { ok: g.parse.parseCommand(text) };
  } catch (e) {
    if (!(e instanceof g.parse.CommandParseError)) throw e;
    const p = e as unknown as { reason: string; column: number; closest: string[] };
    return { error: p.reason, column: p.column, closest: [...p.closest] };
  }
}

/** Each text, or a text with the reading to take when equally specific readings fit (`parse_command(text, prefer=...)`). */
function parsePython(g: Generated, texts: (string | { text: string; prefer: string })[]): Outcome[] {
  const r = runPython([path.join(REPO_ROOT, 'test/helpers/py_runtime.py')], g.python, JSON.stringify({ python: g.python, package: 'simplex_api', parse: texts }));
  if (r.status !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as { parse: Outcome[] }).parse;
}

/** Strings that equally specific readings of several commands fit, each with why (test/fixtures/parse/equal-readings.json). */
const EQUAL_READINGS = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/parse/equal-readings.json'), 'utf8')) as { commands: string[]; example: string; reason: string }[];


describe('parseCommand', () => {
  it('reads every kind of syntax back: str(x) types, enum choices, [ … ] optionals, on|off, JSON, non-empty lists', async () => {
    const g = await generated();
    const send = { sendRef: { chatType: 'group', chatId: 7 }, liveMessage: true, ttl: 0, composedMessages: [{ text: 'hi there' }] };
    const text = g.ts.APISendMessages.cmdString(send);
    expect(text).toBe('/_send #7 live=on ttl=0 json [{"text":"hi there"}]');
    expect(g.parse.parseCommand(text)).toEqual({ command: 'APISendMessages', params: send });
    expect(g.parse.parseCommand('/_send @1 json []')).toEqual({ command: 'APISendMessages', params: { sendRef: { chatType: 'direct', chatId: 1 }, liveMessage: false, composedMessages: [] } });
    expect(g.parse.parseCommand('/_delete #2 full notify=off')).toEqual({ command: 'APIDeleteChat', params: { chatRef: { chatType: 'group', chatId: 2 }, chatDeleteMode: { type: 'full', notify: false } } });
    expect(g.parse.parseCommand('/_delete @2 messages')).toEqual({ command: 'APIDeleteChat', params: { chatRef: { chatType: 'direct', chatId: 2 }, chatDeleteMode: { type: 'messages' } } });
    expect(parsePython(g, ['/_delete @2 messages'])[0]).toEqual({ ok: { command: 'APIDeleteChat', params: { chatRef: { chatType: 'direct', chatId: 2 }, chatDeleteMode: { type: 'messages' } } } });
  });

  it('a string no command fits: CommandParseError with the column and the closest commands, in both languages', async () => {
    const g = await generated();
    const bad = '/_send @x json []';
    const ts = parseTs(g, bad);
    expect(ts).toEqual({ error: 'no-match', column: 9, closest: ['APISendMessages'] });
    expect(() => g.parse.parseCommand(bad)).toThrow(/no command matches "\/_send @x json \[\]": at column 9 expected an integer \(closest: APISendMessages\)/);
    expect(parsePython(g, [bad])).toEqual([ts]);
    expect(parseTs(g, '/nothing')).toMatchObject({ error: 'no-match', column: 2 });
    expect(() => g.parse.parseCommand('/_delete #2 full notify=of')).toThrow(/at column 27 expected "f" \(closest: APIDeleteChat\)/);
    expect(parsePython(g, ['/nothing', '/_delete #2 full notify=of'])).toEqual([parseTs(g, '/nothing'), parseTs(g, '/_delete #2 full notify=of')]);
  });

  it('the most specific reading wins: an optional part over free text; equal readings are "ambiguous", or the first with prefer', async () => {
    // `/_tag <a>[ <b>]` with "x y": a="x", b="y" (the optional part is consumed) beats a="x y" (free text takes it).
    // `/_pair <a><b>` with "xy": every split is free text throughout, so the readings are equal.
    const g = await generated(
      minimalInput({
        COMMANDS: (t) =>
          t.replace('- [APIDeleteChat](#apideletechat)', '- [APIDeleteChat](#apideletechat)\n- [Tag](#tag)\n- [Pair](#pair)') +
          '\n\n### Tag\n\nTag.\n\n**Parameters**:\n- a: string\n- b: string?\n\n**Syntax**:\n\n```\n/_tag <a>[ <b>]\n```\n\n**Response**:\n\nCmdOk: Ok.\n- type: "cmdOk"\n\n---\n' +
          '\n\n### Pair\n\nPair.\n\n**Parameters**:\n- a: string\n- b: string\n\n**Syntax**:\n\n```\n/_pair <a><b>\n```\n\n**Response**:\n\nCmdOk: Ok.\n- type: "cmdOk"\n\n---\n',
      }),
    );
    expect(parseTs(g, '/_tag xy')).toEqual({ ok: { command: 'Tag', params: { a: 'xy' } } });
    expect(parseTs(g, '/_tag x y')).toEqual({ ok: { command: 'Tag', params: { a: 'x', b: 'y' } } });
    expect(parseTs(g, '/_tag x y z')).toEqual({ ok: { command: 'Tag', params: { a: 'x', b: 'y z' } } });
    const ambiguous = parseTs(g, '/_pair xy');
    expect(ambiguous).toEqual({ error: 'ambiguous', column: 1, closest: ['Pair'] });
    expect(() => g.parse.parseCommand('/_pair xy')).toThrow(/ambiguous command string: equally specific readings of Pair fit "\/_pair xy"/);
    const first = (g.parse.parseCommand as (s: string, o: { prefer: 'first' }) => { command: string; params: unknown; warning?: string })('/_pair xy', { prefer: 'first' });
    expect(first).toEqual({ command: 'Pair', params: { a: '', b: 'xy' }, warning: 'equally specific readings of Pair fit "/_pair xy": took Pair, the first the documents list' });
    expect(parsePython(g, ['/_tag xy', '/_tag x y', '/_tag x y z', '/_pair xy'])).toEqual([parseTs(g, '/_tag xy'), parseTs(g, '/_tag x y'), parseTs(g, '/_tag x y z'), ambiguous]);
    expect(parsePython(g, [{ text: '/_pair xy', prefer: 'first' }])).toEqual([{ ok: first }]);
  });

  it.runIf(corpusPresent)('strings upstream SDKs send: implied union tags, keywords over free text, /_connect by document order', async () => {
    const g = await generated(eraInput('latest'));
    const cases: [string, unknown][] = [
      ['/_delete item #7(_support:15) 42,43 internal', { command: 'APIDeleteChatItem', params: { chatRef: { chatType: 'group', chatId: 7, chatScope: { type: 'memberSupport', groupMemberId_: 15 } }, chatItemIds: [42, 43], deleteMode: 'internal' } }],
      ['/_send #7(_support) json []', { command: 'APISendMessages', params: { sendRef: { chatType: 'group', chatId: 7, chatScope: { type: 'memberSupport' } }, liveMessage: false, signMessages: false, composedMessages: [] } }],
      ['/freceive 5 approved_relays=on', { command: 'ReceiveFile', params: { fileId: 5, userApprovedRelays: true } }],
      ['/freceive 5 encrypt=on /tmp/my file.txt', { command: 'ReceiveFile', params: { fileId: 5, userApprovedRelays: false, storeEncrypted: true, filePath: '/tmp/my file.txt' } }],
      ['/_connect 1 incognito=on', { command: 'APIAddContact', params: { userId: 1, incognito: true } }],
      ['/_connect 1 https://simplex.chat/a#x https://smp.example/b', { command: 'APIConnect', params: { userId: 1, preparedLink_: { connFullLink: 'https://simplex.chat/a#x', connShortLink: 'https://smp.example/b' } } }],
      ['/_groups 1 @5 my group', { command: 'APIListGroups', params: { userId: 1, contactId_: 5, search: 'my group' } }],
    ];
    const texts = cases.map(([t]) => t);
    const python = parsePython(g, [...texts, { text: '/_connect 2', prefer: 'first' }]);
    cases.forEach(([text, want], i) => {
      expect(parseTs(g, text), text).toEqual({ ok: want });
      expect(python[i], text).toEqual({ ok: want });
    });
    expect(parseTs(g, '/_connect 2')).toEqual({ error: 'ambiguous', column: 1, closest: ['APIAddContact', 'APIConnect'] });
    expect(python[texts.length]).toMatchObject({ ok: { command: 'APIAddContact', params: { userId: 2, incognito: false } } });
    // Every parsed value decodes in strict mode: the tag makes the scope a T.GroupChatScope.
    const decode = (await import(path.join(g.dir, 'js', 'decode.js'))) as { decoders: Record<string, (v: unknown, o: { strict: boolean }) => unknown> };
    expect(() => decode.decoders['ChatRef']!((cases[0]![1] as { params: { chatRef: unknown } }).params.chatRef, { strict: true })).not.toThrow();
  });

  it.runIf(corpusPresent)('long strings are read, never refused for lack of steps: 8 MB of JSON, free text before JSON, 100,000 ids, a string of words', async () => {
    const g = await generated(eraInput('latest'));
    const message = JSON.stringify([{ msgContent: { type: 'text', text: 'x y '.repeat(2_000_000) }, mentions: {} }]);
    const texts = [
      `/_send @5 json ${message}`,
      `/_service_response 1 req-1 ${message}`,
      `/_delete member item #1 ${Array.from({ length: 100_000 }, (_, i) => i + 1).join(',')}`,
      `/_connect 1 ${'a '.repeat(100_000)}b`,
    ];
    const ts = texts.map((t) => parseTs(g, t));
    expect(ts.map((o) => ('ok' in o ? o.ok.command : o))).toEqual(['APISendMessages', 'APISendServiceResponse', 'APIDeleteMemberChatItem', 'APIConnect']);
    expect(texts[0]!.length).toBeGreaterThan(8_000_000);
    const py = parsePython(g, texts);
    expect(py.map((o) => ('ok' in o ? o.ok.command : o))).toEqual(['APISendMessages', 'APISendServiceResponse', 'APIDeleteMemberChatItem', 'APIConnect']);
    expect(canonical(py[3])).toBe(canonical(ts[3]));
  });

  for (const era of eraSweep(ERA_NAMES))
    it.runIf(corpusPresent)(`${era} era: parseCommand(cmdString(x)) gives x, or a listed equal reading; TypeScript and Python alike`, async () => {
      const g = await generated(eraInput(era as EraName));
      // Free text is drawn as the chat core reads it where more syntax follows (a link, an id: no spaces); the
      // spaces of trailing free text are tested on their own below.
      const drawer = new Drawer(g.model, { words: true });
      const texts: string[] = [];
      const expected: { command: string; carried: Record<string, unknown>; exact: boolean; uncarried: string[]; required: string[] }[] = [];
      for (const c of g.model.commands) {
        const ast = c.syntax.ast!;
        const arb = drawer.record(c.params ?? [], 0, { nonEmpty: new Set(joinedParams(ast)), alwaysPresent: paramsUsedOutsideOptional(ast) });
        for (const x of fc.sample(arb, { numRuns: 60, seed: 20261202 })) {
          texts.push(g.ts[c.name]!.cmdString(x));
          const kept = carried(g.model, ast, x);
          const uncarried = uncarriedParams(ast, c.params ?? []);
          const required = (c.params ?? []).filter((p) => p.type.kind !== 'optional' && !uncarried.includes(p.name)).map((p) => p.name);
          expected.push({ command: c.name, carried: kept, exact: canonical(kept) === canonical(x), uncarried, required });
        }
      }
      const python = parsePython(g, texts);
      const counts = { exact: 0, carried: 0, equal: 0, otherCommand: 0 };
      const wrong: string[] = [];
      texts.forEach((text, i) => {
        const ts = parseTs(g, text);
        const want = expected[i]!;
        // Differential: the two parsers agree on every string.
        expect(canonical(python[i]), text).toBe(canonical(ts));
        if ('error' in ts) {
          const listed = ts.error === 'ambiguous' && EQUAL_READINGS.some((e) => canonical(e.commands) === canonical(ts.closest));
          if (listed && ts.closest.includes(want.command)) counts.equal++;
          else wrong.push(`${text}: ${JSON.stringify(ts)} (not a listed equal reading)`);
        } else if (ts.ok.command !== want.command) {
          // Another command whose builder writes the same string from what was read: an equally valid reading.
          const again = g.ts[ts.ok.command]!.cmdString(ts.ok.params);
          if (again === text) counts.otherCommand++;
          else wrong.push(`${text}: read as ${canonical(ts.ok)}, which writes ${again}`);
        } else if (canonical(ts.ok.params) !== canonical(want.carried)) wrong.push(`${text}: read as ${canonical(ts.ok)}, built from ${want.command} ${canonical(want.carried)}`);
        else {
          // Every parameter the syntax carries and the type requires is there.
          const params = ts.ok.params as Record<string, unknown>;
          const missing = want.required.filter((n) => !(n in params));
          if (missing.length) wrong.push(`${text}: ${missing.join(', ')} missing`);
          if (want.exact) counts.exact++;
          else counts.carried++;
        }
      });
      expect(wrong.slice(0, 5), wrong.slice(0, 5).join('\n')).toEqual([]);
      const share = (n: number) => `${((100 * n) / texts.length).toFixed(1)}%`;
      console.log(
        `parse ${era}: ${texts.length} strings of ${g.model.commands.length} commands: ${share(counts.exact)} read back exactly, ${share(counts.carried)} exactly but for parameters the syntax does not carry, ${share(counts.otherCommand)} as another command that writes the same string, ${share(counts.equal)} listed equal readings, 0 read wrong; Python agrees on all`,
      );
      expect(counts.exact + counts.carried).toBeGreaterThan(texts.length * 0.9);
    });
});
