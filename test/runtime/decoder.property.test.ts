/**
 * decodeWith first asks its compiled checks whether a value plainly passes and walks the tables only when it
 * does not: the two must give the same answer for every value. Drawn values of every response and event, each
 * mutated at up to three random places (a wrong kind, null, a missing or extra field, an unknown tag or enum
 * value, a deep nest), are decoded both ways, leniently and strictly, with the default depth limit and with
 * small ones: the same value back, the same warnings, or the same DecodeError. The Python runtime's decode_with
 * and walk_with are held to the same on the same values.
 */
import { describe, expect, it } from 'vitest';
import { Sampler, seededRandom } from '../../src/mock/sample.js';
import { DecodeError, decodeWith, walkWith, type DecodeOptions, type DecodeWarning, type Schema } from '../../src/runtime/decoder.js';
import { decodeSchemaOf } from '../../src/runtime/tables.js';
import { buildModel } from '../helpers/model.js';
import { corpusPresent, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { minimalInput } from '../helpers/fixtures.js';
import { runPython } from '../helpers/python.js';
import path from 'node:path';

type Outcome = { same: boolean; warnings: DecodeWarning[] } | { error: string };
type Start = 'ChatResponse' | 'ChatEvent' | readonly ['ref', string];

function outcome(decode: typeof decodeWith, schema: Schema, start: Start, value: unknown, options: DecodeOptions): Outcome {
  const warnings: DecodeWarning[] = [];
  try {
    return { same: decode(schema, start, value, { ...options, onWarning: (w) => warnings.push(w) }) === value, warnings };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { error: e.message };
  }
}

const REPLACEMENTS: unknown[] = [null, 0, 1.5, -3, 'zzNewValue', '', true, [], {}, [1, 'x'], { type: 'zzNewValue' }];

/** A copy of `value` with up to three random edits somewhere inside. */
function mutated(value: unknown, random: () => number): unknown {
  const copy = structuredClone(value);
  const edits = 1 + Math.floor(random() * 3);
  for (let e = 0; e < edits; e++) {
    // A random container on a random walk down from the root, and one of its entries.
    let node: unknown = copy;
    for (let depth = 0; depth < 12; depth++) {
      const keys = node !== null && typeof node === 'object' ? Object.keys(node) : [];
      if (!keys.length || random() < 0.25) break;
      const next = (node as Record<string, unknown>)[keys[Math.floor(random() * keys.length)]!];
      if (next === null || typeof next !== 'object') break;
      node = next;
    }
    if (node === null || typeof node !== 'object') continue;
    const target = node as Record<string, unknown>;
    const keys = Object.keys(target);
    const key = keys.length && random() < 0.85 ? keys[Math.floor(random() * keys.length)]! : Array.isArray(target) ? String(target.length) : 'zzExtra';
    const r = random();
    if (r < 0.2 && !Array.isArray(target)) delete target[key];
    else if (r < 0.3) {
      // A nest deeper than the small limits below.
      let deep: unknown = target[key];
      for (let i = 0; i < 8; i++) deep = random() < 0.5 ? [deep] : { type: 'zz', v: deep };
      target[key] = deep;
    } else target[key] = structuredClone(REPLACEMENTS[Math.floor(random() * REPLACEMENTS.length)]);
  }
  return copy;
}

function holdsTheSameAnswers(schema: Schema, seed: number, rounds: number): number {
  const sampler = new Sampler(schema, seed);
  const random = seededRandom(seed + 1);
  const starts: [Start, () => unknown][] = [
    ...Object.keys(schema.responses).map((tag) => ['ChatResponse', () => sampler.response(tag)] as [Start, () => unknown]),
    ...Object.keys(schema.events).map((tag) => ['ChatEvent', () => sampler.event(tag)] as [Start, () => unknown]),
    ...Object.keys(schema.types).map((name) => [['ref', name], () => sampler.value(['ref', name])] as [Start, () => unknown]),
  ];
  const cases: { start: Start; value: unknown; strict: boolean; maxDepth: number | null }[] = [];
  const kinds = { passed: 0, warned: 0, failed: 0 };
  for (let round = 0; round < rounds; round++)
    for (const [start, draw] of starts) {
      const drawn = draw();
      for (const value of [drawn, mutated(drawn, random), mutated(drawn, random)])
        for (const options of [{}, { strict: true }, { maxDepth: Math.floor(random() * 6) }, { strict: true, maxDepth: 2 + Math.floor(random() * 6) }] as DecodeOptions[]) {
          const walked = outcome(walkWith, schema, start, value, options);
          const decoded = outcome(decodeWith, schema, start, value, options);
          // The value is written out only when the answers differ (there are tens of thousands).
          if (JSON.stringify(decoded) !== JSON.stringify(walked)) expect(decoded, JSON.stringify({ start, options, value }).slice(0, 600)).toEqual(walked);
          kinds['error' in walked ? 'failed' : walked.warnings.length ? 'warned' : 'passed']++;
          cases.push({ start, value, strict: options.strict === true, maxDepth: options.maxDepth ?? null });
        }
    }
  // The draws reach all three answers, or the comparison would prove little.
  for (const [kind, n] of Object.entries(kinds)) expect(n, kind).toBeGreaterThan(0);
  const py = runPython([path.join(REPO_ROOT, 'test/helpers/py_decoder_pair.py')], REPO_ROOT, JSON.stringify({ schema, cases }));
  expect(py.status, py.stderr).toBe(0);
  const { differ } = JSON.parse(py.stdout) as { differ: number[] };
  expect(differ.map((i) => JSON.stringify(cases[i]).slice(0, 600))).toEqual([]);
  return cases.length;
}

describe('decodeWith and walkWith', () => {
  it('read only own enumerable fields, the same way, whatever object a caller passes', () => {
    const schema: Schema = {
      types: { R: { kind: 'record', fields: [['constructor', 'string', false], ['toString', 'string', true], ['a', 'int', true]] } },
      responses: {},
      events: {},
    };
    const r = ['ref', 'R'] as const;
    const both = (value: unknown, options: DecodeOptions = {}) => {
      const walked = outcome(walkWith, schema, r, value, options);
      expect(outcome(decodeWith, schema, r, value, options)).toEqual(walked);
      return walked;
    };
    // Inherited members are not fields: `constructor` is missing, not a function.
    expect(both({})).toEqual({ error: '$.constructor: expected the required field "constructor", found nothing' });
    expect(both({ constructor: 'c' })).toEqual({ same: true, warnings: [] });
    expect(both(Object.create({ constructor: 'c' }))).toMatchObject({ error: expect.stringContaining('required field "constructor"') });
    const hidden = { constructor: 'c' };
    Object.defineProperty(hidden, 'a', { value: 'not an int', enumerable: false });
    expect(both(hidden, { strict: true })).toEqual({ same: true, warnings: [] });
    class Instance {
      constructor(readonly a: number) {}
    }
    expect(both(Object.assign(new Instance(1), { constructor: 'c' }))).toEqual({ same: true, warnings: [] });
    expect(both(Object.assign(Object.create(null) as object, { constructor: 'c', a: 1.5 }))).toEqual({ error: '$.a: expected an integer, found number 1.5' });
    // A key made enumerable on Object.prototype reaches every for...in: the answers stay the walk's.
    // (A required field of that name, missing from the object itself, is still missing.)
    const polluted = { ...schema, types: { ...schema.types, P: { kind: 'record', fields: [['zzPolluted', 'int', false]] } } } as Schema;
    Object.defineProperty(Object.prototype, 'zzPolluted', { value: 1, enumerable: true, configurable: true, writable: true });
    let answers: Outcome[];
    try {
      answers = [{}, { strict: true }].flatMap((options) => [outcome(walkWith, polluted, ['ref', 'P'], {}, options), outcome(decodeWith, polluted, ['ref', 'P'], {}, options)]);
    } finally {
      delete (Object.prototype as Record<string, unknown>)['zzPolluted'];
    }
    expect(answers).toEqual(Array(4).fill({ error: '$.zzPolluted: expected the required field "zzPolluted", found nothing' }));
  });


  it('give the same answers on the minimal spec', () => {
    const n = holdsTheSameAnswers(decodeSchemaOf(buildModel(minimalInput()).model), 7, 20);
    expect(n).toBeGreaterThan(1000);
  });

  it.runIf(corpusPresent)('give the same answers on the latest era, every response, event and type', () => {
    const n = holdsTheSameAnswers(decodeSchemaOf(buildModel(eraInput('latest')).model), 20261204, 4);
    expect(n).toBeGreaterThan(10000);
  });
});

describe('the Python checks', () => {
  it('are compiled one function at a time, when first called: one small value compiles a few of the latest era\'s hundreds', () => {
    const schema = decodeSchemaOf(buildModel(corpusPresent ? eraInput('latest') : minimalInput()).model);
    const script = [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(path.join(REPO_ROOT, 'src/runtime/python'))})`,
      'from _decoder import _CHECKS, decode_with',
      'schema = json.load(sys.stdin)',
      'value = {"type": "chatError", "chatError": {"type": "errorStore", "storeError": {"type": "userNotFound", "userId": 1}}}',
      'tag = "chatError" if "chatError" in schema["events"] else next(iter(schema["events"]))',
      'ok = decode_with(schema, "ChatEvent", value) is value if tag == "chatError" else True',
      'checks = _CHECKS[id(schema)][1][(False, True)] if tag == "chatError" else None',
      'print(json.dumps({"ok": ok, "written": len(checks.names) if checks else 0, "waiting": len(checks.sources) if checks else 0}))',
    ].join('\n');
    const r = runPython(['-c', script], REPO_ROOT, JSON.stringify(schema));
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; written: number; waiting: number };
    expect(out.ok).toBe(true);
    if (corpusPresent) {
      // Every function is written (its source), few are compiled.
      expect(out.written).toBeGreaterThan(300);
      expect(out.written - out.waiting).toBeLessThan(20);
    }
  });
});
