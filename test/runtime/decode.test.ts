/**
 * The generated decoders (typescript/decode.ts, the package's decode module) check what the documents say and
 * nothing more: values drawn from every response and event of each era decode unchanged, strictly; each kind of
 * mutation (a wrong primitive, a missing required field, an extra field, an unknown tag or enum value) gives the
 * documented outcome at the right path; the TypeScript and Python decoders agree on every value.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sampler, seededRandom } from '../../src/mock/sample.js';
import type { Schema, SchemaField, SchemaType } from '../../src/runtime/decoder.js';
import { decodeSchemaOf } from '../../src/runtime/tables.js';
import { buildModel } from '../helpers/model.js';
import { corpusPresent, ERA_NAMES, eraInput, REPO_ROOT, type EraName } from '../helpers/corpus.js';
import { minimalInput } from '../helpers/fixtures.js';
import { generateInto } from '../helpers/generate.js';
import { edited } from '../helpers/edited.js';
import { runPython } from '../helpers/python.js';
import type { SpecInput } from '../../src/parse/loadSpec.js';
import { eraSweep } from '../helpers/tier.js';

type Decode = (value: unknown, options?: { strict?: boolean; onWarning?: (w: { path: string; message: string }) => void }) => unknown;
interface Generated {
  schema: Schema;
  decode: { decodeChatResponse: Decode; decodeChatEvent: Decode; decoders: Record<string, Decode>; DecodeError: new (...a: never[]) => Error };
  python: string;
}

async function generated(input: SpecInput): Promise<Generated> {
  const g = await generateInto(input, ['typescript', 'python']);
  const { importTypeScript } = await import('../helpers/generate.js');
  await importTypeScript(g.dir);
  const decode = (await import(path.join(g.dir, 'js', 'decode.js'))) as Generated['decode'];
  return { schema: decodeSchemaOf(buildModel(input).model), decode, python: path.join(g.dir, 'python') };
}

interface Case {
  start: string;
  value: unknown;
  strict: boolean;
}
type Outcome = { ok: boolean; warnings: { path: string; message: string }[] } | { error: string; expected: string; found: string };

function decodeTs(g: Generated, c: Case): Outcome {
  const warnings: { path: string; message: string }[] = [];
  const options = { strict: c.strict, onWarning: (w: { path: string; message: string }) => warnings.push(w) };
  try {
    const fn = c.start === 'ChatResponse' ? g.decode.decodeChatResponse : c.start === 'ChatEvent' ? g.decode.decodeChatEvent : g.decode.decoders[c.start]!;
    return { ok: fn(c.value, options) === c.value, warnings };
  } catch (e) {
    if (!(e instanceof g.decode.DecodeError)) throw e;
    const d = e as unknown as { path: string; expected: string; found: string };
    return { error: d.path, expected: d.expected, found: d.found };
  }
}

function decodePython(g: Generated, cases: Case[]): Outcome[] {
  const r = runPython([path.join(REPO_ROOT, 'test/helpers/py_runtime.py')], g.python, JSON.stringify({ python: g.python, package: 'simplex_api', decode: cases }));
  if (r.status !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as { decode: Outcome[] }).decode;
}

const pathOf = (segments: (string | number)[]) => '$' + segments.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');

/** A place in a drawn value and what the schema says is there. */
type Site =
  | { kind: 'primitive'; at: (string | number)[]; type: string }
  | { kind: 'record'; at: (string | number)[]; fields: readonly SchemaField[]; owner: string }
  | { kind: 'tag'; at: (string | number)[]; owner: string }
  | { kind: 'enum'; at: (string | number)[]; owner: string };

function sitesOf(schema: Schema, t: SchemaType, v: unknown, at: (string | number)[], out: Site[]): void {
  if (typeof t === 'string') {
    if (t !== 'any' && t !== 'object') out.push({ kind: 'primitive', at, type: t });
    return;
  }
  const record = (fields: readonly SchemaField[], owner: string) => {
    out.push({ kind: 'record', at, fields, owner });
    for (const [name, ft] of fields) if ((v as Record<string, unknown>)[name] !== undefined) sitesOf(schema, ft, (v as Record<string, unknown>)[name], [...at, name], out);
  };
  switch (t[0]) {
    case 'opt':
      if (v !== null) sitesOf(schema, t[1], v, at, out);
      return;
    case 'list':
      (v as unknown[]).forEach((x, i) => sitesOf(schema, t[1], x, [...at, i], out));
      return;
    case 'map':
      for (const [k, x] of Object.entries(v as object)) sitesOf(schema, t[2], x, [...at, k], out);
      return;
    case 'ref': {
      const e = schema.types[t[1]];
      if (!e) return;
      if (e.kind === 'enum') out.push({ kind: 'enum', at, owner: t[1] });
      else if (e.kind === 'record') record(e.fields, t[1]);
      else {
        out.push({ kind: 'tag', at: [...at, 'type'], owner: t[1] });
        record(e.members[(v as { type: string }).type]!, `${t[1]} "${(v as { type: string }).type}"`);
      }
    }
  }
}

const WRONG: Record<string, unknown> = { string: 5, time: true, int: 'five', number: 'x', bool: 'yes' };
const EXPECTED: Record<string, string> = { string: 'a string', time: 'a UTCTime string', int: 'an integer', number: 'a number', bool: 'a boolean' };

async function checkEra(input: SpecInput, label: string, samples: number, everyKind = true): Promise<void> {
  const g = await generated(input);
  const sampler = new Sampler(g.schema, 20261202);
  const random = seededRandom(99);
  const cases: Case[] = [];
  const expectations: ((o: Outcome) => void)[] = [];
  const expect_ = (c: Case, check: (o: Outcome) => void) => {
    cases.push(c);
    expectations.push(check);
  };
  const counts = { valid: 0, wrongPrimitive: 0, missingField: 0, extraField: 0, unknownTag: 0, unknownEnum: 0 };
  const roots: { start: string; value: Record<string, unknown>; members: { readonly [tag: string]: readonly SchemaField[] } }[] = [];
  for (let i = 0; i < samples; i++) {
    for (const tag of Object.keys(g.schema.responses)) roots.push({ start: 'ChatResponse', value: sampler.response(tag), members: g.schema.responses });
    for (const tag of Object.keys(g.schema.events)) roots.push({ start: 'ChatEvent', value: sampler.event(tag), members: g.schema.events });
  }
  for (const root of roots) {
    const sites: Site[] = [{ kind: 'tag', at: ['type'], owner: root.start }];
    const fields = root.members[root.value['type'] as string]!;
    sites.push({ kind: 'record', at: [], fields, owner: `${root.start} "${root.value['type']}"` });
    for (const [name, ft] of fields) if (root.value[name] !== undefined) sitesOf(g.schema, ft, root.value[name], [name], sites);
    // Unchanged: decodes to the very same object, strictly, without a warning.
    expect_({ start: root.start, value: root.value, strict: true }, (o) => expect(o).toEqual({ ok: true, warnings: [] }));
    counts.valid++;
    const site = sites[Math.floor(random() * sites.length)]!;
    const at = pathOf(site.at);
    switch (site.kind) {
      case 'primitive':
        if (!(site.type in WRONG)) break;
        counts.wrongPrimitive++;
        expect_({ start: root.start, value: edited(root.value, site.at, () => WRONG[site.type]), strict: false }, (o) => expect(o).toMatchObject({ error: at, expected: EXPECTED[site.type] }));
        break;
      case 'record': {
        const required = site.fields.filter((f) => !f[2] && !(typeof f[1] === 'object' && f[1][0] === 'lit'));
        if (required.length) {
          const [name] = required[Math.floor(random() * required.length)]!;
          counts.missingField++;
          expect_({ start: root.start, value: edited(root.value, [...site.at, name], () => undefined), strict: false }, (o) =>
            expect(o).toEqual({ error: pathOf([...site.at, name]), expected: `the required field "${name}"`, found: 'nothing' }),
          );
        }
        // An extra field: kept silently by default, rejected in strict mode at its path.
        counts.extraField++;
        const extra = edited(root.value, [...site.at, 'zzExtra'], () => 1);
        expect_({ start: root.start, value: extra, strict: false }, (o) => expect(o).toEqual({ ok: true, warnings: [] }));
        expect_({ start: root.start, value: extra, strict: true }, (o) => expect(o).toMatchObject({ error: pathOf([...site.at, 'zzExtra']), found: 'number 1' }));
        break;
      }
      case 'tag':
      case 'enum': {
        const unknown = edited(root.value, site.at, () => 'zzNewValue');
        if (site.kind === 'tag') counts.unknownTag++;
        else counts.unknownEnum++;
        const kind = site.kind === 'tag' ? 'tag' : 'value';
        expect_({ start: root.start, value: unknown, strict: false }, (o) => expect(o).toEqual({ ok: true, warnings: [{ path: at, message: `unknown ${kind} of ${site.owner}: "zzNewValue" (kept)` }] }));
        expect_({ start: root.start, value: unknown, strict: true }, (o) => expect(o).toEqual({ error: at, expected: `one of the ${kind}s of ${site.owner}`, found: 'string "zzNewValue"' }));
      }
    }
  }
  const python = decodePython(g, cases);
  cases.forEach((c, i) => {
    const ts = decodeTs(g, c);
    expectations[i]!(ts);
    // Differential: the two decoders agree on every value.
    expect(python[i], JSON.stringify(c.value).slice(0, 300)).toEqual(ts);
  });
  console.log(`decode ${label}: ${cases.length} values (${JSON.stringify(counts)}); TypeScript and Python agree on all`);
  if (everyKind) for (const [kind, n] of Object.entries(counts)) expect(n, kind).toBeGreaterThan(0);
}

describe('decoders', () => {
  it('the minimal spec (its responses and events hold no enum)', async () => {
    await checkEra(minimalInput(), 'minimal', 20, false);
  });

  for (const era of eraSweep(ERA_NAMES))
    it.runIf(corpusPresent)(`${era} era: drawn responses and events decode unchanged; mutations give the documented outcome at the right path`, async () => {
      await checkEra(eraInput(era as EraName), era, 3);
    });

  it('per-type decoders check a single API type', async () => {
    const g = await generated(minimalInput());
    expect(decodeTs(g, { start: 'ChatRef', value: { chatType: 'group', chatId: 1 }, strict: true })).toEqual({ ok: true, warnings: [] });
    expect(decodeTs(g, { start: 'ChatRef', value: { chatType: 'group', chatId: 1.5 }, strict: true })).toEqual({ error: '$.chatId', expected: 'an integer', found: 'number 1.5' });
    expect(decodePython(g, [{ start: 'ChatRef', value: { chatType: 'group', chatId: 1.5 }, strict: true }])).toEqual([{ error: '$.chatId', expected: 'an integer', found: 'number 1.5' }]);
  });
});
