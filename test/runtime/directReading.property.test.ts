/**
 * The direct reading (src/runtime/commandParser.ts: one regular expression per command where that must give the
 * search's answer) never answers otherwise than the search: for strings the builders write in every era, and for
 * the same strings cut, spaced, doubled and retyped, parseCommandWith and parseCommandBySearch give the same
 * reading or the same error, in TypeScript and in Python. And it does answer most valid strings.
 */
import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../helpers/model.js';
import { CommandParseError, directPathsOf, parseCommandBySearch, parseCommandDirectly, parseCommandWith, type CommandTable } from '../../src/runtime/commandParser.js';
import { commandTableOf } from '../../src/runtime/tables.js';
import { joinedParams, paramsUsedOutsideOptional } from '../../src/syntax/ast.js';
import { canonical } from '../helpers/canonical.js';
import { corpusPresent, ERA_NAMES, eraInput, REPO_ROOT, type EraName } from '../helpers/corpus.js';
import { Drawer } from '../helpers/draw.js';
import { minimalInput } from '../helpers/fixtures.js';
import { generateInto, importTypeScript } from '../helpers/generate.js';
import { runPython } from '../helpers/python.js';

type Outcome = { ok: unknown } | { error: string; column: number; closest: string[] };

function outcome(read: (t: CommandTable, s: string) => unknown, table: CommandTable, text: string): Outcome {
  try {
    return { ok: read(table, text) };
  } catch (e) {
    if (!(e instanceof CommandParseError)) throw e;
    return { error: e.reason, column: e.column, closest: [...e.closest] };
  }
}

/** Variants of a valid string that a direct reading could get wrong: cut, spaced, doubled, retyped. */
function variants(text: string, rnd: () => number): string[] {
  const at = () => Math.floor(rnd() * (text.length + 1));
  const a = at();
  const b = at();
  const [i, j] = a < b ? [a, b] : [b, a];
  return [
    text.slice(0, a),
    `${text.slice(0, a)} ${text.slice(a)}`,
    `${text.slice(0, j)}${text.slice(i, j)}${text.slice(j)}`,
    text.replace(/[0-9]/, 'x'),
    text.replace(/ (?=[^ ]*$)/, '  '),
    `${text} live=on`,
    `${text.slice(0, a)}(_support)${text.slice(a)}`,
    `${text.slice(0, a)}${text.slice(b)}`,
  ];
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Commands whose direct reading must choose as the search does: free text before a flag, values that start
 * others, lists, two commands with the same leading word. */
const STRESS: [name: string, params: string, syntax: string, pieces: string[]][] = [
  ['FreeFlag', '- name: string\n- liveMessage: bool\n- n: int', '/_ff <name>[ live=on] to=<n>', ['a', ' ', ' live=on', ' to=', '5', 'to=', 'live=on', '-0']],
  ['FreeMark', '- name: string\n- mark: [Mark](./TYPES.md#mark)', '/_fm <name> <mark>', ['a', ' ', 'internal', ' internal', 'Mark', ' history', 'b c']],
  ['IdsMark', '- ids: [int]\n- mark: [Mark](./TYPES.md#mark)', '/_ids <ids[0]>[,<ids[1]>...] <mark>', ['1', ',', '2', ' ', ' internal', 'Mark', '07', '-1', ',3']],
  ['MarkNumber', '- mark: [Mark](./TYPES.md#mark)\n- n: int?', '/_mk <mark>[ <n>]', ['internal', 'Mark', ' ', '5', 'history', '0', '-1', ' 7']],
  ['TwoNumber', '- n: int', '/_two <n> a', ['5', ' a', 'a', ' ', '0', '12']],
  ['TwoText', '- name: string', '/_two <name>', ['x', ' ', ' a', '3']],
];

function stressInput() {
  const section = (name: string, params: string, syntax: string) =>
    `\n\n### ${name}\n\n${name}.\n\n**Parameters**:\n${params}\n\n**Syntax**:\n\n\`\`\`\n${syntax}\n\`\`\`\n\n**Response**:\n\nCmdOk: Ok.\n- type: "cmdOk"\n\n---\n`;
  return minimalInput({
    COMMANDS: (t) => t.replace('- [APIDeleteChat](#apideletechat)', ['- [APIDeleteChat](#apideletechat)', ...STRESS.map(([n]) => `- [${n}](#${n.toLowerCase()})`)].join('\n')) + STRESS.map(([n, p, x]) => section(n, p, x)).join(''),
    TYPES: (t) => t.replace('- [ComposedMessage](#composedmessage)', '- [ComposedMessage](#composedmessage)\n- [Mark](#mark)') + '\n\n## Mark\n\n**Enum type**:\n- "internal"\n- "internalMark"\n- "history"\n\n---\n',
  });
}

describe('the direct reading', () => {
  it('chooses as the search does where readings compete: 3,000 strings drawn from the pieces of commands made for it', async () => {
    const input = stressInput();
    const built = buildModel(input);
    const table = commandTableOf(built.model);
    const names = STRESS.map(([n]) => n);
    const paths = directPathsOf(table);
    // Every one of them is read directly (else this test would test the search against itself).
    expect(names.filter((n) => !paths[table.commands.findIndex((c) => c.name === n)])).toEqual([]);
    const rnd = mulberry32(7);
    const texts: string[] = [];
    for (let k = 0; k < 3000; k++) {
      const [, , syntax, pieces] = STRESS[k % STRESS.length]!;
      let text = `${syntax.split(' ')[0]!} `;
      for (let n = 1 + Math.floor(rnd() * 6); n > 0; n--) text += pieces[Math.floor(rnd() * pieces.length)];
      texts.push(text);
    }
    const differ: string[] = [];
    let read = 0;
    let direct = 0;
    const tsOutcomes = texts.map((text) => {
      const a = outcome(parseCommandWith, table, text);
      const b = outcome(parseCommandBySearch, table, text);
      if (canonical(a) !== canonical(b)) differ.push(`${JSON.stringify(text)}: ${canonical(a)} but the search: ${canonical(b)}`);
      if ('ok' in a) read++;
      if (parseCommandDirectly(table, text)) direct++;
      return a;
    });
    expect(differ.slice(0, 5), differ.slice(0, 5).join('\n')).toEqual([]);
    const g = await generateInto(input, ['python']);
    const r = runPython([path.join(REPO_ROOT, 'test/helpers/py_direct.py')], path.join(g.dir, 'python'), JSON.stringify({ python: path.join(g.dir, 'python'), package: 'simplex_api', texts }));
    expect(r.status, r.stderr).toBe(0);
    const python = JSON.parse(r.stdout) as { with: Outcome; search: Outcome; direct: boolean }[];
    const pyDiffer = python.flatMap((p, i) => (canonical(p.with) !== canonical(p.search) || canonical(p.with) !== canonical(tsOutcomes[i]) ? [`${JSON.stringify(texts[i])}: ${canonical(p.with)}`] : []));
    expect(pyDiffer.slice(0, 5), pyDiffer.slice(0, 5).join('\n')).toEqual([]);
    expect(python.filter((p) => p.direct).length).toBe(direct);
    // Both kinds of answer are in the sample: strings read (many directly) and strings refused.
    expect(read).toBeGreaterThan(300);
    expect(direct).toBeGreaterThan(200);
    expect(texts.length - read).toBeGreaterThan(300);
  });

  for (const era of ERA_NAMES)
    it.runIf(corpusPresent)(`${era} era: the same answers as the search for builder strings and their variants, in both languages`, async () => {
      const input = eraInput(era as EraName);
      const model = buildModel(input).model;
      const table = commandTableOf(model);
      const g = await generateInto(input, ['typescript', 'python']);
      const ts = await importTypeScript(g.dir);
      const texts: string[] = [];
      const valid = new Set<string>();
      const rnd = mulberry32(20261203);
      for (const words of [true, false]) {
        const drawer = new Drawer(model, { words });
        for (const c of model.commands) {
          const ast = c.syntax.ast!;
          const arb = drawer.record(c.params ?? [], 0, { nonEmpty: new Set(joinedParams(ast)), alwaysPresent: paramsUsedOutsideOptional(ast) });
          for (const x of fc.sample(arb, { numRuns: 12, seed: 20261203 })) {
            const text = (ts[c.name] as { cmdString: (x: unknown) => string }).cmdString(x);
            texts.push(text, ...variants(text, rnd));
            valid.add(text);
          }
        }
      }
      let direct = 0;
      const validDirect = new Set<string>();
      const differ: string[] = [];
      const tsOutcomes = texts.map((text) => {
        const d = parseCommandDirectly(table, text);
        const withDirect = outcome(parseCommandWith, table, text);
        const search = outcome(parseCommandBySearch, table, text);
        if (canonical(withDirect) !== canonical(search)) differ.push(`${JSON.stringify(text)}: ${canonical(withDirect)} but the search: ${canonical(search)}`);
        if (d) {
          direct++;
          if (valid.has(text)) validDirect.add(text);
          expect(canonical({ ok: d }), text).toBe(canonical(search));
        }
        return withDirect;
      });
      expect(differ.slice(0, 5), differ.slice(0, 5).join('\n')).toEqual([]);

      const r = runPython([path.join(REPO_ROOT, 'test/helpers/py_direct.py')], path.join(g.dir, 'python'), JSON.stringify({ python: path.join(g.dir, 'python'), package: 'simplex_api', texts }));
      expect(r.status, r.stderr).toBe(0);
      const python = JSON.parse(r.stdout) as { with: Outcome; search: Outcome; direct: boolean }[];
      const pyDiffer: string[] = [];
      python.forEach((p, i) => {
        if (canonical(p.with) !== canonical(p.search) || canonical(p.with) !== canonical(tsOutcomes[i])) pyDiffer.push(`${JSON.stringify(texts[i])}: Python ${canonical(p.with)}, its search ${canonical(p.search)}, TypeScript ${canonical(tsOutcomes[i])}`);
      });
      expect(pyDiffer.slice(0, 5), pyDiffer.slice(0, 5).join('\n')).toEqual([]);
      // Both languages take the direct reading for the same strings (the Python table carries TypeScript's paths).
      expect(python.filter((p) => p.direct).length).toBe(direct);

      const paths = directPathsOf(table);
      console.log(`direct reading ${era}: ${paths.filter(Boolean).length} of ${paths.length} commands have one; it answered ${direct} of ${texts.length} strings (${validDirect.size} of ${valid.size} distinct builder strings), all as the search does, in TypeScript and Python`);
      // It is the common path, not a rare one.
      expect(validDirect.size).toBeGreaterThan(valid.size * 0.6);
    });
});
