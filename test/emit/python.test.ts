/** The Python target: pyright finds no error, the package imports, and its builders agree with TypeScript's. */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../helpers/model.js';
import { readSpecDir } from '../../src/parse/loadSpec.js';
import { joinedParams, paramsUsedOutsideOptional } from '../../src/syntax/ast.js';
import { renderSnippets, stylesFor } from '../../src/syntax/snippets.js';
import { BUILDER_CASES } from '../helpers/builderCases.js';
import { canonical } from '../helpers/canonical.js';
import { SnippetEnv } from '../helpers/snippetEnv.js';
import { corpusPresent, ERA_NAMES, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { Drawer } from '../helpers/draw.js';
import { minimalInput, minimalTexts } from '../helpers/fixtures.js';
import { generateInto, importTypeScript, runPyright } from '../helpers/generate.js';
import type { PyResult } from '../helpers/python.js';
import { runPython, runPythonBatch, spawnPython } from '../helpers/python.js';
import { eraSweep } from '../helpers/tier.js';


/** What Python's json.dumps writes with its default arguments: ", " and ": ", non-ASCII as \\uXXXX. */
function pyDumps(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyDumps).join(', ')}]`;
  if (v && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${pyDumps(k)}: ${pyDumps(x)}`).join(', ')}}`;
  if (typeof v === 'string') return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return JSON.stringify(v);
}

function runBuilders(dir: string, cases: { fn: string; params: object }[]): PyResult[] {
  const r = spawnPython([path.join(REPO_ROOT, 'test/helpers/py_builders.py'), path.join(dir, 'python')], {
    input: JSON.stringify({ package: 'simplex_api', cases }),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as PyResult[];
}

function expectClean(dir: string) {
  const r = runPyright(dir);
  expect(r.output).toMatch(/0 errors/);
  expect(r.status).toBe(0);
  // The package, and its public modules as the package docstring names them.
  const imports = 'import simplex_api; from simplex_api.responses import ChatResponse; from simplex_api.events import ChatEvent; from simplex_api.commands import *; from simplex_api.types import *';
  const imported = runPython(['-c', imports], path.join(dir, 'python'));
  expect(imported.stderr).toBe('');
  expect(imported.status).toBe(0);
}

describe('Python target', () => {
  it('spec/: pyright reports zero errors and the package imports', async () => {
    const g = await generateInto(readSpecDir(path.join(REPO_ROOT, 'spec')).input, ['python']);
    expectClean(g.dir);
  });

  for (const era of eraSweep(ERA_NAMES))
    it.runIf(corpusPresent)(`the ${era} era: pyright reports zero errors and the package imports`, async () => {
      const g = await generateInto(eraInput(era), ['python']);
      expectClean(g.dir);
    });

  it('handles keywords and invalid identifiers, and still type-checks and imports', async () => {
    const t = minimalTexts();
    const hostile = {
      COMMANDS: t.COMMANDS.replace('- chatRef: [ChatRef](./TYPES.md#chatref)', '- chatRef: [ChatRef](./TYPES.md#chatref)\n- with: string?\n- from: int?')
        .replace('/_delete <str(chatRef)> <str(chatDeleteMode)>', '/_delete <str(chatRef)> <str(chatDeleteMode)>[ <with>][ from=<from>]'),
      TYPES: t.TYPES.replace('- text: string\n- meta', '- text: string\n- class: bool\n- lambda: int?\n- meta')
        .replace('## ComposedMessage\n', '## ComposedMessage\n\nA """docstring""" with \\backslash and {{braces}}.\n'),
      EVENTS: t.EVENTS,
    };
    const g = await generateInto({ texts: hostile, files: { COMMANDS: 'COMMANDS.md', TYPES: 'TYPES.md', EVENTS: 'EVENTS.md' } }, ['python']);
    const commands = g.files.get('python/simplex_api/_commands.py')!;
    expect(commands).toContain('APIDeleteChat = TypedDict("APIDeleteChat", {');
    expect(commands).toContain('"with": "NotRequired[str]",');
    expect(commands).toContain('from_ = self.get("from")');
    expectClean(g.dir);
    const [r] = runBuilders(g.dir, [{ fn: 'APIDeleteChat_cmd_string', params: { chatRef: { chatType: 'group', chatId: 2 }, chatDeleteMode: { type: 'messages' }, with: 'x', from: 0 } }]);
    expect(r).toEqual({ ok: '/_delete #2 messages x from=0' });
  });

  it('carries the same generated-file header as the TypeScript', async () => {
    const g = await generateInto(minimalInput(), ['python', 'typescript']);
    const ts = g.files.get('typescript/types.ts')!.split('\n').slice(0, 2);
    const py = g.files.get('python/simplex_api/_types.py')!.split('\n').slice(0, 2);
    expect(py).toEqual(ts.map((l) => l.replace(/^\/\//, '#')));
  });

  for (const era of eraSweep(ERA_NAMES))
    it.runIf(corpusPresent)(`the ${era} era: Python builders write what the documented Python snippets write, byte for byte (json.dumps as it is)`, async () => {
      const input = eraInput(era);
      const { model } = buildModel(input);
      const g = await generateInto(input, ['python']);
      const env = new SnippetEnv(model);
      const drawer = new Drawer(model);
      const cases: { fn: string; params: Record<string, unknown> }[] = [];
      const plainListsOf: string[][] = [];
      const snippets: { expr: string; env: Record<string, unknown>; envTypes: Record<string, unknown> }[] = [];
      for (const s of renderSnippets(model)) {
        if (s.owner.kind !== 'command' || !s.documentedForm) continue;
        const c = model.commands.find((x) => x.name === s.owner.name)!;
        const params = c.params ?? [];
        const ast = c.syntax.ast!;
        const arb = drawer.record(params, 0, { nonEmpty: new Set(joinedParams(ast)), alwaysPresent: paramsUsedOutsideOptional(ast) });
        for (const values of fc.sample(arb, { numRuns: 40, seed: 778 })) {
          cases.push({ fn: `${c.name}_cmd_string`, params: values });
          // Lists the syntax names plainly (`<relayIds>`), as the builder writes them.
          plainListsOf.push(params.filter((p) => (p.type.kind === 'list' || (p.type.kind === 'optional' && p.type.inner.kind === 'list')) && JSON.stringify(ast).includes(`"name":"${p.name}","form":"plain"`) && Array.isArray(values[p.name])).map((p) => (values[p.name] as unknown[]).join(',')));
          snippets.push({ expr: s.python, env: Object.fromEntries(params.map((p) => [p.name, values[p.name] ?? null])), envTypes: Object.fromEntries(params.map((p) => [p.name, p.type])) });
        }
      }
      // Where the Python snippets call str(x) on values of types with a syntax (seed, mid), the values carry that str().
      const documented = runPythonBatch({ prelude: env.pythonPrelude(), types: env.pythonTypes(), wrap: stylesFor(model, 'auto').COMMANDS.python === 'str', realJson: true, cases: snippets });
      const built = runBuilders(g.dir, cases);
      // The README's one builder decision against the Python snippet: a plain `<xs>` list is written `1,2`, not str([1, 2]).
      const decided = (r: PyResult, d: PyResult, plainLists: string[]) =>
        'ok' in r && 'ok' in d && plainLists.length > 0 && r.ok === plainLists.reduce((text, list) => text.replace(`[${list.split(',').join(', ')}]`, list), d.ok);
      let decisions = 0;
      const failures = built
        .map((r, i) => {
          if (JSON.stringify(r) === JSON.stringify(documented[i])) return undefined;
          if (decided(r, documented[i]!, plainListsOf[i]!)) return void decisions++;
          return `${cases[i]!.fn} ${JSON.stringify(cases[i]!.params)}:\n  documented: ${JSON.stringify(documented[i])}\n  builder:    ${JSON.stringify(r)}`;
        })
        .filter(Boolean);
      if (era === 'mid') expect(decisions).toBeGreaterThan(0);
      console.log(`python builders ${era}: ${cases.length} cases equal to the documented Python snippets`);
      expect(failures.slice(0, 5), failures.slice(0, 5).join('\n')).toEqual([]);
      expect(cases.length).toBeGreaterThan(35 * 40);
      // Spaces after JSON's separators, non-ASCII escaped: json.dumps with its default arguments.
      expect(built.some((r) => 'ok' in r && / json \[\{"\w+": /.test(r.ok))).toBe(true);
    });

  for (const era of eraSweep(ERA_NAMES))
    it.runIf(corpusPresent)(`the ${era} era: Python and TypeScript builders write the same values (both strings read back alike)`, async () => {
      const input = eraInput(era);
      const { model } = buildModel(input);
      const g = await generateInto(input, ['python', 'typescript']);
      const ts = (await importTypeScript(g.dir)) as Record<string, { cmdString: (s: object) => string }>;
      const { parseCommand } = (await import(path.join(g.dir, 'js', 'parse.js'))) as { parseCommand: (s: string, o: object) => unknown };
      const read = (text: string) => {
        try {
          return canonical(parseCommand(text, { prefer: 'first' }));
        } catch (e) {
          return `error: ${(e as Error).message.split(':')[0]}`;
        }
      };
      const drawer = new Drawer(model, { words: true });
      const cases: { fn: string; params: Record<string, unknown> }[] = [];
      const expected: string[] = [];
      for (const c of model.commands) {
        const ast = c.syntax.ast!;
        const arb = drawer.record(c.params ?? [], 0, { nonEmpty: new Set(joinedParams(ast)), alwaysPresent: paramsUsedOutsideOptional(ast) });
        for (const params of fc.sample(arb, { numRuns: 80, seed: 777 })) {
          cases.push({ fn: `${c.name}_cmd_string`, params });
          expected.push(ts[c.name]!.cmdString(params));
        }
      }
      const results = runBuilders(g.dir, cases);
      let read_ = 0;
      const failures = results
        .map((r, i) => {
          if (!('ok' in r)) return `${cases[i]!.fn} ${JSON.stringify(cases[i]!.params)}: Python raised ${JSON.stringify(r)}`;
          const a = read(expected[i]!);
          if (!a.startsWith('error')) read_++;
          return a === read(r.ok) ? undefined : `${cases[i]!.fn} ${JSON.stringify(cases[i]!.params)}:\n  TypeScript: ${expected[i]} -> ${a}\n  Python:     ${r.ok} -> ${read(r.ok)}`;
        })
        .filter(Boolean);
      console.log(`python vs typescript builders ${era}: ${cases.length} cases, ${read_} read back to the same value from both strings`);
      expect(failures.slice(0, 5), failures.slice(0, 5).join('\n')).toEqual([]);
      expect(read_).toBeGreaterThan(cases.length * 0.95);
    });

  it.runIf(corpusPresent)('the hand-written cases hold for the Python builders too (the same values; JSON as json.dumps writes it)', async () => {
    const g = await generateInto(eraInput('latest'), ['python']);
    const results = runBuilders(g.dir, BUILDER_CASES.map((c) => ({ fn: `${c.command}_cmd_string`, params: c.params })));
    // The same text but for the JSON, which json.dumps writes with its default separators and ASCII escapes.
    const asPython = (s: string) => s.replace(/(json |(?<= ))([[{][\s\S]*)$/, (_m, lead: string, json: string) => lead + pyDumps(JSON.parse(json)));
    BUILDER_CASES.forEach((c, i) => {
      const r = results[i]!;
      if (typeof c.want === 'string') expect(r, `${c.command} ${JSON.stringify(c.params)}`).toEqual({ ok: asPython(c.want) });
      else expect('error' in r && r.error, c.command).toContain(c.want.throws);
    });
  });
});
