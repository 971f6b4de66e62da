/**
 * The TypeScript builders behave as the syntax says: for drawn values of every command of each era, cmdString
 * builds what the documented JavaScript snippet builds (except where the README's decisions differ, which the
 * test checks precisely), and a hand-written table pins concrete strings.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiModel } from '../../src/model/types.js';
import { buildModel } from '../helpers/model.js';
import { joinedParams, paramsUsedOutsideOptional } from '../../src/syntax/ast.js';
import { renderSnippets } from '../../src/syntax/snippets.js';
import { BUILDER_CASES } from '../helpers/builderCases.js';
import { corpusPresent, ERA_NAMES, eraInput, type EraName } from '../helpers/corpus.js';
import { Drawer } from '../helpers/draw.js';
import { generateInto, importTypeScript } from '../helpers/generate.js';
import { evalJs, SnippetEnv } from '../helpers/snippetEnv.js';
import { withoutFalsyOptionals } from '../helpers/truthiness.js';
import { eraSweep } from '../helpers/tier.js';

const SEED = 424242;
const RUNS = 100;

type Builders = Record<string, { cmdString: (self: object) => string }>;

async function buildersOf(era: EraName): Promise<{ model: ApiModel; mod: Builders }> {
  const input = eraInput(era);
  const g = await generateInto(input, ['typescript']);
  return { model: buildModel(input).model, mod: (await importTypeScript(g.dir)) as unknown as Builders };
}

describe.runIf(corpusPresent)('TypeScript cmdString builders', () => {
  for (const era of eraSweep(ERA_NAMES))
    it(`${era} era: cmdString equals the rendered JavaScript snippet for drawn values`, async () => {
      const { model, mod } = await buildersOf(era);
      const env = new SnippetEnv(model);
      const drawer = new Drawer(model);
      let compared = 0;
      let commands = 0;
      let departures = 0;
      const failures: string[] = [];
      for (const s of renderSnippets(model)) {
        if (s.owner.kind !== 'command') continue;
        const command = model.commands.find((c) => c.name === s.owner.name)!;
        const params = command.params ?? [];
        const ast = s.syntax.ast!;
        const arb = drawer.record(params, 0, { nonEmpty: new Set(joinedParams(ast)), alwaysPresent: paramsUsedOutsideOptional(ast) });
        const build = mod[command.name]!.cmdString;
        commands++;
        for (const values of fc.sample(arb, { numRuns: RUNS, seed: SEED })) {
          const jsEnv: Record<string, unknown> = { ...env.namespaces };
          for (const p of params) jsEnv[p.name] = env.wrapJs(values[p.name], p.type);
          const snippet = evalJs(s.javascript, jsEnv);
          const built = build(values);
          const truthy = withoutFalsyOptionals(model, values, params, ast);
          compared++;
          if (JSON.stringify(truthy) === JSON.stringify(values)) {
            if (built !== snippet) failures.push(`${command.name} ${JSON.stringify(values)}:\n  snippet: ${snippet}\n  builder: ${built}`);
          } else {
            // Deliberate: the builder writes present falsy optionals; without them it writes what the snippet writes.
            departures++;
            if (build(truthy) !== snippet) failures.push(`${command.name} ${JSON.stringify(values)}: builder without falsy optionals ${build(truthy)} != snippet ${snippet}`);
          }
        }
      }
      console.log(`builders ${era}: ${commands} commands, ${compared} draws (seed ${SEED}), ${departures} with falsy optionals written`);
      expect(failures.slice(0, 5), failures.slice(0, 5).join('\n')).toEqual([]);
      expect(commands).toBe(model.commands.length);
    });

  describe('hand-written cases (latest era)', () => {
    let mod: Builders;
    beforeAll(async () => {
      mod = (await buildersOf('latest')).mod;
    });
    it(`has at least 30 cases`, () => expect(BUILDER_CASES.length).toBeGreaterThanOrEqual(30));
    for (const c of BUILDER_CASES)
      it(`${c.command} ${JSON.stringify(c.params)}${c.why ? ` (${c.why})` : ''}`, () => {
        const build = () => mod[c.command]!.cmdString(c.params);
        if (typeof c.want === 'string') expect(build()).toBe(c.want);
        else expect(build).toThrow(c.want.throws);
      });
  });
});
