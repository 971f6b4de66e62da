/** Syntax compared by shape: enum choices by parameter name, parts that write given parameters left out. */
import type { SyntaxNode } from '../syntax/ast.js';
import { formatSyntax } from '../syntax/ast.js';

/** The syntax with enum choices written by parameter name: their values are compared as enum changes. */
export function syntaxShape(node: SyntaxNode | undefined, text: string): string {
  if (!node) return text;
  const walk = (n: SyntaxNode): SyntaxNode => {
    switch (n.kind) {
      case 'seq':
        return { kind: 'seq', items: n.items.map(walk) };
      case 'enum':
        return { kind: 'text', value: `<${n.name}: one of its values>` };
      case 'valueMap':
        // New values with their own text are enum changes; the texts of existing values are compared apart.
        return { kind: 'text', value: `<${n.name}: its value's text>` };
      case 'optional':
      case 'tagGuard':
        return { ...n, body: walk(n.body) };
      default:
        return n;
    }
  };
  return formatSyntax(walk(node));
}

/** The syntax with the parts that write `names` left out, and spaces collapsed: what remains when they go. */
export function syntaxWithout(node: SyntaxNode | undefined, text: string, names: ReadonlySet<string>): string {
  if (!node) return text;
  const erase = (n: SyntaxNode): SyntaxNode | undefined => {
    switch (n.kind) {
      case 'seq': {
        const items = n.items.map(erase).filter((x): x is SyntaxNode => x !== undefined);
        return { kind: 'seq', items };
      }
      case 'text':
        return n;
      case 'optional':
      case 'tagGuard': {
        if (names.has(n.name)) return undefined;
        const body = erase(n.body);
        return body ? { ...n, body } : undefined;
      }
      default:
        return names.has(n.name) ? undefined : n;
    }
  };
  const erased = erase(node);
  return syntaxShape(erased, '').replace(/ {2,}/g, ' ').trim();
}

/** True when a value both enum syntaxes map is written differently. */
export function valueTextsChanged(a: SyntaxNode | undefined, b: SyntaxNode | undefined): boolean {
  if (a?.kind !== 'valueMap' || b?.kind !== 'valueMap') return false;
  const texts = new Map(b.cases.map((c) => [c.value, c.text]));
  return a.cases.some((c) => texts.has(c.value) && texts.get(c.value) !== c.text) || a.fallback !== b.fallback;
}
