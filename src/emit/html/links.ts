/**
 * Where everything lives in the HTML reference, and what refers to what: a page per command, one page of events
 * and one of types with an anchor each; links written relative to the page they appear on; the documents' own
 * links (`#chatref`, `./TYPES.md#user`) resolved to those places; and, per type, what uses it.
 */
import type { ApiModel, DocKind, Field, TypeDoc, TypeExpr } from '../../model/types.js';
import { anchorOf } from '../docs/docs.js';
import { escapeHtml } from './text.js';

/** A place in the site, relative to its root: `commands/APISendMessages.html`, `types.html#ChatRef`. */
export type SitePath = string;

export const commandPath = (name: string): SitePath => `commands/${name}.html`;
export const responseAnchor = (tag: string): string => `response-${tag}`;
export const eventPath = (name: string): SitePath => `events.html#${name}`;
export const typePath = (name: string): SitePath => `types.html#${name}`;

/** A site path as a link from a page `depth` folders below the root. */
export function hrefFrom(depth: number, target: SitePath): string {
  return '../'.repeat(depth) + target;
}

export interface UsedBy {
  label: string;
  path: SitePath;
}

export class SiteLinks {
  private readonly byAnchor: Record<DocKind, Map<string, SitePath>> = { COMMANDS: new Map(), TYPES: new Map(), EVENTS: new Map() };
  readonly types: ReadonlyMap<string, TypeDoc>;
  /** Every name a link can resolve to, as one string: rendered links stay true while it stays the same. */
  readonly names: string;
  private readonly users = new Map<string, UsedBy[]>();

  constructor(model: ApiModel) {
    this.types = new Map(model.types.map((t) => [t.name, t]));
    for (const c of model.commands) this.byAnchor.COMMANDS.set(anchorOf(c.name), commandPath(c.name));
    for (const t of model.types) this.byAnchor.TYPES.set(anchorOf(t.name), typePath(t.name));
    for (const e of model.events) this.byAnchor.EVENTS.set(anchorOf(e.name), eventPath(e.name));
    this.names = JSON.stringify([model.commands.map((c) => c.name), model.types.map((t) => t.name), model.events.map((e) => e.name)]);
    const seen = new Set<string>();
    const use = (fields: readonly Field[], by: UsedBy) => {
      const names = new Set<string>();
      for (const f of fields) refNames(f.type, names);
      for (const n of names) {
        // Once per type and place (a response that several commands list is one place per command).
        const key = `${n} ${by.path}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const list = this.users.get(n);
        if (list) list.push(by);
        else this.users.set(n, [by]);
      }
    };
    for (const c of model.commands) {
      use(c.params ?? [], { label: `${c.name} (command)`, path: commandPath(c.name) });
      for (const r of c.responses) use(r.fields, { label: `${r.name} (response of ${c.name})`, path: `${commandPath(c.name)}#${responseAnchor(r.tag)}` });
    }
    for (const e of model.events) use(e.fields, { label: `${e.name} (event)`, path: eventPath(e.name) });
    for (const t of model.types) {
      const fields = t.kind === 'record' ? t.fields : t.kind === 'union' ? t.members.flatMap((m) => m.fields) : [];
      use(fields, { label: `${t.name} (type)`, path: typePath(t.name) });
    }
  }

  /** What refers to the type: commands, responses, events and other types, in the documents' order. */
  usedBy(typeName: string): readonly UsedBy[] {
    return this.users.get(typeName) ?? [];
  }

  /** A link of the documents, resolved within the site (from `depth`), or undefined when it is not one of theirs. */
  resolver(doc: DocKind, depth: number): (href: string) => string | undefined {
    return (href) => {
      const m = /^(?:\.\/)?(?:(COMMANDS|TYPES|EVENTS)\.md)?#([^#\s]+)$/.exec(href);
      if (!m) return undefined;
      const target = this.byAnchor[(m[1] as DocKind | undefined) ?? doc].get(m[2]!);
      return target === undefined ? undefined : hrefFrom(depth, target);
    };
  }

  /** A type expression as HTML, each known type a link to its entry. */
  typeHtml(t: TypeExpr, depth: number): string {
    switch (t.kind) {
      case 'primitive':
        return escapeHtml(t.name);
      case 'ref':
        return this.types.has(t.name) ? `<a href="${escapeHtml(hrefFrom(depth, typePath(t.name)))}">${escapeHtml(t.name)}</a>` : escapeHtml(t.name);
      case 'list':
        return `[${this.typeHtml(t.element, depth)}]`;
      case 'optional':
        return `${this.typeHtml(t.inner, depth)}?`;
      case 'map':
        return `{${this.typeHtml(t.key, depth)} : ${this.typeHtml(t.value, depth)}}`;
      case 'literal':
        return escapeHtml(JSON.stringify(t.value));
    }
  }
}

function refNames(t: TypeExpr, out: Set<string>): void {
  if (t.kind === 'ref') out.add(t.name);
  else if (t.kind === 'list') refNames(t.element, out);
  else if (t.kind === 'optional') refNames(t.inner, out);
  else if (t.kind === 'map') {
    refNames(t.key, out);
    refNames(t.value, out);
  }
}
