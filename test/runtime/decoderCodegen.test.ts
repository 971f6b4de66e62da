/**
 * The decoder's generated checks (src/runtime/decoder.ts, generatedRecordCheck and generatedUnionCheck): a record
 * or union met often is checked by a function made for it, and where the platform forbids making code from
 * strings, the closures give every answer instead, the same ones.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sampler } from '../../src/mock/sample.js';
import { decodeWith, walkWith, type Schema } from '../../src/runtime/decoder.js';
import { decodeSchemaOf } from '../../src/runtime/tables.js';
import { runChild } from '../helpers/child.js';
import { corpusPresent, eraInput } from '../helpers/corpus.js';
import { edited } from '../helpers/edited.js';
import { minimalInput, tempDir } from '../helpers/fixtures.js';
import { generateInto, importTypeScript } from '../helpers/generate.js';
import { buildModel } from '../helpers/model.js';

const SCHEMA: Schema = {
  types: {
    R: { kind: 'record', fields: [['a', 'int', false], ['items', ['list', ['ref', 'S']], false], ['note', ['opt', 'string'], true]] },
    S: { kind: 'record', fields: [['s', 'string', false]] },
    U: { kind: 'union', members: { one: [['type', ['lit', 'one'], false], ['r', ['ref', 'R'], false]], two: [['type', ['lit', 'two'], false]] } },
  },
  responses: {},
  events: {},
};

/** The stack of what a getter on `key` throws while `value` is decoded. */
function stackAtRead(start: ['ref', string], value: Record<string, unknown>, key: string): string {
  let stack = '';
  Object.defineProperty(value, key, {
    enumerable: true,
    get() {
      stack = new Error('read').stack ?? '';
      throw new Error('read');
    },
  });
  expect(() => decodeWith(SCHEMA, start, value)).toThrow('read');
  return stack;
}

describe('the decoder\'s generated checks', () => {
  it('check a record or union met often with a function made for it (after the closures\' first calls)', () => {
    const r = () => ({ a: 1, items: [{ s: 'x' }], note: null });
    // The first calls: the closures answer.
    expect(stackAtRead(['ref', 'R'], { ...r() }, 'a')).not.toMatch(/at record \(eval/);
    for (let i = 0; i < 40; i++) {
      expect(decodeWith(SCHEMA, ['ref', 'U'], { type: 'one', r: r() })).toBeTruthy();
      // Wrong values still fall to the walk, which says what and where.
      expect(() => decodeWith(SCHEMA, ['ref', 'U'], { type: 'one', r: { ...r(), items: [{ s: 1 }] } })).toThrow('$.r.items[0].s: expected a string, found number 1');
    }
    expect(stackAtRead(['ref', 'R'], { ...r() }, 'a')).toMatch(/at record \(eval/);
    expect(stackAtRead(['ref', 'U'], { r: r() }, 'type')).toMatch(/at union \(eval/);
  });

  it('read keys in any order: the documents\' order, reversed, or with unknown ones between, the walk\'s answers', () => {
    const schema = decodeSchemaOf(buildModel(corpusPresent ? eraInput('latest') : minimalInput()).model);
    const sampler = new Sampler(schema, 5);
    // Every object's keys reversed, or an unknown key before each: the same fields, met in another order.
    const rebuilt = (v: unknown, keys: (o: Record<string, unknown>) => [string, unknown][]): unknown =>
      Array.isArray(v) ? v.map((x) => rebuilt(x, keys)) : v !== null && typeof v === 'object' ? Object.fromEntries(keys(v as Record<string, unknown>).map(([k, x]) => [k, rebuilt(x, keys)])) : v;
    const reversed = (o: Record<string, unknown>) => Object.entries(o).reverse();
    const interleaved = (o: Record<string, unknown>) => Object.entries(o).flatMap(([k, x], i): [string, unknown][] => [[`zz${i}`, i], [k, x]]);
    const answer = (f: typeof decodeWith, start: 'ChatResponse' | 'ChatEvent', v: unknown, strict: boolean) => {
      const warnings: string[] = [];
      try {
        f(schema, start, v, { strict, onWarning: (w) => warnings.push(w.path) });
        return `ok ${warnings.join(' ')}`;
      } catch (e) {
        return String(e);
      }
    };
    const cases: { start: 'ChatResponse' | 'ChatEvent'; v: unknown; unknownKeys?: true }[] = [];
    for (const [start, tags] of [['ChatResponse', Object.keys(schema.responses)], ['ChatEvent', Object.keys(schema.events)]] as const)
      for (const tag of tags) {
        const value = start === 'ChatResponse' ? sampler.response(tag) : sampler.event(tag);
        cases.push({ start, v: value }, { start, v: rebuilt(value, reversed) }, { start, v: rebuilt(value, interleaved), unknownKeys: true });
      }
    // First every value 20 times, so that every type they hold is past the closures' first 16 calls (strictly,
    // those a strict decode passes: the others would each be walked).
    for (let round = 0; round < 20; round++)
      for (const { start, v, unknownKeys } of cases) for (const strict of unknownKeys ? [false] : [false, true]) answer(decodeWith, start, v, strict);
    for (const { start, v } of cases) for (const strict of [false, true]) expect(answer(decodeWith, start, v, strict)).toBe(answer(walkWith, start, v, strict));
    expect(cases.length).toBe(3 * (Object.keys(schema.responses).length + Object.keys(schema.events).length));
  });

  it('where code cannot be made from strings (node --disallow-code-generation-from-strings), give the same answers', async () => {
    const input = corpusPresent ? eraInput('latest') : minimalInput();
    const schema = decodeSchemaOf(buildModel(input).model);
    const g = await generateInto(input, ['typescript']);
    await importTypeScript(g.dir);
    // Drawn responses and events, each also with an unknown field, a wrong tag and a missing field, decoded
    // leniently and strictly, 20 times over (the generated checks come after the first 16 calls of a type).
    const sampler = new Sampler(schema, 11);
    const cases: { start: string; value: unknown }[] = [];
    for (const [start, tags] of [['ChatResponse', Object.keys(schema.responses)], ['ChatEvent', Object.keys(schema.events)]] as const)
      for (const tag of tags) {
        const value = start === 'ChatResponse' ? sampler.response(tag) : sampler.event(tag);
        const field = Object.keys(value).find((k) => k !== 'type');
        cases.push({ start, value }, { start, value: { ...value, zzExtra: 1 } }, { start, value: { ...value, type: 'zzNewTag' } });
        if (field) cases.push({ start, value: edited(value, [field], () => undefined) });
      }
    const file = path.join(tempDir(), 'cases.json');
    writeFileSync(file, JSON.stringify(cases));
    const script = path.join(tempDir(), 'decode.mjs');
    writeFileSync(
      script,
      `import { readFileSync } from 'node:fs';
const d = await import(process.argv[2]);
const cases = JSON.parse(readFileSync(process.argv[3], 'utf8'));
let made;
try { new Function('return 1'); made = 'code from strings allowed'; } catch (e) { made = 'code from strings forbidden: ' + e.name; }
const answers = [];
for (let round = 0; round < 20; round++)
  for (const c of cases)
    for (const strict of [false, true]) {
      const warnings = [];
      try {
        const fn = c.start === 'ChatResponse' ? d.decodeChatResponse : d.decodeChatEvent;
        fn(c.value, { strict, onWarning: (w) => warnings.push(w.path + ' ' + w.message) });
        answers.push('ok ' + warnings.join('; '));
      } catch (e) {
        answers.push(e.name + ' ' + e.message);
      }
    }
process.stdout.write(JSON.stringify({ made, answers }));
`,
    );
    const decodeJs = path.join(g.dir, 'js', 'decode.js');
    const run = async (flags: string[]) => {
      const r = await runChild(process.execPath, [...flags, script, decodeJs, file]);
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as { made: string; answers: string[] };
    };
    const allowed = await run([]);
    const forbidden = await run(['--disallow-code-generation-from-strings']);
    expect(allowed.made).toBe('code from strings allowed');
    expect(forbidden.made).toBe('code from strings forbidden: EvalError');
    expect(allowed.answers.length).toBe(cases.length * 40);
    // All three outcomes are among the answers, or the comparison would prove little.
    expect(allowed.answers.some((a) => a === 'ok ')).toBe(true);
    expect(allowed.answers.some((a) => a.startsWith('ok $'))).toBe(true);
    expect(allowed.answers.some((a) => a.startsWith('DecodeError'))).toBe(true);
    expect(forbidden.answers).toEqual(allowed.answers);
  });
});
