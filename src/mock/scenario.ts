/**
 * Scenario files script the mock chat core (JSON; schema/scenario.schema.json describes them):
 *
 *   { "onConnect": [<event>, …],
 *     "rules": [{ "command": "<Name>", "match": {…params}, "respond": <response>, "events": [<event>, …],
 *                 "act": [<peer action>, …] }, …] }
 *
 * Rules are tried in order; responses and events may be partial and are completed from the model. The checks are
 * strict, so that a mistake cannot make a rule silently never fire: an unknown key anywhere (with did-you-mean),
 * a `match` on a parameter the command does not have, a response the command does not document (unless the rule
 * says `"undocumented": true`), an unknown command, response, event or peer action, or a response or event that
 * does not decode strictly once completed, is a diagnostic at its JSON path (`file:line:column`), and the server
 * does not start. Commands the documents do not list (upstream's SDKs send some) are answered by rules with
 * `"prefix": "<start of the command string>"` and `"undocumented": true`.
 */
import path from 'node:path';
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics/diagnostic.js';
import { JsonSyntaxError, parseJsonWithPositions, type JsonPosition } from '../config/jsonPositions.js';
import { decodeUtf8, describeReadProblem, readRegularFile } from '../io/readInput.js';
import { suggest as didYouMean } from '../model/validate.js';
import { DecodeError, decodeWith } from '../runtime/decoder.js';
import { schemaTypeOf } from '../runtime/tables.js';
import type { Schema, SchemaType } from '../runtime/decoder.js';
import type { ApiModel } from '../model/types.js';
import { peerActionProblem, type PeerAction } from './peers.js';
import { Sampler } from './sample.js';

export interface ScenarioRule {
  /** The documented command the rule answers; or */
  command?: string;
  /** the start of a command string the documents do not list (needs `undocumented`). */
  prefix?: string;
  match?: Record<string, unknown>;
  respond?: Record<string, unknown>;
  events?: Record<string, unknown>[];
  /** What simulated peers do after the response, in order. */
  act?: PeerAction[];
  /** The response need not be one the documents give for the command. */
  undocumented?: boolean;
}

export interface Scenario {
  onConnect: Record<string, unknown>[];
  rules: ScenarioRule[];
}

/**
 * What checking a scenario needs of the core that will serve it (MockCore has it): the model and its decoders'
 * schema, and how the core completes a partial response or event, so that the check decodes what will be sent.
 */
export interface ScenarioTarget {
  readonly model: ApiModel;
  readonly schema: Schema;
  complete(start: 'ChatResponse' | 'ChatEvent', partial: Readonly<Record<string, unknown>>, sampler: Sampler): Record<string, unknown>;
}

const MAX_SCENARIO_BYTES = 8 * 1024 * 1024;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads and checks a scenario against the model the mock serves. */
export function loadScenario(file: string, shown: string, core: ScenarioTarget): { scenario?: Scenario; diagnostics: Diagnostic[] } {
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

  const commands = new Map(core.model.commands.map((c) => [c.name, c]));
  const sampler = new Sampler(core.schema, 0);
  const checked = (start: 'ChatResponse' | 'ChatEvent', p: string, v: unknown, lenient = false): Record<string, unknown> | undefined => {
    if (!isObject(v)) {
      report(p, `a ${start === 'ChatResponse' ? 'response' : 'event'} is a JSON object`, '{"type": "<tag>", …}');
      return undefined;
    }
    const tags = start === 'ChatResponse' ? core.schema.responses : core.schema.events;
    // An undocumented response of an undocumented rule is sent as it is written.
    if (lenient && typeof v['type'] === 'string' && !Object.hasOwn(tags, v['type'])) return v;
    if (v['type'] !== undefined && (typeof v['type'] !== 'string' || !Object.hasOwn(tags, v['type']))) {
      report(`${p}.type`, `${JSON.stringify(v['type'])} is not the tag of a documented ${start === 'ChatResponse' ? 'response' : 'event'}`, suggest(String(v['type']), Object.keys(tags)));
      return undefined;
    }
    if (v['type'] === undefined && start === 'ChatEvent') {
      report(p, 'an event names its "type"', 'the tag of a documented event');
      return undefined;
    }
    if (v['type'] === undefined) return v;
    const before = diagnostics.length;
    unknownKeys(core.schema, tags[v['type'] as string]!, v, p, report);
    if (diagnostics.length > before) return undefined;
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
      if (!isObject(r)) return report(p, 'a rule is a JSON object', '{"command": "<Name>", "match": {…}, "respond": {…}, "events": […], "act": […]}');
      const keys = ['command', 'prefix', 'match', 'respond', 'events', 'act', 'undocumented'];
      for (const key of Object.keys(r)) if (!keys.includes(key)) report(`${p}.${key}`, `unknown key "${key}"`, suggest(key, keys));
      if (r['undocumented'] !== undefined && typeof r['undocumented'] !== 'boolean') report(`${p}.undocumented`, 'undocumented is true or false');
      const undocumented = r['undocumented'] === true;
      const rule: ScenarioRule = {};
      if (r['prefix'] !== undefined) {
        if (typeof r['prefix'] !== 'string' || r['prefix'] === '') return report(`${p}.prefix`, 'a prefix is the non-empty start of a command string', '"/_get chat "');
        if (r['command'] !== undefined) return report(`${p}.prefix`, 'a rule has "command" or "prefix", not both');
        if (!undocumented) return report(`${p}.prefix`, 'a prefix rule answers a command the documents do not list: it says "undocumented": true');
        if (r['match'] !== undefined) return report(`${p}.match`, 'a prefix rule has no parameters to match');
        if (r['respond'] === undefined || !isObject(r['respond']) || typeof r['respond']['type'] !== 'string') return report(`${p}.respond`, 'a prefix rule gives its response with its "type"', '{"type": "<tag>", …}');
        rule.prefix = r['prefix'];
      } else {
        if (typeof r['command'] !== 'string' || !commands.has(r['command'])) return report(`${p}.command`, `${JSON.stringify(r['command'])} is not a documented command`, suggest(String(r['command']), [...commands.keys()]));
        rule.command = r['command'];
      }
      const command = rule.command === undefined ? undefined : commands.get(rule.command)!;
      if (r['match'] !== undefined) {
        if (!isObject(r['match'])) return report(`${p}.match`, 'a match is a JSON object of parameters', '{"<param>": <value>, …}');
        const params = new Map((command?.params ?? []).map((f) => [f.name, f.type] as const));
        const types = new Map(core.model.types.map((t) => [t.name, t]));
        for (const [k, v] of Object.entries(r['match'])) {
          const t = params.get(k);
          if (!t) {
            report(`${p}.match.${k}`, `${rule.command} has no parameter "${k}"`, suggest(k, [...params.keys()]));
            continue;
          }
          unknownKeys(core.schema, [[k, schemaTypeOf(t, types), false]], { [k]: v }, `${p}.match`, report);
        }
        rule.match = r['match'];
      }
      if (r['respond'] !== undefined) {
        const respond = checked('ChatResponse', `${p}.respond`, r['respond'], undocumented);
        const tag = respond?.['type'];
        if (respond && command && typeof tag === 'string' && !undocumented && !command.responses.some((x) => x.tag === tag))
          report(`${p}.respond.type`, `${rule.command} does not document the response "${tag}"`, `one of ${command.responses.map((x) => `"${x.tag}"`).join(', ')}, or "undocumented": true on the rule`);
        else if (respond) rule.respond = respond;
      }
      const ruleEvents = events(`${p}.events`, r['events']);
      if (ruleEvents.length) rule.events = ruleEvents;
      if (r['act'] !== undefined) {
        if (!Array.isArray(r['act'])) report(`${p}.act`, 'act is a JSON array of peer actions', '[{"action": "connect", "name": "alice"}, …]');
        else
          r['act'].forEach((a, j) => {
            const problem = peerActionProblem(a);
            if (problem) report(`${p}.act[${j}]${problem.key ? `.${problem.key}` : ''}`, problem.message);
          });
        if (Array.isArray(r['act'])) rule.act = r['act'] as PeerAction[];
      }
      if (undocumented) rule.undocumented = true;
      scenario.rules.push(rule);
    });
  return diagnostics.length ? { diagnostics } : { scenario, diagnostics };
}

/**
 * Reports every key of `value` that its type does not have, at its path, with did-you-mean: a misspelt key in a
 * match would make the rule never fire, and one in a response would be sent as it is.
 */
function unknownKeys(schema: Schema, fields: readonly (readonly [string, SchemaType, boolean])[], value: Record<string, unknown>, p: string, report: (p: string, message: string, expected?: string) => void): void {
  const names = fields.map((f) => f[0]);
  for (const [k, v] of Object.entries(value)) {
    const field = fields.find((f) => f[0] === k);
    if (!field) report(`${p}.${k}`, `unknown key "${k}"`, suggest(k, names));
    else walkKeys(schema, field[1], v, `${p}.${k}`, report, 0);
  }
}

function walkKeys(schema: Schema, t: SchemaType, v: unknown, p: string, report: (p: string, message: string, expected?: string) => void, depth: number): void {
  if (typeof t === 'string' || v === null || typeof v !== 'object' || depth > 64) return;
  switch (t[0]) {
    case 'opt':
      return walkKeys(schema, t[1], v, p, report, depth);
    case 'list':
      if (Array.isArray(v)) v.forEach((x, i) => walkKeys(schema, t[1], x, `${p}[${i}]`, report, depth + 1));
      return;
    case 'map':
      if (!Array.isArray(v)) for (const [k, x] of Object.entries(v)) walkKeys(schema, t[2], x, `${p}.${k}`, report, depth + 1);
      return;
    case 'ref': {
      const entry = schema.types[t[1]];
      if (!entry || entry.kind === 'enum' || Array.isArray(v)) return;
      const record = v as Record<string, unknown>;
      const fields = entry.kind === 'record' ? entry.fields : typeof record['type'] === 'string' ? entry.members[record['type']] : undefined;
      if (!fields) return; // an unknown tag is reported by the decoder
      unknownKeys(schema, entry.kind === 'union' && !fields.some((f) => f[0] === 'type') ? [['type', 'string', false], ...fields] : fields, record, p, report);
    }
  }
}

function suggest(name: string, known: readonly string[]): string {
  return didYouMean(name, new Set(known)) ?? `one of ${known.slice(0, 8).map((k) => `"${k}"`).join(', ')}${known.length > 8 ? ', …' : ''}`;
}
