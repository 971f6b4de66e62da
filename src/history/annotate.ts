/** The model with `since` on each item and `history` set: a copy, the model it was given stays as it was. */
import type { ApiModel, Field } from '../model/types.js';
import { itemKey, type SinceResult } from './since.js';

export function withHistory(model: ApiModel, labels: readonly string[], result: SinceResult): ApiModel {
  const at = (key: string) => result.since.get(key);
  const fields = (list: readonly Field[], keyOf: (field: string) => string): Field[] =>
    list.map((f) => {
      const since = f.name === 'type' && f.type.kind === 'literal' ? undefined : at(keyOf(f.name));
      return since !== undefined ? { ...f, since } : f;
    });
  const tagged = <T extends { since?: string }>(node: T, since: string | undefined): T => (since !== undefined ? { ...node, since } : node);
  return {
    ...model,
    commands: model.commands.map((c) => {
      const out = tagged({ ...c, responses: c.responses.map((r) => tagged({ ...r, fields: fields(r.fields, (f) => itemKey.response(r.name, f)) }, at(itemKey.response(r.name)))) }, at(itemKey.command(c.name)));
      if (c.params) out.params = fields(c.params, (p) => itemKey.command(c.name, p));
      return out;
    }),
    events: model.events.map((e) => tagged({ ...e, fields: fields(e.fields, (f) => itemKey.event(e.name, f)) }, at(itemKey.event(e.name)))),
    types: model.types.map((t) => {
      const since = at(itemKey.type(t.name));
      switch (t.kind) {
        case 'record':
          return tagged({ ...t, fields: fields(t.fields, (f) => itemKey.type(t.name, f)) }, since);
        case 'enum':
          return tagged({ ...t, values: t.values.map((v) => tagged(v, at(itemKey.enumValue(t.name, v.value)))) }, since);
        case 'union':
          return tagged({ ...t, members: t.members.map((m) => tagged({ ...m, fields: fields(m.fields, (f) => itemKey.type(t.name, m.name, f)) }, at(itemKey.type(t.name, m.name)))) }, since);
      }
    }),
    history: { versions: [...labels], removed: result.removed },
  };
}
