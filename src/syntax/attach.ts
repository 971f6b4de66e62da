/**
 * Parses and binds every syntax block of a model, attaching the bound tree (`syntax.ast`) to a copy of each
 * command and type that has one: the model's lists are replaced, the documents' parsed items stay as parsed. A
 * watch session shares those items between builds (DocumentCache), and a command's bound tree depends on the
 * types it names: written into the shared item, an edit of TYPES.md would change a command that caches keyed by
 * the unchanged COMMANDS.md still hold.
 */
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ApiModel, DocKind, Field, SyntaxBlock, TypeDoc } from '../model/types.js';
import { locate } from '../model/validate.js';
import { unwrapOptional } from '../parse/typeExpr.js';
import { bindSyntax, type BindParam } from './bind.js';
import { parseSyntaxText } from './parse.js';
import { typeSyntaxParams } from './snippets.js';

export function attachSyntax(model: ApiModel, files: Partial<Record<DocKind, string>>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const types = new Map(model.types.map((t) => [t.name, t]));
  const knowTypes = model.sources.TYPES !== undefined;

  const toParam = (f: Field): BindParam => {
    const p: BindParam = { name: f.name, type: f.type };
    const base = unwrapOptional(f.type).type;
    if (base.kind === 'ref') {
      const t = types.get(base.name);
      if (t) {
        p.hasSyntax = t.syntax !== undefined;
        if (t.kind === 'enum') p.enumValues = t.values.map((v) => v.value);
      } else if (knowTypes) p.hasSyntax = false;
    } else p.hasSyntax = false;
    return p;
  };

  const attach = (syntax: SyntaxBlock, params: BindParam[], owner: string): SyntaxBlock => {
    const [file, start] = locate(files, syntax.source);
    const at = (offset: number) => ({ line: start.line, column: start.column + offset });
    if (syntax.text.includes('\n')) {
      out.push(diagnostic(DiagnosticCodes.SYNTAX_PARSE, file, start, `${owner}: the syntax block has more than one line`, { expected: 'the command syntax on one line', subject: owner }));
      return syntax;
    }
    const parsed = parseSyntaxText(syntax.text);
    if (!parsed.ok) {
      out.push(diagnostic(DiagnosticCodes.SYNTAX_PARSE, file, at(parsed.error.offset), `${owner}: ${parsed.error.message}`, { expected: parsed.error.expected, subject: owner }));
      return syntax;
    }
    const { node, problems } = bindSyntax(parsed.node, params, owner);
    for (const p of problems) out.push(diagnostic(p.code, file, at(p.offset), p.message, { expected: p.expected, severity: p.severity, subject: owner }));
    return { ...syntax, ast: node };
  };

  model.commands = model.commands.map((c) => (c.incomplete ? c : { ...c, syntax: attach(c.syntax, (c.params ?? []).map(toParam), c.name) }));
  model.types = model.types.map((t) => (t.syntax ? { ...t, syntax: attach(t.syntax, typeParams(t, toParam), t.name) } : t));
  return out;
}

/** What a type's own syntax can refer to (`typeSyntaxParams`), with what binding needs to know of each. */
export function typeParams(t: TypeDoc, toParam: (f: Field) => BindParam): BindParam[] {
  const fields = typeSyntaxParams(t);
  switch (t.kind) {
    case 'record':
      return fields.map(toParam);
    case 'enum':
      return [{ name: 'self', type: fields[0]!.type, enumValues: t.values.map((v) => v.value), hasSyntax: false }];
    case 'union': {
      const tags = t.members.map((m) => m.tag);
      return fields.map((f): BindParam => {
        if (f.name === 'type' && f.type.kind === 'literal') return { name: 'type', type: f.type, enumValues: tags, hasSyntax: false };
        const absentIn = t.members.filter((o) => !o.fields.some((g) => g.name === f.name)).map((o) => o.tag);
        return { ...toParam(f), ...(absentIn.length ? { absentIn, tagField: 'type' } : {}) };
      });
    }
  }
}
