/**
 * The rendered JavaScript and Python snippet of every syntax block in a model, with the documented ones beside
 * them, in the snippet convention detected per document (or forced by an option).
 */
import type { ApiModel, DocKind, Field, SyntaxBlock, TypeDoc } from '../model/types.js';
import { isConstant } from './ast.js';
import { remembered, type Memo } from '../util/memo.js';
import { ERA_STYLES, renderJavaScript, renderPython, type ParamTypes, type SnippetEra, type SnippetStyle } from './render.js';

export interface Snippet {
  /** `command` or `type`, and the owner's name. */
  owner: { kind: 'command' | 'type'; name: string };
  syntax: SyntaxBlock;
  javascript: string;
  python: string;
  /** False for constant syntaxes (no parameters), whose documents show no snippets. */
  documentedForm: boolean;
}

export type EraOption = SnippetEra | 'auto';

/** The parameter (or field) types a syntax block can refer to. */
export function paramTypesOf(fields: readonly Field[]): ParamTypes {
  return new Map(fields.map((f) => [f.name, f.type]));
}

export function typeSyntaxParams(t: TypeDoc): Field[] {
  switch (t.kind) {
    case 'record':
      return t.fields;
    case 'enum':
      return [{ name: 'self', type: { kind: 'ref', name: t.name, href: '' }, source: t.source }];
    case 'union': {
      const seen = new Map<string, Field>();
      for (const m of t.members) for (const f of m.fields) if (!seen.has(f.name)) seen.set(f.name, f);
      return [...seen.values()];
    }
  }
}

interface Owner {
  kind: 'command' | 'type';
  name: string;
  syntax: SyntaxBlock;
  types: ParamTypes;
  /** The command or type itself (what a remembered rendering depends on). */
  item: object;
}

/** A snippet of an owner in one style of one language. */
type Render = (o: Owner, language: 'js' | 'python', style: string) => string;

const renderPlain: Render = (o, language, style) =>
  language === 'js' ? renderJavaScript(o.syntax.ast!, o.types, style as SnippetStyle['js']) : renderPython(o.syntax.ast!, o.types, style as SnippetStyle['python']);

/** The items of one document that have a syntax block (commands have one each; EVENTS.md has none). */
function owners(model: ApiModel, doc: DocKind): Owner[] {
  const list: Owner[] = [];
  if (doc === 'COMMANDS')
    for (const c of model.commands) list.push({ kind: 'command', name: c.name, syntax: c.syntax, types: paramTypesOf(c.params ?? []), item: c });
  if (doc === 'TYPES')
    for (const t of model.types) if (t.syntax) list.push({ kind: 'type', name: t.name, syntax: t.syntax, types: paramTypesOf(typeSyntaxParams(t)), item: t });
  return list;
}

/**
 * The convention each document's snippets follow: the style under which most documented snippets match
 * the rendered ones (ties, and documents without snippets, take the latest).
 */
export function detectStyles(model: ApiModel): Record<DocKind, SnippetStyle> {
  const result = {} as Record<DocKind, SnippetStyle>;
  for (const doc of ['COMMANDS', 'TYPES', 'EVENTS'] as DocKind[]) result[doc] = detectStyle(owners(model, doc));
  return result;
}

/** The convention of one document's snippets (see detectStyles). */
function detectStyle(owned: readonly Owner[], render: Render = renderPlain): SnippetStyle {
  const mine = owned.filter((o) => o.syntax.ast);
  const best = <K extends keyof SnippetStyle>(key: K, options: SnippetStyle[K][]): SnippetStyle[K] => {
    let choice = options[0]!;
    let top = -1;
    for (const opt of options) {
      let n = 0;
      for (const o of mine) {
        const documented = key === 'js' ? o.syntax.javascript : o.syntax.python;
        if (documented === undefined) continue;
        if (render(o, key, opt) === documented) n++;
      }
      if (n > top) {
        top = n;
        choice = opt;
      }
    }
    return choice;
  };
  return { js: best('js', ['cmdString', 'toString']), python: best('python', ['cmd_string', 'str']) };
}

export function stylesFor(model: ApiModel, era: EraOption): Record<DocKind, SnippetStyle> {
  if (era !== 'auto') return { COMMANDS: ERA_STYLES[era], TYPES: ERA_STYLES[era], EVENTS: ERA_STYLES[era] };
  return detectStyles(model);
}

/** Snippets by model and era: the docs, snippets.json and lint all ask for the same ones. */
const rendered = new WeakMap<ApiModel, Map<EraOption, Snippet[]>>();

/**
 * The snippets of a model. In a watch session (`memo`) each document's are kept while its items are the same: a
 * document's convention is detected from its own snippets, so an edit of one leaves the other's as they were.
 */
export function renderSnippets(model: ApiModel, era: EraOption = 'auto', memo?: Memo): Snippet[] {
  let byEra = rendered.get(model);
  if (!byEra) rendered.set(model, (byEra = new Map()));
  let snippets = byEra.get(era);
  if (!snippets) {
    const part = (doc: 'COMMANDS' | 'TYPES', items: readonly unknown[]) =>
      remembered(memo, `snippets ${doc} ${era}`, [items], () => renderSnippetsOf(model, era, doc, memo));
    byEra.set(era, (snippets = [...part('COMMANDS', model.commands), ...part('TYPES', model.types)]));
  }
  return snippets;
}

/**
 * The snippets of one document's items (commands, or types with a syntax), in its convention; in a watch session
 * (`memo`) each item's renderings are kept while the item is the same.
 */
function renderSnippetsOf(model: ApiModel, era: EraOption, doc: 'COMMANDS' | 'TYPES', memo?: Memo): Snippet[] {
  const render: Render = memo ? (o, language, style) => memo.get(`snippet ${o.kind} ${o.name} ${language} ${style}`, [o.item], () => renderPlain(o, language, style)) : renderPlain;
  const owned = owners(model, doc);
  const style = era !== 'auto' ? ERA_STYLES[era] : detectStyle(owned, render);
  const out: Snippet[] = [];
  for (const o of owned) {
    if (!o.syntax.ast) continue;
    out.push({
      owner: { kind: o.kind, name: o.name },
      syntax: o.syntax,
      javascript: render(o, 'js', style.js),
      python: render(o, 'python', style.python),
      documentedForm: !isConstant(o.syntax.ast),
    });
  }
  return out;
}
