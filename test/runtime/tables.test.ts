/**
 * The runtime's tables (the command parser's and the decoders'), made from a model: once per emit, however many
 * emitters ask, and afresh outside an emit, so that a model edited between two emits is read as it is then.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, emitAll } from '../../src/generate.js';
import { buildModel } from '../../src/pipeline.js';
import { commandTableOf, decodeSchemaOf, withSharedTables } from '../../src/runtime/tables.js';
import { minimalInput } from '../helpers/fixtures.js';

describe('the tables of a model', () => {
  it('are made once while an emit runs, whatever asks for them; afresh on each ask outside one', async () => {
    const spec = buildModel(minimalInput());
    const inside = await withSharedTables(spec.model, async () => [decodeSchemaOf(spec.model), decodeSchemaOf(spec.model), commandTableOf(spec.model), commandTableOf(spec.model)]);
    expect(inside[0]).toBe(inside[1]);
    expect(inside[2]).toBe(inside[3]);
    // Outside an emit, each ask makes them again (equal, not the same).
    expect(decodeSchemaOf(spec.model)).not.toBe(decodeSchemaOf(spec.model));
    expect(decodeSchemaOf(spec.model)).toEqual(inside[0]);
    const files = (await emitAll(spec, DEFAULT_OPTIONS)).files;
    expect(files.get('python/simplex_api/_decode.py')).toContain('"types": {');
  });

  it('are read afresh after an emit: a model edited in place between two emits gets its edit in every table', async () => {
    const spec = buildModel(minimalInput());
    const before = (await emitAll(spec, DEFAULT_OPTIONS)).files;
    const record = spec.model.types.find((t) => t.kind === 'record' && t.fields.length > 0);
    if (record?.kind !== 'record') throw new Error('the minimal fixture has a record type');
    record.fields.push({ ...record.fields[0]!, name: 'addedInPlace', type: { kind: 'primitive', name: 'string' } });
    const after = (await emitAll(spec, DEFAULT_OPTIONS)).files;
    for (const file of ['python/simplex_api/_decode.py', 'typescript/decode.ts', 'schema/types.json']) {
      expect(before.get(file), file).not.toContain('addedInPlace');
      expect(after.get(file), file).toContain('addedInPlace');
    }
  });
});
