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
import { buildModel } from '../../src/pipeline.js';
import { joinedParams, paramsUsedOutsideOptional } from '../../src/syntax/ast.js';
import { carried } from '../helpers/carried.js';
import { corpusPresent, ERA_NAMES, eraInput, REPO_ROOT, type EraName } from '../helpers/corpus.js';
import { Drawer } from '../helpers/draw.js';
import { minimalInput } from '../helpers/fixtures.js';
import { generateInto, importTypeScript } from '../helpers/generate.js';
import { runPython } from '../helpers/python.js';

interface Generated {
  model: ApiModel;
  ts: Record<string, any>;
  parse: { parseCommand: (s: string) => { command: string; params: Record<string, unknown> }; CommandParseError: new (...a: never[]) => Error };
  python: string;
}

async function generated(input = minimalInput()): Promise<Generated> {
  const g = await generateInto(input, ['typescript', 'python']);
  const ts = await importTypeScript(g.dir);
  const parse = (await import(path.join(g.dir, 'js', 'parse.js'))) as Generated['parse'];
  return { model: buildModel(input).model, ts, parse, python: path.join(g.dir, 'python') };
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

function parsePython(g: Generated, texts: string[]): Outcome[] {
  const r = runPython([path.join(REPO_ROOT, 'test/helpers/py_runtime.py')], g.python, JSON.stringify({ python: g.python, package: 'simplex_api', parse: texts }));
  if (r.status !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as { parse: Outcome[] }).parse;
}

const canonical = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

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

  it('a string two readings fit: reason "ambiguous", never one of them silently', async () => {
    // A free-text parameter followed by more syntax: `/_tag <a>[ <b>]` with "x y" is a="x y", or a="x", b="y".
    const g = await generated(
      minimalInput({
        COMMANDS: (t) =>
          t.replace('- [APIDeleteChat](#apideletechat)', '- [APIDeleteChat](#apideletechat)\n- [Tag](#tag)') +
          '\n\n### Tag\n\nTag.\n\n**Parameters**:\n- a: string\n- b: string?\n\n**Syntax**:\n\n```\n/_tag <a>[ <b>]\n```\n\n**Response**:\n\nCmdOk: Ok.\n- type: "cmdOk"\n\n---\n',
      }),
    );
    expect(parseTs(g, '/_tag xy')).toEqual({ ok: { command: 'Tag', params: { a: 'xy' } } });
    const ambiguous = parseTs(g, '/_tag x y');
    expect(ambiguous).toMatchObject({ error: 'ambiguous', closest: ['Tag'] });
    expect(() => g.parse.parseCommand('/_tag x y')).toThrow(/ambiguous command string: more than one reading of Tag fits "\/_tag x y"/);
    expect(parsePython(g, ['/_tag xy', '/_tag x y'])).toEqual([parseTs(g, '/_tag xy'), ambiguous]);
  });

  for (const era of ERA_NAMES)
    it.runIf(corpusPresent)(`${era} era: parseCommand(cmdString(x)) gives x or "ambiguous", in TypeScript and Python alike`, async () => {
      const g = await generated(eraInput(era as EraName));
      const drawer = new Drawer(g.model);
      const texts: string[] = [];
      const expected: { command: string; carried: Record<string, unknown>; exact: boolean }[] = [];
      for (const c of g.model.commands) {
        const ast = c.syntax.ast!;
        const arb = drawer.record(c.params ?? [], 0, { nonEmpty: new Set(joinedParams(ast)), alwaysPresent: paramsUsedOutsideOptional(ast) });
        for (const x of fc.sample(arb, { numRuns: 60, seed: 20261202 })) {
          texts.push(g.ts[c.name]!.cmdString(x));
          const kept = carried(g.model, ast, x);
          expected.push({ command: c.name, carried: kept, exact: canonical(kept) === canonical(x) });
        }
      }
      const python = parsePython(g, texts);
      const counts = { exact: 0, carried: 0, ambiguous: 0 };
      const wrong: string[] = [];
      texts.forEach((text, i) => {
        const ts = parseTs(g, text);
        const want = expected[i]!;
        // Differential: the two parsers agree on every string.
        expect(canonical(python[i]), text).toBe(canonical(ts));
        if ('error' in ts) {
          if (ts.error === 'ambiguous') counts.ambiguous++;
          else wrong.push(`${text}: ${JSON.stringify(ts)}`);
        } else if (ts.ok.command !== want.command || canonical(ts.ok.params) !== canonical(want.carried)) wrong.push(`${text}: read as ${canonical(ts.ok)}, built from ${want.command} ${canonical(want.carried)}`);
        else if (want.exact) counts.exact++;
        else counts.carried++;
      });
      expect(wrong.slice(0, 5), wrong.slice(0, 5).join('\n')).toEqual([]);
      const share = (n: number) => `${((100 * n) / texts.length).toFixed(1)}%`;
      console.log(`parse ${era}: ${texts.length} strings of ${g.model.commands.length} commands: ${share(counts.exact)} read back exactly, ${share(counts.carried)} exactly but for parameters the syntax does not carry, ${share(counts.ambiguous)} ambiguous, 0 read wrong; Python agrees on all`);
      expect(counts.exact).toBeGreaterThan(texts.length / 2);
    });
});
