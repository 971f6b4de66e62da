/** The Python target: pyright finds no error, the package imports, and its builders agree with TypeScript's. */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/pipeline.js';
import { readSpecDir } from '../../src/parse/loadSpec.js';
import { joinedParams, paramsUsedOutsideOptional } from '../../src/syntax/ast.js';
import { BUILDER_CASES } from '../helpers/builderCases.js';
import { corpusPresent, ERA_NAMES, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { Drawer } from '../helpers/draw.js';
import { minimalInput, minimalTexts } from '../helpers/fixtures.js';
import { generateInto, importTypeScript, runPyright } from '../helpers/generate.js';
import type { PyResult } from '../helpers/python.js';
import { runPython, spawnPython } from '../helpers/python.js';

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

  for (const era of ERA_NAMES)
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

  for (const era of ERA_NAMES)
    it.runIf(corpusPresent)(`the ${era} era: Python builders build the same strings as the TypeScript cmdString`, async () => {
      const input = eraInput(era);
      const { model } = buildModel(input);
      const g = await generateInto(input, ['python', 'typescript']);
      const ts = (await importTypeScript(g.dir)) as Record<string, { cmdString: (s: object) => string }>;
      const drawer = new Drawer(model);
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
      const failures = results
        .map((r, i) => ('ok' in r && r.ok === expected[i] ? undefined : `${cases[i]!.fn} ${JSON.stringify(cases[i]!.params)}:\n  TypeScript: ${expected[i]}\n  Python:     ${JSON.stringify(r)}`))
        .filter(Boolean);
      console.log(`python builders ${era}: ${model.commands.length} commands, ${cases.length} cases compared with TypeScript`);
      expect(failures.slice(0, 5), failures.slice(0, 5).join('\n')).toEqual([]);
      expect(cases.length).toBe(model.commands.length * 80);
    });

  it.runIf(corpusPresent)('the hand-written cases hold for the Python builders too', async () => {
    const g = await generateInto(eraInput('latest'), ['python']);
    const results = runBuilders(g.dir, BUILDER_CASES.map((c) => ({ fn: `${c.command}_cmd_string`, params: c.params })));
    BUILDER_CASES.forEach((c, i) => {
      const r = results[i]!;
      if (typeof c.want === 'string') expect(r, `${c.command} ${JSON.stringify(c.params)}`).toEqual({ ok: c.want });
      else expect('error' in r && r.error, c.command).toContain(c.want.throws);
    });
  });
});
