/**
 * The data the runtime interpreters read, built from the model: the command table of the command parser (each
 * command's bound syntax and how each parameter is written) and the schema of the decoders. The generated
 * modules carry them as literals; the mock chat core builds them in memory. Both from the same functions.
 */
import type { ApiModel, Field, TypeDoc, TypeExpr } from '../model/types.js';
import { remembered, type Memo } from '../util/memo.js';
import { opaqueTypeNames } from '../model/opaque.js';
import { sameData } from '../model/intern.js';
import { unwrapOptional } from '../parse/typeExpr.js';
import type { SyntaxNode } from '../syntax/ast.js';
import { typeSyntaxParams } from '../syntax/snippets.js';
import type { CommandTable, ParamSpec, SyntaxTree, TypeEntry } from './commandParser.js';
import type { Schema, SchemaEntry, SchemaField, SchemaType } from './decoder.js';

const INTEGER = /^(int|int8|int16|int32|int64|word|word8|word16|word32|word64|integer)$/;
const NUMBER = /^(double|float|number)$/;

/** How a value of type `t` is written where a syntax names it. */
export function paramSpecOf(t: TypeExpr, types: ReadonlyMap<string, TypeDoc>): ParamSpec {
  const base = unwrapOptional(t).type;
  switch (base.kind) {
    case 'primitive':
      if (base.name === 'bool') return { k: 'bool' };
      if (INTEGER.test(base.name)) return { k: 'int' };
      if (NUMBER.test(base.name)) return { k: 'number' };
      if (base.name === 'JSONObject') return { k: 'none' };
      return { k: 'string' };
    case 'list':
      return { k: 'list', of: paramSpecOf(base.element, types) };
    case 'ref':
      // A type the spec does not define is declared opaquely and written with String(): as text.
      return types.has(base.name) ? { k: 'ref', type: base.name } : { k: 'string' };
    default:
      return { k: 'none' };
  }
}

function params(fields: readonly Field[], types: ReadonlyMap<string, TypeDoc>): Record<string, ParamSpec> {
  return Object.fromEntries(fields.map((f) => [f.name, paramSpecOf(f.type, types)]));
}

/**
 * The tables of models being emitted (`emitAll`): several emitters ask for the same ones (Python, the TypeScript
 * runtime, the HTML reference's examples, the JSON Schema target), made once while the emit runs. Outside it each
 * ask makes them again, so that a model edited between two emits is read as it is then.
 */
const shared = new Map<ApiModel, { emits: number; table?: CommandTable; schema?: Schema; opaque?: string[]; memo?: Memo }>();

/**
 * Runs `emit` with the tables of `model` made at most once each. A watch session's `memo` keeps their parts between
 * emits: the types' entries while the types are the same list, the commands' while the commands and types are.
 */
export async function withSharedTables<T>(model: ApiModel, emit: () => Promise<T>, memo?: Memo): Promise<T> {
  const scope = shared.get(model) ?? { emits: 0 };
  scope.emits++;
  scope.memo ??= memo;
  shared.set(model, scope);
  try {
    return await emit();
  } finally {
    if (--scope.emits === 0) shared.delete(model);
  }
}

/** opaqueTypeNames of the model: several emitters name the opaque types (each walks every field to find them). */
export function opaqueNamesOf(model: ApiModel): string[] {
  const scope = shared.get(model);
  return scope ? (scope.opaque ??= opaqueTypeNames(model)) : opaqueTypeNames(model);
}

/** The command table of every command whose syntax was parsed and bound. */
export function commandTableOf(model: ApiModel): CommandTable {
  const scope = shared.get(model);
  return scope ? (scope.table ??= commandTableOfModel(model, scope.memo)) : commandTableOfModel(model);
}

function commandTableOfModel(model: ApiModel, memo?: Memo): CommandTable {
  const types = new Map(model.types.map((t) => [t.name, t]));
  return {
    // Kept as the same object while equal (an edit of a description): what is made from it is kept too.
    commands: remembered(
      memo,
      'table commands',
      [model.commands, model.types],
      () => model.commands.filter((c) => c.syntax.ast).map((c) => ({ name: c.name, syntax: c.syntax.ast as SyntaxNode as SyntaxTree, params: params(c.params ?? [], types) })),
      sameData,
    ),
    types: remembered(memo, 'table types', [model.types], () => typeEntries(model.types, types)),
  };
}

function typeEntries(list: readonly TypeDoc[], types: ReadonlyMap<string, TypeDoc>): Record<string, TypeEntry> {
  const entries: Record<string, TypeEntry> = {};
  for (const t of list) {
    const entry: TypeEntry = { kind: t.kind, params: t.syntax?.ast ? params(typeSyntaxParams(t), types) : {} };
    if (t.syntax?.ast) entry.syntax = t.syntax.ast as SyntaxTree;
    if (t.kind === 'enum') entry.values = t.values.map((v) => v.value);
    // A union read by its syntax is tagged with the member the syntax implies.
    if (t.kind === 'union' && t.syntax?.ast) entry.members = t.members.map((m) => ({ tag: m.tag, fields: m.fields.map((f) => f.name).filter((n) => n !== 'type') }));
    entries[t.name] = entry;
  }
  return entries;
}

const PRIMITIVE_SCHEMA: Record<string, SchemaType> = { string: 'string', bool: 'bool', UTCTime: 'time', JSONObject: 'object' };

/** A type expression as the decoder reads it. */
export function schemaTypeOf(t: TypeExpr, types: ReadonlyMap<string, TypeDoc>): SchemaType {
  switch (t.kind) {
    case 'primitive':
      return PRIMITIVE_SCHEMA[t.name] ?? (INTEGER.test(t.name) ? 'int' : NUMBER.test(t.name) ? 'number' : 'any');
    case 'literal':
      return ['lit', t.value];
    case 'list':
      return ['list', schemaTypeOf(t.element, types)];
    case 'optional':
      return ['opt', schemaTypeOf(t.inner, types)];
    case 'map':
      return ['map', schemaTypeOf(t.key, types), schemaTypeOf(t.value, types)];
    case 'ref':
      return types.has(t.name) ? ['ref', t.name] : 'any';
  }
}

/** Fields as the decoder reads them: `[name, type, optional]`. */
export function schemaFields(fields: readonly Field[], types: ReadonlyMap<string, TypeDoc>): SchemaField[] {
  return fields.map((f) => {
    const { type, optional } = unwrapOptional(f.type);
    return [f.name, schemaTypeOf(type, types), optional] as const;
  });
}

/** What the decoders check: every type, and the members of ChatResponse and ChatEvent by tag. */
export function decodeSchemaOf(model: ApiModel): Schema {
  const scope = shared.get(model);
  return scope ? (scope.schema ??= decodeSchemaOfModel(model, scope.memo)) : decodeSchemaOfModel(model);
}

function decodeSchemaOfModel(model: ApiModel, memo?: Memo): Schema {
  const types = new Map(model.types.map((t) => [t.name, t]));
  const entries = remembered(memo, 'schema types', [model.types], () => {
    const out: Record<string, SchemaEntry> = {};
    for (const t of model.types)
      out[t.name] =
        t.kind === 'record'
          ? { kind: 'record', fields: schemaFields(t.fields, types) }
          : t.kind === 'enum'
            ? { kind: 'enum', values: t.values.map((v) => v.value) }
            : { kind: 'union', members: Object.fromEntries(t.members.map((m) => [m.tag, schemaFields(m.fields, types)])) };
    return out;
  });
  // Each response once, by its tag (the first definition wins, as in responses.ts).
  const responses = remembered(
    memo,
    'schema responses',
    [model.commands, model.types],
    () => {
      const out: Record<string, SchemaField[]> = {};
      for (const c of model.commands) for (const r of c.responses) if (!Object.hasOwn(out, r.tag)) out[r.tag] = schemaFields(r.fields, types);
      return out;
    },
    sameData,
  );
  const events = remembered(memo, 'schema events', [model.events, model.types], () => {
    const out: Record<string, SchemaField[]> = {};
    for (const e of model.events) if (!Object.hasOwn(out, e.tag)) out[e.tag] = schemaFields(e.fields, types);
    return out;
  });
  return { types: entries, responses, events };
}
