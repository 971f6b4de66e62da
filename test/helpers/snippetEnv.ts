/**
 * Evaluates documented-style snippets (bare parameter names) in JavaScript, and prepares the same in Python:
 * the type-level builders the snippets call (`ChatRef.cmdString`, `ChatRef_cmd_string`) are made from the
 * types' own rendered snippets; in the seed convention (`x.toString()` / `str(x)`) values are wrapped so that
 * their string conversion is their type's syntax.
 */
import type { ApiModel, TypeDoc, TypeExpr } from '../../src/model/types.js';
import { unwrapOptional } from '../../src/parse/typeExpr.js';
import { renderSnippets, stylesFor, typeSyntaxParams } from '../../src/syntax/snippets.js';

export function evalJs(expr: string, env: Record<string, unknown>): string {
  const names = Object.keys(env);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(...names, `return (${expr});`)(...names.map((n) => env[n])) as string;
}

export class SnippetEnv {
  readonly types: Map<string, TypeDoc>;
  readonly jsTypeSnippets = new Map<string, string>();
  readonly pyTypeSnippets = new Map<string, string>();
  readonly seedStyle: boolean;
  readonly namespaces: Record<string, { cmdString: (self: unknown) => string }> = {};

  constructor(readonly model: ApiModel) {
    this.types = new Map(model.types.map((t) => [t.name, t]));
    for (const s of renderSnippets(model)) {
      if (s.owner.kind !== 'type') continue;
      this.jsTypeSnippets.set(s.owner.name, s.javascript);
      this.pyTypeSnippets.set(s.owner.name, s.python);
    }
    this.seedStyle = stylesFor(model, 'auto').COMMANDS.js === 'toString';
    for (const name of this.jsTypeSnippets.keys()) this.namespaces[name] = { cmdString: (self) => this.renderType(name, self) };
  }

  private fieldEnv(t: TypeDoc, self: unknown): Record<string, unknown> {
    if (t.kind === 'enum') return { self };
    const obj = self as Record<string, unknown>;
    return Object.fromEntries(typeSyntaxParams(t).map((f) => [f.name, obj[f.name]]));
  }

  renderType(name: string, self: unknown): string {
    const t = this.types.get(name)!;
    return evalJs(this.jsTypeSnippets.get(name)!, { ...this.namespaces, ...this.fieldEnv(t, self) });
  }

  /** Seed convention: gives values of types with a syntax a `toString` that renders it (recursively). */
  wrapJs(value: unknown, type: TypeExpr | undefined): unknown {
    if (value === undefined || value === null || !type || !this.seedStyle) return value;
    const base = unwrapOptional(type).type;
    if (base.kind === 'list') return (value as unknown[]).map((v) => this.wrapJs(v, base.element));
    if (base.kind !== 'ref') return value;
    const t = this.types.get(base.name);
    if (!t) return value;
    let out: unknown = value;
    if (t.kind !== 'enum') {
      const fields = t.kind === 'record' ? t.fields : (t.members.find((m) => m.tag === (value as { type?: string }).type)?.fields ?? []);
      const obj: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const f of fields) if (f.name in obj) obj[f.name] = this.wrapJs(obj[f.name], f.type);
      out = obj;
    } else out = new String(value);
    if (this.jsTypeSnippets.has(t.name)) {
      const wrapped = out as object;
      Object.defineProperty(wrapped, 'toString', { value: () => evalJs(this.jsTypeSnippets.get(t.name)!, this.fieldEnv(t, t.kind === 'enum' ? String(value) : wrapped)), enumerable: false });
    }
    return out;
  }

  /** Python definitions of the type builders the snippets call. */
  pythonPrelude(): string {
    let out = '';
    for (const [name, expr] of this.pyTypeSnippets) {
      const t = this.types.get(name)!;
      const locals = t.kind === 'enum' ? [] : typeSyntaxParams(t).map((f) => `    ${f.name} = self.get(${JSON.stringify(f.name)})`);
      out += `def ${name}_cmd_string(self):\n${locals.join('\n')}${locals.length ? '\n' : ''}    return ${expr}\n\n`;
    }
    return out;
  }

  /** Type information the Python harness needs to wrap values in the seed convention. */
  pythonTypes(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const t of this.model.types) {
      const syntax = this.pyTypeSnippets.has(t.name);
      if (t.kind === 'enum') out[t.name] = { kind: 'enum', syntax };
      else if (t.kind === 'record') out[t.name] = { kind: 'record', syntax, fields: Object.fromEntries(t.fields.map((f) => [f.name, f.type])) };
      else out[t.name] = { kind: 'union', syntax, members: Object.fromEntries(t.members.map((m) => [m.tag, Object.fromEntries(m.fields.map((f) => [f.name, f.type]))])) };
    }
    return out;
  }
}
