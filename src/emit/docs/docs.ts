/**
 * The docs target: COMMANDS.md, TYPES.md and EVENTS.md written from the model alone, through the
 * `docs/*.md.hbs` templates. For upstream's documents the output equals the input byte for byte; snippets come
 * from the syntax renderers, not from the documented text.
 */
import type { ApiModel, CommandDoc, DocKind, Field, TypeDoc } from '../../model/types.js';
import { formatTypeExpr } from '../../parse/typeExpr.js';
import { renderSnippets, type EraOption, type Snippet } from '../../syntax/snippets.js';
import type { TemplateSet } from '../templates.js';
import type { FileMap } from '../../writer/fileMap.js';
import { remembered, type EmitMemo } from '../memo.js';

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Text inside `[...]` of a link: characters that would end or nest the link are escaped. */
export function linkText(text: string): string {
  return text.replace(/[\\[\]`]/g, (c) => `\\${c}`);
}

interface FieldView {
  name: string;
  type: string;
}

const fieldViews = (fields: readonly Field[]): FieldView[] => fields.map((f) => ({ name: f.name, type: formatTypeExpr(f.type) }));

interface SyntaxView {
  text: string;
  javascript: string;
  python: string;
}

function syntaxView(snippet: Snippet | undefined, text: string): SyntaxView {
  const shown = snippet?.documentedForm ?? false;
  return { text, javascript: shown ? snippet!.javascript : '', python: shown ? snippet!.python : '' };
}

/**
 * The three documents. In a watch session (`memo`) each is written again only when its own items change: a
 * document's snippets come from its items alone (see renderSnippets).
 */
export function emitDocs(model: ApiModel, templates: TemplateSet, era: EraOption = 'auto', memo?: EmitMemo): FileMap {
  let bySnippet: Map<string, Snippet> | undefined;
  const snippet = (key: string) => (bySnippet ??= new Map(renderSnippets(model, era, memo).map((s) => [`${s.owner.kind}:${s.owner.name}`, s]))).get(key);
  const files: FileMap = new Map();
  const header = (kind: DocKind) => model.sources[kind]!.header;
  const commands = () => {
    const byName = new Map(model.commands.map((c) => [c.name, c]));
    const commandView = (c: CommandDoc) => ({
      name: c.name,
      link: linkText(c.name),
      anchor: anchorOf(c.name),
      description: c.description,
      networkUsage: c.networkUsage ?? '',
      hasParams: c.params !== undefined,
      params: fieldViews(c.params ?? []),
      syntax: syntaxView(snippet(`command:${c.name}`), c.syntax.text),
      responsesLabel: c.responses.length === 1 ? 'Response' : 'Responses',
      responses: c.responses.map((r) => ({ name: r.name, description: r.description, fields: fieldViews(r.fields) })),
      hasErrors: c.errors !== undefined,
      errors: c.errors ?? [],
    });
    return templates.render('docs/COMMANDS.md.hbs', {
      header: header('COMMANDS'),
      categories: model.commandCategories.map((cat) => ({
        name: cat.name,
        link: linkText(cat.name),
        anchor: anchorOf(cat.name),
        description: cat.description,
        // Each command's view kept while it and its snippet are the same: the command partial renders it once.
        commands: cat.commands
          .map((n) => byName.get(n))
          .filter((c) => c !== undefined)
          .map((c) => {
            const s = snippet(`command:${c.name}`);
            return remembered(memo, `docs command ${c.name}`, [c, templates, s?.documentedForm, s?.javascript, s?.python], () => commandView(c));
          }),
      })),
    });
  };
  if (model.sources.COMMANDS) files.set('docs/COMMANDS.md', remembered(memo, 'docs COMMANDS.md', [model.commands, model.commandCategories, model.sources.COMMANDS, templates, era], commands));

  const types = () => {
    const typeView = (t: TypeDoc) => ({
      name: t.name,
      link: linkText(t.name),
      anchor: anchorOf(t.name),
      description: t.description,
      isRecord: t.kind === 'record',
      isEnum: t.kind === 'enum',
      isUnion: t.kind === 'union',
      fields: t.kind === 'record' ? fieldViews(t.fields) : [],
      values: t.kind === 'enum' ? t.values.map((v) => v.value) : [],
      members: t.kind === 'union' ? t.members.map((m) => ({ name: m.name, fields: fieldViews(m.fields) })) : [],
      hasSyntax: t.syntax !== undefined,
      syntax: syntaxView(snippet(`type:${t.name}`), t.syntax?.text ?? ''),
    });
    return templates.render('docs/TYPES.md.hbs', { header: header('TYPES'), types: model.types.map(typeView) });
  };
  if (model.sources.TYPES) files.set('docs/TYPES.md', remembered(memo, 'docs TYPES.md', [model.types, model.sources.TYPES, templates, era], types));

  const events = () => {
    const byName = new Map(model.events.map((e) => [e.name, e]));
    const eventView = (name: string) => {
      const e = byName.get(name)!;
      return { name: e.name, link: linkText(e.name), anchor: anchorOf(e.name), description: e.description, fields: fieldViews(e.fields) };
    };
    return templates.render('docs/EVENTS.md.hbs', {
      header: header('EVENTS'),
      categories: model.eventCategories.map((cat) => ({
        name: cat.name,
        link: linkText(cat.name),
        anchor: anchorOf(cat.name),
        description: cat.description,
        hasMain: cat.mainEvents.length > 0,
        mainLabel: cat.mainEvents.length === 1 ? 'Main event' : 'Main events',
        mainEvents: cat.mainEvents.map(eventView),
        otherEvents: cat.otherEvents.map(eventView),
        // The body keeps the document's order, which need not be the table of contents' (main events first).
        events: model.events.filter((e) => cat.mainEvents.includes(e.name) || cat.otherEvents.includes(e.name)).map((e) => eventView(e.name)),
      })),
    });
  };
  if (model.sources.EVENTS) files.set('docs/EVENTS.md', remembered(memo, 'docs EVENTS.md', [model.events, model.eventCategories, model.sources.EVENTS, templates], events));
  return files;
}
