/**
 * The `docs-html` target: a static HTML reference under `html/`, written from the model alone. Plain pages, one
 * stylesheet and one small script (search over names and descriptions, offline: the index of names is embedded
 * in index.html, so the site works from `file://` without fetching anything). The page frame, the stylesheet and
 * the script are templates (`html/*.hbs`) that users can override.
 */
import type { ApiModel, CommandCategory, CommandDoc } from '../../model/types.js';
import { remembered, type EmitMemo } from '../memo.js';
import { renderSnippets, type EraOption } from '../../syntax/snippets.js';
import type { FileMap } from '../../writer/fileMap.js';
import type { TemplateSet } from '../templates.js';
import { examplesOf } from './examples.js';
import { commandPage, eventsPage, indexPage, markdownRenderer, typesPage, type Page, type PageContext } from './pages.js';
import { commandPath, eventPath, hrefFrom, SiteLinks, typePath } from './links.js';
import { escapeHtml } from './text.js';
import { escapeInvisible, safeJson, uEscape } from '../escape.js';
import { markdownToText } from './markdown.js';
import { recentMemo } from '../../util/recentMemo.js';

/** Characters of a description kept in the search index: enough to find a word, not the whole text. */
const SEARCH_TEXT = 240;

/**
 * The site. In watch mode (`memo`) a command's page, an event's or a type's section and each page's frame are made
 * again only when what they show changed: the item, the names links resolve to, its examples and snippets, what
 * uses a type.
 */
export function emitHtmlSite(model: ApiModel, templates: TemplateSet, era: EraOption = 'auto', memo?: EmitMemo): FileMap {
  const snippets = new Map(renderSnippets(model, era, memo).filter((s) => s.owner.kind === 'command').map((s) => [s.owner.name, s]));
  const links = new SiteLinks(model);
  const categoryOf = new Map<string, CommandCategory>();
  for (const k of model.commandCategories) for (const name of k.commands) if (!categoryOf.has(name)) categoryOf.set(name, k);
  const remember = (name: string, deps: readonly unknown[], make: () => string) => remembered(memo, `html ${name}`, deps, make);
  const ctx: PageContext = { model, links, examples: examplesOf(model), snippets, categoryOf, markdown: markdownRenderer(links), remember };
  const sourceFile = model.sources.COMMANDS?.file;
  const commandPageOf = (c: CommandDoc): Page => {
    const snippet = snippets.get(c.name);
    const deps = [c, links.names, categoryOf.get(c.name), sourceFile, ctx.examples.command(c), snippet?.javascript, snippet?.python, c.responses.map((r) => ctx.examples.response(r.tag)).join('\0')];
    return commandPage(ctx, c, (make) => remember(`command ${c.name}`, deps, make));
  };
  const pages: Page[] = [indexPage(ctx), eventsPage(ctx), typesPage(ctx), ...model.commands.map(commandPageOf)];
  const sources = escapeHtml((['COMMANDS', 'TYPES', 'EVENTS'] as const).map((k) => model.sources[k]?.file).filter((f): f is string => f !== undefined).join(', '));
  const files: FileMap = new Map();
  for (const page of pages) {
    const base = hrefFrom(page.depth, '');
    const title = escapeHtml(page.title);
    // The search's data lives in the index only: the other pages' search box takes the query there.
    const searchData = page.path === 'index.html' ? scriptJson(searchEntries(model)) : undefined;
    files.set(
      `html/${page.path}`,
      remember(`page ${page.path}`, [templates, title, base, page.body, sources, searchData], () => templates.render('html/page.html.hbs', { title, base, body: page.body, sources, searchData })),
    );
  }
  files.set('html/style.css', templates.render('html/style.css.hbs', {}));
  files.set('html/search.js', templates.render('html/search.js.hbs', {}));
  return files;
}

/**
 * A description's search text: invisible characters shown as their escapes, as the pages show them. Each
 * description once (a spec may repeat one in every section), and kept for the next watch run.
 */
const searchText = recentMemo((markdown) => escapeInvisible(markdownToText(markdown).slice(0, SEARCH_TEXT)), 4096);

/** Search entries: name, kind, path from the root, and the start of the description as plain text. */
function searchEntries(model: ApiModel): [string, string, string, string][] {
  return [
    ...model.commands.map((c) => [c.name, 'command', commandPath(c.name), searchText(c.description)] as [string, string, string, string]),
    ...model.events.map((e) => [e.name, 'event', eventPath(e.name), searchText(e.description)] as [string, string, string, string]),
    ...model.types.map((t) => [t.name, `${t.kind} type`, typePath(t.name), searchText(t.description)] as [string, string, string, string]),
  ];
}

/** JSON inside a <script> element: nothing in it can end the element or open a comment (`<` is always escaped). */
function scriptJson(value: unknown): string {
  return safeJson(JSON.stringify(value)).replace(/[<>&]/g, uEscape);
}
