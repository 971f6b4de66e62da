/**
 * Scenario files script the mock chat core (JSON; schema/scenario.schema.json describes them):
 *
 *   { "onConnect": [<event>, …],
 *     "rules": [{ "command": "<Name>", "match": {…params}, "respond": <response>, "events": [<event>, …] }, …] }
 *
 * Rules are tried in order; responses and events may be partial and are completed from the model. A scenario
 * that names an unknown command, response or event, or whose response or event does not decode strictly once
 * completed, is a diagnostic at its JSON path (`file:line:column`), and the server does not start.
 */
import path from 'node:path';
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics/diagnostic.js';
import { JsonSyntaxError, parseJsonWithPositions, type JsonPosition } from '../config/jsonPositions.js';
import { decodeUtf8, describeReadProblem, readRegularFile } from '../io/readInput.js';
import { suggest as didYouMean } from '../model/validate.js';
import { DecodeError, decodeWith } from '../runtime/decoder.js';
import { MockCore } from './core.js';
import { Sampler } from './sample.js';

export interface ScenarioRule {
  command: string;
  match?: Record<string, unknown>;
  respond?: Record<string, unknown>;
  events?: Record<string, unknown>[];
}

export interface Scenario {
  onConnect: Record<string, unknown>[];
  rules: ScenarioRule[];
}

const MAX_SCENARIO_BYTES = 8 * 1024 * 1024;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads and checks a scenario against the model the mock serves. */
export function loadScenario(file: string, shown: string, core: MockCore): { scenario?: Scenario; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let positions = new Map<string, JsonPosition>();
  const at = (p: string): JsonPosition | undefined => {
    // The place itself, or the nearest enclosing one that has a position (a missing field is reported at its object).
    for (let q = p; q; q = q.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
      const pos = positions.get(q);
      if (pos) return pos;
      if (q === '$') break;
    }
    return undefined;
  };
  const report = (p: string, message: string, expected?: string) =>
    diagnostics.push(diagnostic(DiagnosticCodes.SCENARIO_INVALID, shown, at(p), `${p}: ${message}`, expected ? { expected } : {}));

  const read = readRegularFile(path.resolve(file), MAX_SCENARIO_BYTES);
  if ('problem' in read) {
    report('$', `scenario file ${describeReadProblem(read.problem, MAX_SCENARIO_BYTES)}`, 'a JSON file');
    return { diagnostics };
  }
  const decoded = decodeUtf8(read.bytes);
  if ('invalidAt' in decoded) {
    diagnostics.push(diagnostic(DiagnosticCodes.SCENARIO_INVALID, shown, decoded.invalidAt, 'the scenario is not UTF-8'));
    return { diagnostics };
  }
  let value: unknown;
  try {
    const parsed = parseJsonWithPositions(decoded.text);
    value = parsed.value;
    positions = parsed.positions;
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      diagnostics.push(diagnostic(DiagnosticCodes.SCENARIO_INVALID, shown, e.position, `the scenario is not valid JSON: ${e.message}`, { expected: 'a JSON object' }));
      return { diagnostics };
    }
    throw e;
  }
  if (!isObject(value)) {
    report('$', 'a scenario is a JSON object', '{"onConnect": [...], "rules": [...]}');
    return { diagnostics };
  }
  for (const key of Object.keys(value)) if (!['$schema', 'onConnect', 'rules'].includes(key)) report(`$.${key}`, `unknown key "${key}"`, 'one of "$schema", "onConnect", "rules"');

  const commands = new Set(core.model.commands.map((c) => c.name));
  const sampler = new Sampler(core.schema, 0);
  const checked = (start: 'ChatResponse' | 'ChatEvent', p: string, v: unknown): Record<string, unknown> | undefined => {
    if (!isObject(v)) {
      report(p, `a ${start === 'ChatResponse' ? 'response' : 'event'} is a JSON object`, '{"type": "<tag>", …}');
      return undefined;
    }
    const tags = start === 'ChatResponse' ? core.schema.responses : core.schema.events;
    if (v['type'] !== undefined && (typeof v['type'] !== 'string' || !Object.hasOwn(tags, v['type']))) {
      report(`${p}.type`, `${JSON.stringify(v['type'])} is not the tag of a documented ${start === 'ChatResponse' ? 'response' : 'event'}`, suggest(String(v['type']), Object.keys(tags)));
      return undefined;
    }
    if (v['type'] === undefined && start === 'ChatEvent') {
      report(p, 'an event names its "type"', 'the tag of a documented event');
      return undefined;
    }
    if (v['type'] === undefined) return v;
    try {
      decodeWith(core.schema, start, core.complete(start, v, sampler), { strict: true });
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      report(p + e.path.slice(1), `once completed from the model, it does not decode: expected ${e.expected}, found ${e.found}`);
      return undefined;
    }
    return v;
  };
  const events = (p: string, v: unknown): Record<string, unknown>[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      report(p, 'events are a JSON array', '[{"type": "<tag>", …}, …]');
      return [];
    }
    return v.map((e, i) => checked('ChatEvent', `${p}[${i}]`, e)).filter((e): e is Record<string, unknown> => e !== undefined);
  };

  const scenario: Scenario = { onConnect: events('$.onConnect', value['onConnect']), rules: [] };
  const rules = value['rules'];
  if (rules !== undefined && !Array.isArray(rules)) report('$.rules', 'rules are a JSON array', '[{"command": "<Name>", …}, …]');
  if (Array.isArray(rules))
    rules.forEach((r, i) => {
      const p = `$.rules[${i}]`;
      if (!isObject(r)) return report(p, 'a rule is a JSON object', '{"command": "<Name>", "match": {…}, "respond": {…}, "events": […]}');
      for (const key of Object.keys(r)) if (!['command', 'match', 'respond', 'events'].includes(key)) report(`${p}.${key}`, `unknown key "${key}"`, 'one of "command", "match", "respond", "events"');
      if (typeof r['command'] !== 'string' || !commands.has(r['command'])) return report(`${p}.command`, `${JSON.stringify(r['command'])} is not a documented command`, suggest(String(r['command']), [...commands]));
      if (r['match'] !== undefined && !isObject(r['match'])) return report(`${p}.match`, 'a match is a JSON object of parameters', '{"<param>": <value>, …}');
      const rule: ScenarioRule = { command: r['command'] };
      if (r['match'] !== undefined) rule.match = r['match'] as Record<string, unknown>;
      if (r['respond'] !== undefined) {
        const respond = checked('ChatResponse', `${p}.respond`, r['respond']);
        if (respond) rule.respond = respond;
      }
      const ruleEvents = events(`${p}.events`, r['events']);
      if (ruleEvents.length) rule.events = ruleEvents;
      scenario.rules.push(rule);
    });
  return diagnostics.length ? { diagnostics } : { scenario, diagnostics };
}

function suggest(name: string, known: readonly string[]): string {
  return didYouMean(name, new Set(known)) ?? `one of ${known.slice(0, 8).map((k) => `"${k}"`).join(', ')}${known.length > 8 ? ', …' : ''}`;
}
