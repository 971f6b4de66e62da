/**
 * A builder given missing or wrong parameters says which command and which field, in both languages: TypeScript
 * a TypeError (never `undefined` in the string), Python a CommandParameterError, a ValueError (never a bare
 * KeyError). Every required parameter of every command of the latest era is tried.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../helpers/model.js';
import { paramsUsed } from '../../src/syntax/ast.js';
import { CORPUS_MISSING, corpusPresent, eraInput } from '../helpers/corpus.js';
import { generateInto, importTypeScript } from '../helpers/generate.js';
import { runPython } from '../helpers/python.js';

describe('builders with missing or wrong parameters', () => {
  it('name the command and the field in both languages, for every required parameter of every command', async () => {
    if (!corpusPresent) throw new Error(CORPUS_MISSING);
    const input = eraInput('latest');
    const model = buildModel(input).model;
    const g = await generateInto(input, ['typescript', 'python']);
    const ts = (await importTypeScript(g.dir)) as Record<string, { cmdString: (s: unknown) => string }>;
    const cases: { command: string; field: string }[] = [];
    for (const c of model.commands) {
      const used = paramsUsed(c.syntax.ast!);
      for (const p of c.params ?? []) if (p.type.kind !== 'optional' && used.has(p.name)) cases.push({ command: c.name, field: p.name });
    }
    expect(cases.length).toBeGreaterThan(80);
    // Each required parameter left out of an object that has every other (dummy values of the right shape).
    const failures: string[] = [];
    for (const { command, field } of cases) {
      const params: Record<string, unknown> = {};
      for (const p of model.commands.find((c) => c.name === command)!.params ?? []) if (p.name !== field) params[p.name] = dummy(p.type);
      try {
        ts[command]!.cmdString(params);
        failures.push(`${command}.${field}: no error`);
      } catch (e) {
        if (!(e instanceof TypeError) || e.message !== `${command}: ${field} is missing (a required parameter)`) failures.push(`${command}.${field}: ${String(e)}`);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    for (const bad of [undefined, null, 5, 'x'])
      expect(() => ts['APISendMessages']!.cmdString(bad)).toThrow(new TypeError('APISendMessages: the parameters must be an object'));

    const script = `import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(g.dir, 'python'))})
from simplex_api import CC, T
out = []
for case in json.loads(sys.stdin.read()):
    try:
        getattr(CC, case["command"] + "_cmd_string")(case["params"])
        out.append("no error")
    except T.CommandParameterError as e:
        out.append("%s|%s|%s|%s" % (isinstance(e, ValueError), e.owner, e.field, e))
    except Exception as e:
        out.append("%s: %s" % (type(e).__name__, e))
print(json.dumps(out))`;
    const pyCases = cases.map(({ command, field }) => {
      const params: Record<string, unknown> = {};
      for (const p of model.commands.find((c) => c.name === command)!.params ?? []) if (p.name !== field) params[p.name] = dummy(p.type);
      return { command, params };
    });
    pyCases.push({ command: 'APISendMessages', params: null as never });
    const r = runPython(['-c', script], g.dir, JSON.stringify(pyCases));
    expect(r.stderr).toBe('');
    const results = JSON.parse(r.stdout) as string[];
    const pyFailures = cases.map((c, i) => (results[i] === `True|${c.command}|${c.field}|${c.command}: ${c.field} is missing (a required parameter)` ? undefined : `${c.command}.${c.field}: ${results[i]}`)).filter(Boolean);
    expect(pyFailures.slice(0, 5)).toEqual([]);
    expect(results.at(-1)).toBe('True|APISendMessages|None|APISendMessages: the parameters must be a dict, not NoneType');
  });
});

/** A value of the right shape for a parameter type (enough for a builder to write something). */
function dummy(t: import('../../src/model/types.js').TypeExpr): unknown {
  switch (t.kind) {
    case 'optional':
      return undefined;
    case 'list':
      return [dummy(t.element)];
    case 'map':
      return {};
    case 'literal':
      return t.value;
    case 'primitive':
      return t.name === 'bool' ? false : t.name === 'string' ? 'x' : /int|word|double|float/.test(t.name) ? 1 : {};
    case 'ref':
      return REFS[t.name] ?? {};
  }
}

const REFS: Record<string, unknown> = {
  ChatRef: { chatType: 'direct', chatId: 1 },
  ChatType: 'direct',
  ChatDeleteMode: { type: 'full', notify: true },
  GroupMemberRole: 'member',
  CIDeleteMode: 'broadcast',
  CreatedConnLink: { connFullLink: 'x' },
  PaginationByTime: { type: 'last', count: 1 },
  ChatPagination: { type: 'last', count: 1 },
  MsgReaction: { type: 'emoji', emoji: '👍' },
};
