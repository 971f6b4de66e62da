/** Partial responses and events, as scenarios write them, completed from the model: given values kept, the rest drawn. */
import type { Schema, SchemaField, SchemaType } from '../runtime/decoder.js';
import type { Sampler } from './sample.js';

/** A partial response or event completed from the model: what it gives is kept, what it leaves out is drawn. */
export function completeTagged(schema: Schema, start: 'ChatResponse' | 'ChatEvent', partial: Readonly<Record<string, unknown>>, sampler: Sampler): Record<string, unknown> {
  const members = start === 'ChatResponse' ? schema.responses : schema.events;
  const tag = partial['type'];
  const fields = typeof tag === 'string' && Object.hasOwn(members, tag) ? members[tag]! : undefined;
  if (!fields) return { ...partial };
  return completeFields(schema, fields, partial, sampler);
}

function completeFields(schema: Schema, fields: readonly SchemaField[], partial: Readonly<Record<string, unknown>>, sampler: Sampler): Record<string, unknown> {
  const drawn = sampler.fields(fields, 0);
  const out: Record<string, unknown> = {};
  for (const [name, t] of fields) {
    if (Object.hasOwn(partial, name)) out[name] = completeValue(schema, t, partial[name], sampler);
    else if (Object.hasOwn(drawn, name)) out[name] = drawn[name];
  }
  // Keys the schema does not know stay: a scenario may send what the documents do not say (decoders keep it).
  for (const [k, v] of Object.entries(partial)) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

function completeValue(schema: Schema, t: SchemaType, partial: unknown, sampler: Sampler): unknown {
  if (typeof t === 'string' || partial === null || typeof partial !== 'object') return partial;
  switch (t[0]) {
    case 'opt':
      return completeValue(schema, t[1], partial, sampler);
    case 'list':
      return Array.isArray(partial) ? partial.map((p) => completeValue(schema, t[1], p, sampler)) : partial;
    case 'map':
      return Array.isArray(partial) ? partial : Object.fromEntries(Object.entries(partial).map(([k, v]) => [k, completeValue(schema, t[2], v, sampler)]));
    case 'ref': {
      const entry = schema.types[t[1]];
      if (!entry || entry.kind === 'enum' || Array.isArray(partial)) return partial;
      const record = partial as Record<string, unknown>;
      if (entry.kind === 'record') return completeFields(schema, entry.fields, record, sampler);
      const tag = typeof record['type'] === 'string' ? record['type'] : undefined;
      const member = tag !== undefined && Object.hasOwn(entry.members, tag) ? entry.members[tag]! : undefined;
      if (tag === undefined) return { ...sampler.member(entry.members, 0), ...record };
      return member ? completeFields(schema, member, record, sampler) : partial;
    }
    default:
      return partial;
  }
}
