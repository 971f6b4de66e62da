/**
 * The bodies of the reference's pages, as HTML: the index (categories of commands and events, every type), a
 * page per command, the events page and the types page. Every piece of spec text goes through escapeHtml or the
 * description renderer; headings go h1 → h2 → h3 on every page.
 */
import type { ApiModel, CommandCategory, CommandDoc, DocKind, EventDoc, Field, ResponseDoc, TypeDoc } from '../../model/types.js';
import type { Snippet } from '../../syntax/snippets.js';
import type { Examples } from './examples.js';
import { commandPath, eventPath, hrefFrom, responseAnchor, typePath, type SiteLinks } from './links.js';
import { markdownToHtml } from './markdown.js';
import { escapeContent, escapeHtml } from './text.js';

export interface PageContext {
  model: ApiModel;
  links: SiteLinks;
  examples: Examples;
  /** Rendered snippets of commands, by name. */
  snippets: ReadonlyMap<string, Snippet>;
  /** The category each command is listed under. */
  categoryOf: ReadonlyMap<string, CommandCategory>;
  /** Descriptions as HTML, in one document's context at one depth (many repeat: every command lists chatCmdError). */
  markdown(text: string, doc: DocKind, depth: number, inline?: boolean): string;
  /** A part of a page remembered across a watch session's emits while `deps` are the same (see EmitMemo). */
  remember(name: string, deps: readonly unknown[], make: () => string): string;
}

/** The descriptions rendered by the last run, and the names their links could resolve to then. */
let lastMarkdown: { names: string; done: Map<string, string> } | undefined;

/**
 * The context's `markdown`: each description rendered once per place it can be linked from, and taken from the
 * last run (watch mode) while the names links resolve to are the same; what this run did not ask for is dropped.
 */
export function markdownRenderer(links: SiteLinks): PageContext['markdown'] {
  const previous = lastMarkdown?.names === links.names ? lastMarkdown.done : undefined;
  const done = new Map<string, string>();
  lastMarkdown = { names: links.names, done };
  return (text, doc, depth, inline = false) => {
    const key = `${doc} ${depth} ${inline} ${text}`;
    let html = done.get(key) ?? previous?.get(key);
    if (html === undefined) html = markdownToHtml(text, links.resolver(doc, depth), inline);
    done.set(key, html);
    return html;
  };
}

/** A page: its title (text) and body (HTML), and how deep below the site's root it lives. */
export interface Page {
  path: string;
  title: string;
  depth: number;
  body: string;
}

const since = (s: string | undefined): string => (s === undefined ? '' : ` <span class="since">since ${escapeHtml(s)}</span>`);

/** The first paragraph of a description, for lists. */
const summary = (markdown: string): string => markdown.split(/\n\s*\n/)[0]!.trim();

function description(ctx: PageContext, markdown: string, doc: DocKind, depth: number): string {
  return markdown.trim() === '' ? '' : `<div class="desc">${ctx.markdown(markdown, doc, depth)}</div>`;
}

function link(depth: number, path: string, inner: string): string {
  return `<a href="${escapeHtml(hrefFrom(depth, path))}">${inner}</a>`;
}

/** Fields as a table; a field newer than what holds it says since when. */
function fieldsTable(ctx: PageContext, fields: readonly Field[], ownerSince: string | undefined, depth: number, caption: string): string {
  if (fields.length === 0) return '<p class="none">No fields.</p>';
  const rows = fields
    .map((f) => `<tr><th scope="row"><code>${escapeHtml(f.name)}</code>${f.since !== ownerSince ? since(f.since) : ''}</th><td><code>${ctx.links.typeHtml(f.type, depth)}</code></td></tr>`)
    .join('\n');
  return `<div class="table"><table>\n<caption>${escapeHtml(caption)}</caption>\n<thead><tr><th scope="col">Name</th><th scope="col">Type</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table></div>`;
}

function code(text: string, cls: string, label?: string): string {
  return `<pre class="${cls}"${label ? ` aria-label="${escapeHtml(label)}"` : ''} tabindex="0"><code>${escapeHtml(text)}</code></pre>`;
}

function example(json: string | undefined, kind: 'response' | 'event', tag: string): string {
  if (json === undefined) return '';
  return `<details class="example">\n<summary>Example JSON</summary>\n<pre class="json" data-${kind}="${escapeHtml(tag)}" tabindex="0"><code>${escapeContent(json)}</code></pre>\n</details>`;
}

/** A command's page; its body made through `body` (the site remembers it in watch mode). */
export function commandPage(ctx: PageContext, c: CommandDoc, body: (make: () => string) => string = (make) => make()): Page {
  return { path: commandPath(c.name), title: c.name, depth: 1, body: body(() => commandBody(ctx, c)) };
}

function commandBody(ctx: PageContext, c: CommandDoc): string {
  const depth = 1;
  const category = ctx.categoryOf.get(c.name);
  const parts: string[] = [];
  parts.push(
    `<nav class="crumbs" aria-label="Breadcrumb">${link(depth, 'index.html', 'Reference')} › ${category ? link(depth, `index.html#${categoryAnchor('commands', category.name)}`, escapeHtml(category.name)) : 'Commands'}</nav>`,
  );
  parts.push(`<h1><code>${escapeHtml(c.name)}</code>${since(c.since)}</h1>`);
  parts.push(description(ctx, c.description, 'COMMANDS', depth));
  if (c.networkUsage) parts.push(`<p class="meta">Network usage: <strong>${escapeHtml(c.networkUsage)}</strong></p>`);
  parts.push('<h2 id="syntax">Syntax</h2>', code(c.syntax.text, 'syntax', 'Syntax'));
  const exampleText = ctx.examples.command(c);
  if (exampleText !== undefined) parts.push('<h3 id="example">Example</h3>', code(exampleText, 'command-example', 'Example command string'));
  parts.push('<h2 id="parameters">Parameters</h2>');
  parts.push(c.params === undefined || c.params.length === 0 ? '<p class="none">No parameters.</p>' : fieldsTable(ctx, c.params, c.since, depth, `Parameters of ${c.name}`));
  const snippet = ctx.snippets.get(c.name);
  if (snippet) {
    parts.push('<h2 id="snippets">Building the command string</h2>');
    parts.push('<h3>JavaScript</h3>', code(snippet.javascript, 'snippet', 'JavaScript'));
    parts.push('<h3>Python</h3>', code(snippet.python, 'snippet', 'Python'));
  }
  parts.push('<h2 id="responses">Responses</h2>');
  if (c.responses.length === 0) parts.push('<p class="none">No responses documented.</p>');
  for (const r of c.responses) parts.push(responseSection(ctx, r, depth));
  if (c.errors?.length) {
    parts.push('<h2 id="errors">Errors</h2>', '<ul>');
    for (const e of c.errors) parts.push(`<li><code>${escapeHtml(e.name)}</code>: ${ctx.markdown(e.description, 'COMMANDS', depth, true)}</li>`);
    parts.push('</ul>');
  }
  parts.push(sourceNote(ctx, 'COMMANDS', c.source.line));
  return parts.filter((p) => p !== '').join('\n');
}

function responseSection(ctx: PageContext, r: ResponseDoc, depth: number): string {
  return taggedSection(ctx, responseAnchor(r.tag), r, 'COMMANDS', depth, example(ctx.examples.response(r.tag), 'response', r.tag));
}

/** A response or event: its anchor, heading, description, fields and example JSON. */
function taggedSection(ctx: PageContext, id: string, item: ResponseDoc | EventDoc, doc: DocKind, depth: number, exampleHtml: string): string {
  return [
    `<section id="${escapeHtml(id)}" aria-labelledby="${escapeHtml(id)}-h">`,
    `<h3 id="${escapeHtml(id)}-h"><code>${escapeHtml(item.name)}</code>${since(item.since)}</h3>`,
    description(ctx, item.description, doc, depth),
    fieldsTable(ctx, item.fields, item.since, depth, `Fields of ${item.name}`),
    exampleHtml,
    '</section>',
  ]
    .filter((p) => p !== '')
    .join('\n');
}

function sourceNote(ctx: PageContext, doc: DocKind, line: number): string {
  const file = ctx.model.sources[doc]?.file ?? `${doc}.md`;
  return `<p class="source">From ${escapeHtml(file)}, line ${line}.</p>`;
}

export const categoryAnchor = (kind: 'commands' | 'events', name: string): string => `${kind}-${name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

export function eventsPage(ctx: PageContext): Page {
  const depth = 0;
  const parts: string[] = ['<h1>Events</h1>', '<p>Events come from the chat core without a <code>corrId</code>: <code>{"resp": {"type": …}}</code>.</p>'];
  const byName = new Map(ctx.model.events.map((e) => [e.name, e]));
  const listed = new Set<string>();
  for (const k of ctx.model.eventCategories) {
    parts.push(`<h2 id="${escapeHtml(categoryAnchor('events', k.name))}">${escapeHtml(k.name)}</h2>`);
    parts.push(description(ctx, k.description, 'EVENTS', depth));
    for (const name of [...k.mainEvents, ...k.otherEvents]) {
      const e = byName.get(name);
      if (!e || listed.has(name)) continue;
      listed.add(name);
      parts.push(eventSection(ctx, e, depth));
    }
  }
  const rest = ctx.model.events.filter((e) => !listed.has(e.name));
  if (rest.length) {
    parts.push('<h2 id="events-other">Other events</h2>');
    for (const e of rest) parts.push(eventSection(ctx, e, depth));
  }
  return { path: 'events.html', title: 'Events', depth, body: parts.filter((p) => p !== '').join('\n') };
}

function eventSection(ctx: PageContext, e: EventDoc, depth: number): string {
  const json = ctx.examples.event(e.tag);
  return ctx.remember(`event ${e.name} ${depth}`, [e, ctx.links.names, json], () => taggedSection(ctx, e.name, e, 'EVENTS', depth, example(json, 'event', e.tag)));
}

export function typesPage(ctx: PageContext): Page {
  const depth = 0;
  const parts: string[] = ['<h1>Types</h1>'];
  parts.push(`<p>${ctx.model.types.length} types: records, enums and unions tagged by their <code>type</code> field.</p>`);
  parts.push(`<nav aria-label="Types"><ul class="names">${ctx.model.types.map((t) => `<li>${link(depth, typePath(t.name), escapeHtml(t.name))}</li>`).join('')}</ul></nav>`);
  for (const t of ctx.model.types) {
    // What else a section shows: the names links resolve to, and what uses the type.
    const users = ctx.links.usedBy(t.name).map((u) => `${u.label}\0${u.path}`).join('\n');
    parts.push(ctx.remember(`type ${t.name}`, [t, ctx.links.names, users], () => typeSection(ctx, t, depth)));
  }
  return { path: 'types.html', title: 'Types', depth, body: parts.filter((p) => p !== '').join('\n') };
}

function typeSection(ctx: PageContext, t: TypeDoc, depth: number): string {
  const parts = [`<section id="${escapeHtml(t.name)}" aria-labelledby="${escapeHtml(t.name)}-h">`];
  parts.push(`<h2 id="${escapeHtml(t.name)}-h"><code>${escapeHtml(t.name)}</code> <span class="kind">${t.kind}</span>${since(t.since)}</h2>`);
  parts.push(description(ctx, t.description, 'TYPES', depth));
  if (t.kind === 'record') parts.push(fieldsTable(ctx, t.fields, t.since, depth, `Fields of ${t.name}`));
  else if (t.kind === 'enum')
    parts.push(`<ul class="values" aria-label="Values of ${escapeHtml(t.name)}">${t.values.map((v) => `<li><code>${escapeHtml(JSON.stringify(v.value))}</code>${v.since !== t.since ? since(v.since) : ''}</li>`).join('')}</ul>`);
  else
    for (const m of t.members) {
      parts.push(`<h3 id="${escapeHtml(t.name)}-${escapeHtml(m.tag)}"><code>${escapeHtml(m.name)}</code>: <code>${escapeHtml(JSON.stringify(m.tag))}</code>${m.since !== t.since ? since(m.since) : ''}</h3>`);
      parts.push(fieldsTable(ctx, m.fields, m.since, depth, `Fields of ${t.name} member ${m.name}`));
    }
  if (t.syntax) parts.push(`<p class="meta">Written in command strings as:</p>`, code(t.syntax.text, 'syntax', `Syntax of ${t.name}`));
  const users = ctx.links.usedBy(t.name);
  parts.push(
    users.length === 0
      ? '<p class="used-by">Used by: nothing in the documents.</p>'
      : `<p class="used-by">Used by:</p><ul class="used-by">${users.map((u) => `<li>${link(depth, u.path, escapeHtml(u.label))}</li>`).join('')}</ul>`,
  );
  parts.push('</section>');
  return parts.filter((p) => p !== '').join('\n');
}

export function indexPage(ctx: PageContext): Page {
  const depth = 0;
  const m = ctx.model;
  const parts: string[] = ['<h1>SimpleX Chat bot API</h1>'];
  parts.push(
    `<p>${m.commands.length} commands, ${m.events.length} events and ${m.types.length} types${m.history ? `, with the version each appeared in (history: ${escapeHtml(m.history.versions.join(', '))})` : ''}.</p>`,
  );
  parts.push('<section id="results" aria-labelledby="results-h" hidden>', '<h2 id="results-h">Search results</h2>', '<p class="status" role="status"></p>', '<ol class="results"></ol>', '</section>');
  parts.push('<h2 id="websocket">Using the API over WebSocket</h2>');
  parts.push(
    '<p>Run the chat core with <code>simplex-chat -p 5225</code> and connect to <code>ws://localhost:5225</code>. Send each command as <code>{"corrId": "1", "cmd": "/_send …"}</code>; its reply carries the same <code>corrId</code>: <code>{"corrId": "1", "resp": {"type": …}}</code>. <a href="events.html">Events</a> come as <code>{"resp": {"type": …}}</code> without one. Clients should accept fields, types and values they do not know: newer chat cores send them.</p>',
  );
  parts.push('<h2 id="commands">Commands</h2>');
  const byName = new Map(m.commands.map((c) => [c.name, c]));
  for (const k of m.commandCategories) {
    parts.push(`<h3 id="${escapeHtml(categoryAnchor('commands', k.name))}">${escapeHtml(k.name)}</h3>`);
    parts.push(description(ctx, k.description, 'COMMANDS', depth));
    parts.push(entryList(ctx, k.commands.map((n) => byName.get(n)).filter((c): c is CommandDoc => c !== undefined).map((c) => ({ name: c.name, path: commandPath(c.name), description: c.description, doc: 'COMMANDS' as const }))));
  }
  parts.push('<h2 id="events">Events</h2>');
  const events = new Map(m.events.map((e) => [e.name, e]));
  for (const k of m.eventCategories) {
    parts.push(`<h3 id="${escapeHtml(categoryAnchor('events', k.name))}">${escapeHtml(k.name)}</h3>`);
    const names = [...new Set([...k.mainEvents, ...k.otherEvents])];
    parts.push(entryList(ctx, names.map((n) => events.get(n)).filter((e): e is EventDoc => e !== undefined).map((e) => ({ name: e.name, path: eventPath(e.name), description: e.description, doc: 'EVENTS' as const }))));
  }
  parts.push('<h2 id="types">Types</h2>');
  parts.push(`<p>${link(depth, 'types.html', `All ${m.types.length} types`)}, each with what uses it.</p>`);
  return { path: 'index.html', title: 'SimpleX Chat bot API', depth, body: parts.filter((p) => p !== '').join('\n') };
}

function entryList(ctx: PageContext, entries: { name: string; path: string; description: string; doc: DocKind }[]): string {
  if (entries.length === 0) return '';
  const items = entries.map((e) => {
    const text = summary(e.description);
    return `<li>${link(0, e.path, `<code>${escapeHtml(e.name)}</code>`)}${text ? ` — ${ctx.markdown(text, e.doc, 0, true)}` : ''}</li>`;
  });
  return `<ul class="entries">\n${items.join('\n')}\n</ul>`;
}
