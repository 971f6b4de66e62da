/**
 * The JSON Schema target (schema/*.json, 2020-12) and the AsyncAPI document (asyncapi.json): ajv compiles the
 * schemas in strict mode; every response and event the mock draws validates, in every era; a schema accepts
 * exactly what the decoders accept, on the drawn values and on their mutations, in both modes; @asyncapi/parser
 * reads the AsyncAPI document with no error and no warning.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Parser, fromFile } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { Sampler, seededRandom } from '../../src/mock/sample.js';
import { decodeWith, type Schema, type SchemaField, type SchemaType } from '../../src/runtime/decoder.js';
import { decodeSchemaOf } from '../../src/runtime/tables.js';
import { buildModel } from '../helpers/model.js';
import type { SpecInput } from '../../src/parse/loadSpec.js';
import { readSpecDir } from '../../src/parse/loadSpec.js';
import { emitJsonSchemas, SCHEMA_BASE } from '../../src/emit/jsonSchema.js';
import { buildModel as buildFreshModel } from '../../src/pipeline.js';
import { CORPUS_MISSING, corpusPresent, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { minimalInput, minimalTexts, tempDir, writeSpec } from '../helpers/fixtures.js';
import { generateInto } from '../helpers/generate.js';
import { edited } from '../helpers/edited.js';
import { runCli } from '../helpers/cli.js';
import { eraSweep } from '../helpers/tier.js';

type Validate = ((v: unknown) => boolean) & { errors?: unknown };

/** ajv (2020-12, strict mode: an unknown keyword or a loose type is an error) over the four files of a variant. */
function compile(files: Map<string, string>, strict: boolean): { responses: Validate; events: Validate } {
  const ajv = new Ajv2020({ strict: true, allErrors: false });
  const dir = strict ? 'schema/strict/' : 'schema/';
  for (const f of ['types', 'commands', 'responses', 'events']) ajv.addSchema(JSON.parse(files.get(`${dir}${f}.json`)!) as object);
  const id = (f: string) => `${SCHEMA_BASE}${strict ? 'strict/' : ''}${f}.json`;
  return { responses: ajv.getSchema(id('responses')) as Validate, events: ajv.getSchema(id('events')) as Validate };
}

type At = (string | number)[];
/** Places in a drawn value where a mutation means something, with what the decoders' table says is there. */
function sitesOf(schema: Schema, t: SchemaType, v: unknown, at: At, out: { at: At; t: SchemaType | 'record' | 'tag'; fields?: readonly SchemaField[] }[]): void {
  if (typeof t === 'string') return void out.push({ at, t });
  const record = (fields: readonly SchemaField[]) => {
    out.push({ at, t: 'record', fields });
    for (const [name, ft] of fields) if ((v as Record<string, unknown>)[name] !== undefined && (v as Record<string, unknown>)[name] !== null) sitesOf(schema, ft, (v as Record<string, unknown>)[name], [...at, name], out);
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
    case 'lit':
      return;
    case 'ref': {
      const e = schema.types[t[1]];
      if (!e) return;
      if (e.kind === 'enum') out.push({ at, t });
      else if (e.kind === 'record') record(e.fields);
      else {
        out.push({ at: [...at, 'type'], t: 'tag' });
        record(e.members[(v as { type: string }).type]!);
      }
    }
  }
}

const WRONG: unknown[] = [5, 'five', true, null, [], {}, 1.5, -3];

/** Draws every response and event `samples` times, mutates each at `mutations` places, and compares. */
function differential(label: string, input: SpecInput, files: Map<string, string>, samples: number, mutations: number) {
  const schema = decodeSchemaOf(buildModel(input).model);
  const validators = { lenient: compile(files, false), strict: compile(files, true) };
  const sampler = new Sampler(schema, 20261203);
  const random = seededRandom(7);
  const counts = { drawn: 0, mutated: 0, rejectedByDecoders: { lenient: 0, strict: 0 }, disagreements: 0 };
  const disagreements: string[] = [];
  const compare = (start: 'ChatResponse' | 'ChatEvent', value: unknown, mutated: boolean) => {
    for (const mode of ['lenient', 'strict'] as const) {
      let decoded = true;
      try {
        decodeWith(schema, start, value, { strict: mode === 'strict' });
      } catch {
        decoded = false;
      }
      const valid = (start === 'ChatResponse' ? validators[mode].responses : validators[mode].events)(value);
      if (!decoded) counts.rejectedByDecoders[mode]++;
      if (!mutated) expect(valid, `${label} ${mode}: a drawn ${start} ${JSON.stringify(value).slice(0, 200)}`).toBe(true);
      if (decoded !== valid) {
        counts.disagreements++;
        if (disagreements.length < 5) disagreements.push(`${mode} decoder ${decoded} schema ${valid}: ${JSON.stringify(value).slice(0, 300)}`);
      }
    }
  };
  for (let i = 0; i < samples; i++)
    for (const [start, tags] of [['ChatResponse', Object.keys(schema.responses)], ['ChatEvent', Object.keys(schema.events)]] as const)
      for (const tag of tags) {
        const value = start === 'ChatResponse' ? sampler.response(tag) : sampler.event(tag);
        counts.drawn++;
        compare(start, value, false);
        const sites: { at: At; t: SchemaType | 'record' | 'tag'; fields?: readonly SchemaField[] }[] = [{ at: ['type'], t: 'tag' }, { at: [], t: 'record', fields: (start === 'ChatResponse' ? schema.responses : schema.events)[tag]! }];
        for (const [name, ft] of sites[1]!.fields!) if (value[name] !== undefined && value[name] !== null) sitesOf(schema, ft, value[name], [name], sites);
        for (let m = 0; m < mutations; m++) {
          const site = sites[Math.floor(random() * sites.length)]!;
          const pick = random();
          let mutatedValue: unknown;
          if (site.t === 'record') {
            const fields = site.fields!;
            const [name] = fields[Math.floor(random() * fields.length)] ?? ['type'];
            mutatedValue = pick < 0.4 ? edited(value, [...site.at, name], () => undefined) : pick < 0.7 ? edited(value, [...site.at, 'zzExtra'], () => 1) : pick < 0.85 ? edited(value, [...site.at, name], () => null) : edited(value, site.at, () => []);
          } else if (site.t === 'tag') mutatedValue = edited(value, site.at, () => (pick < 0.6 ? 'zzNewTag' : 7));
          else if (typeof site.t === 'object' && site.t[0] === 'ref') mutatedValue = edited(value, site.at, () => (pick < 0.6 ? 'zzNewValue' : 3));
          else mutatedValue = edited(value, site.at, () => WRONG[Math.floor(random() * WRONG.length)]);
          counts.mutated++;
          compare(start, mutatedValue, true);
        }
      }
  console.log(`schema ${label}: ${counts.drawn} drawn values and ${counts.mutated} mutations; decoders rejected ${counts.rejectedByDecoders.lenient} (lenient) and ${counts.rejectedByDecoders.strict} (strict); the schemas disagreed ${counts.disagreements} times`);
  expect(disagreements).toEqual([]);
  expect(counts.rejectedByDecoders.lenient).toBeGreaterThan(counts.mutated / 10);
  expect(counts.rejectedByDecoders.strict).toBeGreaterThan(counts.rejectedByDecoders.lenient);
}

const SPEC = () => readSpecDir(path.join(REPO_ROOT, 'spec')).input;

describe('JSON Schema: what the decoders accept, no more, no less', () => {
  it('the minimal spec', async () => {
    const g = await generateInto(minimalInput(), ['schema']);
    differential('minimal', minimalInput(), g.files, 20, 10);
  });

  for (const era of eraSweep(['seed', 'mid', 'latest'] as const))
    it(`${era} era: every drawn response and event validates (lenient and strict); mutations are rejected exactly when the decoders reject them`, async () => {
      if (!corpusPresent) throw new Error(CORPUS_MISSING);
      const g = await generateInto(eraInput(era), ['schema']);
      differential(era, eraInput(era), g.files, 2, 4);
    });

  it('hostile descriptions stay text: the files are JSON and ajv compiles them', async () => {
    const input = minimalInput({ TYPES: (t) => t.replace('**Record type**:', 'A "quote" */ </script> {{x}} \\ \u2028.\n\n**Record type**:') });
    const g = await generateInto(input, ['schema']);
    for (const [, text] of g.files) expect(() => JSON.parse(text)).not.toThrow();
    expect(() => compile(g.files, true)).not.toThrow();
    expect(g.files.get('schema/types.json')).toContain('A \\"quote\\" */ </script> {{x}} \\\\ \\u2028.');
  });
});

describe('JSON Schema: the types file is remembered by content', () => {
  it('one model after another, and a model edited in place, each get the files a first emit gives them', () => {
    const fresh = () => buildFreshModel(minimalInput()).model;
    const a = fresh();
    const b = fresh();
    b.types[0]!.description = 'Another description.';
    const first = emitJsonSchemas(a);
    const other = emitJsonSchemas(b);
    expect(other.get('schema/types.json')).toContain('Another description.');
    expect(other.get('schema/strict/types.json')).toContain('Another description.');
    expect(emitJsonSchemas(a)).toEqual(first);
    // An edit of the same model object between two emits is seen (the key is the text, not the object).
    a.types[0]!.description = 'Edited in place.';
    const edited = emitJsonSchemas(a);
    expect(edited.get('schema/types.json')).toContain('Edited in place.');
    expect(edited).toEqual(emitJsonSchemas(structuredClone(a)));
  });
});

describe('AsyncAPI 3.0', () => {
  it("spec/'s document: @asyncapi/parser finds no error and no warning; an operation per command and per event; payloads are $refs into the schema files", async () => {
    const g = await generateInto(SPEC(), ['asyncapi']);
    const model = buildModel(SPEC()).model;
    const doc = JSON.parse(g.files.get('asyncapi.json')!) as { operations: Record<string, { action: string; reply?: { messages: unknown[] } }> };
    // Every $ref into the schema files names a definition there.
    const refs = [...g.files.get('asyncapi.json')!.matchAll(/"\$ref": "(schema\/[a-z]+\.json)#\/\$defs\/([^"]+)"/g)];
    expect(refs.length).toBe(model.commands.length + model.events.length + new Set(model.commands.flatMap((c) => c.responses.map((r) => r.name))).size);
    for (const [, file, name] of refs) expect(Object.keys((JSON.parse(g.files.get(file!)!) as { $defs: object }).$defs)).toContain(name);
    // The parser reads the document from its file. The schema files are given to it as their definitions' names:
    // ajv checks them (above); unfolding their ~900 mutually recursive definitions takes the parser minutes.
    const schemaDir = path.join(g.dir, 'schema') + path.sep;
    const names = {
      schema: 'file',
      order: 1,
      canRead: (uri: { path(): string }) => uri.path().startsWith(schemaDir),
      read: (uri: { path(): string }) => {
        const real = JSON.parse(readFileSync(uri.path(), 'utf8')) as { $defs: Record<string, { title?: string }> };
        return JSON.stringify({ $defs: Object.fromEntries(Object.entries(real.$defs).map(([k, v]) => [k, { type: 'object', title: v.title ?? k }])) });
      },
    };
    const parsed = await fromFile(new Parser(), path.join(g.dir, 'asyncapi.json')).parse({ __unstable: { resolver: { resolvers: [names] } } });
    // Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
    const serious = parsed.diagnostics.filter((d) => d.severity < 2).map((d) => `${d.code}: ${d.message} at ${d.path.join('/')}`);
    expect(serious).toEqual([]);
    expect(parsed.document).toBeDefined();
    expect(parsed.document!.operations().length).toBe(model.commands.length + model.events.length);
    const sends = Object.entries(doc.operations).filter(([, o]) => o.action === 'send');
    expect(sends.length).toBe(model.commands.length);
    for (const [name, o] of sends) expect(o.reply!.messages.length, name).toBe(new Set(model.commands.find((c) => `send.${c.name}` === name)!.responses.map((r) => r.name)).size);
  });

  it('targets: schema and asyncapi can be switched off; check covers their files', async () => {
    const dir = tempDir('sac-schema-');
    writeSpec(path.join(dir, 'spec'), minimalTexts());
    expect((await runCli(['generate', '--targets', 'typescript', '--out', 'a'], dir)).code).toBe(0);
    expect(() => readFileSync(path.join(dir, 'a/schema/types.json'))).toThrow();
    expect((await runCli(['generate', '--targets', 'asyncapi', '--out', 'b'], dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'b/schema/strict/events.json'), 'utf8'))).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema' });
    writeFileSync(path.join(dir, 'b/schema/types.json'), '{}\n');
    const stale = await runCli(['check', '--targets', 'asyncapi', '--out', 'b'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stdout + stale.stderr).toContain('schema/types.json');
  });
});
