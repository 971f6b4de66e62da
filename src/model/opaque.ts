/** Types that fields refer to but the model does not define (no TYPES.md): targets declare them opaquely. */
import type { ApiModel, Field } from './types.js';
import { refsOf } from '../parse/typeExpr.js';

export function opaqueTypeNames(model: ApiModel): string[] {
  const known = new Set(model.types.map((t) => t.name));
  const referenced = new Set<string>();
  const visit = (fields: readonly Field[]) => fields.forEach((f) => refsOf(f.type).forEach((r) => referenced.add(r.name)));
  for (const c of model.commands) {
    visit(c.params ?? []);
    c.responses.forEach((r) => visit(r.fields));
  }
  model.events.forEach((e) => visit(e.fields));
  for (const t of model.types) {
    if (t.kind === 'record') visit(t.fields);
    if (t.kind === 'union') t.members.forEach((m) => visit(m.fields));
  }
  return [...referenced].filter((n) => !known.has(n)).sort();
}
