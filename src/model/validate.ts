/** Checks that need the whole model: duplicate names and type references that resolve to nothing. */
import { DiagnosticCodes, diagnostic, type Diagnostic, type DiagnosticCode } from '../diagnostics/diagnostic.js';
import { refsOf } from '../parse/typeExpr.js';
import type { ApiModel, DocKind, Field, SourceRef } from './types.js';

export function locate(files: Partial<Record<DocKind, string>>, ref: SourceRef): [string, { line: number; column: number }] {
  return [files[ref.doc] ?? `${ref.doc}.md`, { line: ref.line, column: ref.column }];
}

export function validateModel(model: ApiModel, files: Partial<Record<DocKind, string>>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: DiagnosticCode, ref: SourceRef, message: string, expected?: string, hint?: string) =>
    out.push(diagnostic(code, ...locate(files, ref), message, { expected, hint }));

  const duplicates = (items: readonly { name: string; source: SourceRef }[], code: DiagnosticCode, what: string) => {
    const seen = new Map<string, SourceRef>();
    for (const item of items) {
      const first = seen.get(item.name);
      if (first) {
        const [file, pos] = locate(files, first);
        report(code, item.source, `duplicate ${what} "${item.name}" (first defined at ${file}:${pos.line}:${pos.column})`, `a unique ${what} name`);
      } else seen.set(item.name, item.source);
    }
  };
  duplicates(model.commands, DiagnosticCodes.DUPLICATE_COMMAND, 'command');
  duplicates(model.types, DiagnosticCodes.DUPLICATE_TYPE, 'type');
  duplicates(model.events, DiagnosticCodes.DUPLICATE_EVENT, 'event');

  const fieldLists: { owner: string; fields: Field[] }[] = [];
  for (const c of model.commands) {
    if (c.params) fieldLists.push({ owner: `command ${c.name}`, fields: c.params });
    for (const r of c.responses) fieldLists.push({ owner: `response ${r.name}`, fields: r.fields });
  }
  for (const t of model.types) {
    if (t.kind === 'record') fieldLists.push({ owner: `type ${t.name}`, fields: t.fields });
    if (t.kind === 'union') for (const m of t.members) fieldLists.push({ owner: `${t.name}.${m.name}`, fields: m.fields });
    if (t.kind === 'union') duplicates(t.members, DiagnosticCodes.DUPLICATE_TYPE, `${t.name} member`);
  }
  for (const e of model.events) fieldLists.push({ owner: `event ${e.name}`, fields: e.fields });
  for (const { owner, fields } of fieldLists) duplicates(fields, DiagnosticCodes.DUPLICATE_FIELD, `${owner} field`);

  // References resolve against TYPES.md; without it there is nothing to check them against (targets declare
  // such types opaquely and say so).
  if (model.sources.TYPES) {
    const known = new Set(model.types.map((t) => t.name));
    // Suggestions compare with every known name: only the first few unknown references get one, so that a
    // document with thousands of them stays fast.
    let suggestions = 0;
    for (const { owner, fields } of fieldLists)
      for (const f of fields)
        for (const ref of refsOf(f.type))
          if (!known.has(ref.name))
            report(
              DiagnosticCodes.UNKNOWN_TYPE,
              f.source,
              `${owner} field "${f.name}" refers to unknown type "${ref.name}"`,
              'a type defined in TYPES.md',
              suggestions++ < MAX_SUGGESTIONS ? suggest(ref.name, known) : undefined,
            );
  }
  return out;
}

const MAX_SUGGESTIONS = 20;

/** `did you mean "X"?` for the known names within two edits of `name` (or equal but for case). */
export function suggest(name: string, known: ReadonlySet<string>): string | undefined {
  const lower = name.toLowerCase();
  const close = [...known].filter((k) => k.toLowerCase() === lower || distance(k.toLowerCase(), lower) <= 2).sort();
  return close.length ? `did you mean ${close.slice(0, 3).map((c) => `"${c}"`).join(' or ')}?` : undefined;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return dp[a.length]![b.length]!;
}
