/**
 * The rendered snippets run: for every command of the seed-era and latest documents, drawn parameter values
 * go through the rendered JavaScript (evaluated here) and the rendered Python (one python3 process), and both
 * must build the same string.
 *
 * The documented snippets differ in one deliberate, upstream way: JavaScript tests an optional parameter by
 * truthiness (`ttl ? … : ''`), Python by `is not None`, so `ttl: 0` and `filePath: ''` are dropped by the one
 * and written by the other. For such draws the test asserts exactly that difference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paramsUsedOutsideOptional } from '../../src/syntax/ast.js';
import { joinedParams } from '../../src/syntax/ast.js';
import { renderSnippets } from '../../src/syntax/snippets.js';
import { buildModel } from '../helpers/model.js';
import { corpusPresent, eraInput, type EraName } from '../helpers/corpus.js';
import { DrawCoverage } from '../helpers/coverage.js';
import { Drawer } from '../helpers/draw.js';
import { runPythonBatch } from '../helpers/python.js';
import { evalJs, SnippetEnv } from '../helpers/snippetEnv.js';
import { withoutFalsyOptionals } from '../helpers/truthiness.js';

const SEED = 20261129;
const RUNS_PER_COMMAND = 150;

describe.runIf(corpusPresent)('rendered JavaScript and Python snippets build the same strings', () => {
  for (const era of ['seed', 'latest'] as EraName[]) {
    it(`${era} era: every command, ${RUNS_PER_COMMAND} draws each`, () => {
      const { model } = buildModel(eraInput(era));
      const env = new SnippetEnv(model);
      const drawer = new Drawer(model);
      const types = new Map(model.types.map((t) => [t.name, t]));
      const coverage = new DrawCoverage();
      const cases: { command: string; values: Record<string, unknown>; js: string; quirk: boolean }[] = [];
      const pyCases: { expr: string; env: Record<string, unknown>; envTypes: Record<string, unknown> }[] = [];
      const missing: string[] = [];
      let commands = 0;

      for (const s of renderSnippets(model)) {
        if (s.owner.kind !== 'command' || !s.documentedForm) continue;
        const command = model.commands.find((c) => c.name === s.owner.name)!;
        const params = command.params ?? [];
        const ast = s.syntax.ast!;
        const alwaysPresent = new Set([...paramsUsedOutsideOptional(ast)].filter((n) => params.some((p) => p.name === n)));
        const arb = drawer.record(params, 0, { nonEmpty: new Set(joinedParams(ast)), alwaysPresent });
        commands++;
        for (const values of fc.sample(arb, { numRuns: RUNS_PER_COMMAND, seed: SEED })) {
          coverage.note(command.name, params, values);
          const jsEnv: Record<string, unknown> = { ...env.namespaces };
          for (const p of params) jsEnv[p.name] = env.wrapJs(values[p.name], p.type);
          const js = evalJs(s.javascript, jsEnv);
          const truthy = withoutFalsyOptionals(model, values, params, ast);
          const quirk = JSON.stringify(truthy) !== JSON.stringify(values);
          const envTypes = Object.fromEntries(params.map((p) => [p.name, p.type]));
          const pyEnv = (v: Record<string, unknown>) => Object.fromEntries(params.map((p) => [p.name, v[p.name] ?? null]));
          cases.push({ command: command.name, values, js, quirk });
          pyCases.push({ expr: s.python, env: pyEnv(values), envTypes });
          // What Python writes with those values absent, which is what JavaScript's truthiness test writes.
          if (quirk) pyCases.push({ expr: s.python, env: pyEnv(truthy), envTypes });
        }
        missing.push(...coverage.missing(command.name, params, types, alwaysPresent));
      }

      const results = runPythonBatch({ prelude: env.pythonPrelude(), types: env.pythonTypes(), wrap: env.seedStyle, cases: pyCases });
      let i = 0;
      let quirks = 0;
      const failures: string[] = [];
      for (const c of cases) {
        const py = results[i++]!;
        const asAbsent = c.quirk ? results[i++]! : undefined;
        const show = `${c.command} ${JSON.stringify(c.values)}`;
        if ('error' in py) failures.push(`${show}: Python raised ${py.error}`);
        else if (asAbsent) {
          quirks++;
          // Deliberate upstream difference: Python writes the falsy value, JavaScript drops it.
          if (!('ok' in asAbsent) || asAbsent.ok !== c.js) failures.push(`${show}: JavaScript ${JSON.stringify(c.js)} is not what Python writes without the falsy optionals: ${JSON.stringify(asAbsent)}`);
          if (py.ok === c.js) failures.push(`${show}: expected the documented truthiness difference, but both wrote ${JSON.stringify(c.js)}`);
        } else if (py.ok !== c.js) failures.push(`${show}:\n  JavaScript: ${JSON.stringify(c.js)}\n  Python:     ${JSON.stringify(py.ok)}`);
      }
      console.log(`snippets ${era}: ${commands} commands, ${cases.length} draws (seed ${SEED}), ${quirks} with the truthiness difference`);
      expect(failures.slice(0, 10), failures.slice(0, 10).join('\n')).toEqual([]);
      expect(missing, missing.join('\n')).toEqual([]);
      expect(commands).toBeGreaterThanOrEqual(era === 'latest' ? 50 : 35);
      expect(quirks).toBeGreaterThan(0);
    });
  }
});
