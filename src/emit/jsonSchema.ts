/**
 * JSON Schema (2020-12) of the API: every type, every command's parameters, every response and event, in files
 * that refer to each other (`types.json#/$defs/User`). Built from the decoders' own tables (runtime/tables.ts), so
 * that a schema accepts exactly what the generated decoders accept: unknown fields, union tags and enum values
 * are allowed, as upstream asks of bot clients; `strict/` rejects them, as the decoders' strict mode does.
 */
import type { ApiModel } from '../model/types.js';
import { decodeSchemaOf, schemaFields } from '../runtime/tables.js';
import type { Schema, SchemaField, SchemaType } from '../runtime/decoder.js';
import { safeJson } from './escape.js';
import type { FileMap } from '../writer/fileMap.js';
import { remembered, type EmitMemo } from './memo.js';

/** An identifier, not a location: `.invalid` never resolves (RFC 2606). Files refer to each other relatively. */
export const SCHEMA_BASE = 'https://simplex-api-codegen.invalid/schema/';
export const SCHEMA_FILES = ['types.json', 'commands.json', 'responses.json', 'events.json'] as const;

type Json = { [k: string]: unknown };
const INT_KEY = '^-?[0-9]+$';

/** Where the definitions live: in the schema files, or in one document's components (AsyncAPI). */
export interface SchemaRefs {
  /** A type, or a union member as `Union.Member`. */
  type(name: string): string;
  /** A response (`responses`), an event (`events`) or a command's parameters (`commands`) by name. */
  local(group: 'commands' | 'responses' | 'events', name: string): string;
}

export interface Variant {
  strict: boolean;
  /** `$id` directory: `schema/` or `schema/strict/`. */
  dir: string;
  refs: SchemaRefs;
}

/** The references between the schema files (relative: they resolve against each file's `$id`). */
export const FILE_REFS: SchemaRefs = { type: (name) => `types.json#/$defs/${name}`, local: (_group, name) => `#/$defs/${name}` };

function typeSchema(schema: Schema, t: SchemaType, v: Variant): Json {
  if (typeof t === 'string') {
    switch (t) {
      case 'string':
        return { type: 'string' };
      case 'time':
        return { type: 'string', description: 'UTCTime' };
      case 'int':
        return { type: 'integer' };
      case 'number':
        return { type: 'number' };
      case 'bool':
        return { type: 'boolean' };
      case 'object':
        return { type: 'object' };
      case 'any':
        return {};
    }
  }
  switch (t[0]) {
    case 'opt':
      return { anyOf: [{ type: 'null' }, typeSchema(schema, t[1], v)] };
    case 'lit':
      return { const: t[1] };
    case 'list':
      return { type: 'array', items: typeSchema(schema, t[1], v) };
    case 'map':
      return { type: 'object', ...(t[1] === 'int' ? { propertyNames: { pattern: INT_KEY } } : {}), additionalProperties: typeSchema(schema, t[2], v) };
    case 'ref':
      // A type the documents do not define is opaque to the decoders too: anything goes.
      return schema.types[t[1]] ? { $ref: v.refs.type(t[1]) } : {};
  }
}

/** An object of fields; an optional field may be null or absent (as the decoders read it). */
function recordSchema(schema: Schema, fields: readonly SchemaField[], v: Variant, extra: Json = {}): Json {
  const properties: Json = {};
  for (const [name, t, optional] of fields) properties[name] = optional ? { anyOf: [{ type: 'null' }, typeSchema(schema, t, v)] } : typeSchema(schema, t, v);
  const required = fields.filter(([, , optional]) => !optional).map(([name]) => name);
  return { ...extra, type: 'object', ...(required.length ? { required } : {}), properties, additionalProperties: !v.strict };
}

/**
 * A tagged union: `oneOf` its members, each with its `const` tag; with unknown tags allowed, one more member
 * whose tag is any other string (and whose fields are not known).
 */
function unionSchema(members: readonly { ref: string; tag: string }[], v: Variant, extra: Json = {}): Json {
  const oneOf: Json[] = members.map((m) => ({ $ref: m.ref }));
  if (!v.strict) oneOf.push({ type: 'object', required: ['type'], properties: { type: { type: 'string', not: { enum: members.map((m) => m.tag) } } }, description: 'A member these documents do not name (kept by the decoders, with a warning).' });
  return { ...extra, type: 'object', required: ['type'], properties: { type: { type: 'string' } }, oneOf };
}

const describe = (text: string | undefined): Json => (text ? { description: text } : {});
const sinceOf = (since: string | undefined): Json => (since !== undefined ? { $comment: `since ${since}` } : {});

function file(v: Variant, name: string, title: string, body: Json): string {
  return safeJson(JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `${SCHEMA_BASE}${v.dir}${name}`, title, ...body }, null, 2)) + '\n';
}

/** The definitions of the commands' parameters, the responses and the events of one variant. */
interface GroupParts {
  commands: Json;
  responses: { members: { ref: string; tag: string }[]; defs: Json; union: Json };
  events: { members: { ref: string; tag: string }[]; defs: Json; union: Json };
}

/**
 * The definitions of the types of one variant, referring to each other through `v.refs`: made from the model's
 * types alone (decodeSchemaOf reads only them for these).
 */
function typeDefs(model: ApiModel, schema: Schema, v: Variant): Json {
  const types: Json = {};
  for (const t of model.types) {
    const entry = schema.types[t.name]!;
    const extra = { title: t.name, ...describe(t.description), ...sinceOf(t.since) };
    if (entry.kind === 'record') types[t.name] = recordSchema(schema, entry.fields, v, extra);
    else if (entry.kind === 'enum')
      types[t.name] = v.strict ? { ...extra, enum: entry.values } : { ...extra, anyOf: [{ enum: entry.values }, { type: 'string', description: 'A value these documents do not list (kept by the decoders, with a warning).' }] };
    else if (t.kind === 'union') {
      for (const m of t.members) types[`${t.name}.${m.name}`] = recordSchema(schema, entry.members[m.tag]!, v, { title: `${t.name}.${m.name}`, ...sinceOf(m.since) });
      types[t.name] = unionSchema(t.members.map((m) => ({ ref: v.refs.type(`${t.name}.${m.name}`), tag: m.tag })), v, extra);
    }
  }
  return types;
}

/** The definitions of the commands' parameters and the responses, referring to the types' through `v.refs`. */
function commandParts(model: ApiModel, schema: Schema, v: Variant): Pick<GroupParts, 'commands' | 'responses'> {
  const typeDocs = new Map(model.types.map((t) => [t.name, t]));
  const commands: Json = {};
  for (const c of model.commands) commands[c.name] = recordSchema(schema, schemaFields(c.params ?? [], typeDocs), v, { title: c.name, description: [c.description, `Command string: ${c.syntax.text}`].filter(Boolean).join('\n\n'), ...sinceOf(c.since) });
  return { commands, responses: tagged(schema, v, 'responses', model.commands.flatMap((c) => c.responses), schema.responses) };
}

/** The definitions of a union of records by tag (the responses, the events): each tag once, the first wins. */
function tagged(schema: Schema, v: Variant, group: 'responses' | 'events', records: { name: string; tag: string; description: string; since?: string | undefined }[], fields: Schema['responses']): GroupParts['events'] {
  const defs: Json = {};
  const seen = new Set<string>();
  const members: { ref: string; tag: string }[] = [];
  for (const r of records) {
    if (seen.has(r.tag)) continue;
    seen.add(r.tag);
    defs[r.name] = recordSchema(schema, fields[r.tag]!, v, { title: r.name, ...describe(r.description), ...sinceOf(r.since) });
    members.push({ ref: v.refs.local(group, r.name), tag: r.tag });
  }
  return { members, defs, union: unionSchema(members, v) };
}

const variantNote = (v: Variant) => (v.strict ? ' (strict: no unknown fields, tags or values)' : ' (unknown fields, union tags and enum values allowed, as the decoders keep them)');

/**
 * The four files of one variant. In a watch session (`memo`) each is written again only when what it reads
 * changed: types.json the types; commands.json and responses.json the commands (and the types they name);
 * events.json the events (and the types).
 */
function variantFiles(model: ApiModel, schema: Schema, v: Variant, memo: EmitMemo | undefined): [string, string][] {
  const what = variantNote(v);
  const at = (name: string) => `schema ${v.dir}${name}`;
  const commandFiles = remembered(memo, at('commands'), [model.commands, model.types], () => {
    const { commands, responses } = commandParts(model, schema, v);
    return [
      file(v, 'commands.json', `SimpleX Chat bot API: the parameters of each command${what}`, { $defs: commands }),
      file(v, 'responses.json', `SimpleX Chat bot API: ChatResponse, the responses to commands${what}`, { ...responses.union, $defs: responses.defs }),
    ];
  });
  return [
    [`schema/${v.dir}types.json`, remembered(memo, at('types.json'), [model.types], () => file(v, 'types.json', `SimpleX Chat bot API: types${what}`, { $defs: typeDefs(model, schema, v) }))],
    [`schema/${v.dir}commands.json`, commandFiles[0]!],
    [`schema/${v.dir}responses.json`, commandFiles[1]!],
    [
      `schema/${v.dir}events.json`,
      remembered(memo, at('events.json'), [model.events, model.types], () => {
        const events = tagged(schema, v, 'events', model.events, schema.events);
        return file(v, 'events.json', `SimpleX Chat bot API: ChatEvent, the events the chat core sends${what}`, { ...events.union, $defs: events.defs });
      }),
    ],
  ];
}

export function emitJsonSchemas(model: ApiModel, memo?: EmitMemo): FileMap {
  const schema = decodeSchemaOf(model);
  const lenient: Variant = { strict: false, dir: '', refs: FILE_REFS };
  const strict: Variant = { strict: true, dir: 'strict/', refs: FILE_REFS };
  return new Map([...variantFiles(model, schema, lenient, memo), ...variantFiles(model, schema, strict, memo)]);
}
