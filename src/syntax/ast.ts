/**
 * The command-string syntax language.
 *
 * `RawNode` is what the text says; `SyntaxNode` is the same tree bound to the owner's parameters (or a type's
 * fields), which is what renderers and builders consume. Offsets are 0-based into the syntax line.
 *
 * | text                         | raw                      | bound                                   |
 * |------------------------------|--------------------------|-----------------------------------------|
 * | `/_send `                    | text                     | text                                    |
 * | `<p>` `<str(p)>` `<json(p)>` | param (plain, str, json) | param                                   |
 * | `<xs[0]>[,<xs[1]>...]`       | join                     | join                                    |
 * | `on\|off`, ` name=on\|off`   | alternatives (+ label)   | bool                                    |
 * | `a\|b\|c`                    | alternatives             | enum (the value itself) or valueMap     |
 * | `[ ... ]`                    | optional                 | optional (present when its param is set)|
 * | `[ name=on]`, `[ name=off]`  | optional of text         | flag                                    |
 */

export type ParamForm = 'plain' | 'str' | 'json';

export type RawNode =
  | { kind: 'seq'; items: RawNode[]; offset: number }
  | { kind: 'text'; value: string; offset: number }
  | { kind: 'param'; name: string; form: ParamForm; offset: number }
  | { kind: 'join'; name: string; separator: string; offset: number }
  /** `a|b|c`; `label` is a preceding ` name=` that belongs to an on/off choice. */
  | { kind: 'alternatives'; options: string[]; label: string; offset: number }
  | { kind: 'optional'; body: RawNode; offset: number };

export type SyntaxNode =
  | { kind: 'seq'; items: SyntaxNode[] }
  | { kind: 'text'; value: string }
  | { kind: 'param'; name: string; form: ParamForm }
  | { kind: 'join'; name: string; separator: string }
  /** `on|off` for a bool; `label` (e.g. ` main=`) is written before it. */
  | { kind: 'bool'; name: string; label: string }
  /** `[ live=on]`: `text` is written when the bool equals `when`. */
  | { kind: 'flag'; name: string; text: string; when: boolean }
  /** `[ ... ]`: `body` is written when the optional parameter `name` is present. */
  | { kind: 'optional'; name: string; body: SyntaxNode }
  /** `a|b|c`: the enum parameter's value, written as it is. */
  | { kind: 'enum'; name: string; values: string[] }
  /** `@|#|*|`: each enum value written as its own text; any other value as `fallback`. */
  | { kind: 'valueMap'; name: string; cases: { value: string; text: string }[]; fallback: string }
  /** Parts that exist only for some members of a union: written as '' when the tag is one of `absent`. */
  | { kind: 'tagGuard'; name: string; absent: string[]; body: SyntaxNode };

/** Every parameter name a bound syntax tree uses. */
export function paramsUsed(node: SyntaxNode, out = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'seq':
      node.items.forEach((n) => paramsUsed(n, out));
      break;
    case 'text':
      break;
    case 'optional':
    case 'tagGuard':
      out.add(node.name);
      paramsUsed(node.body, out);
      break;
    default:
      out.add(node.name);
  }
  return out;
}

/** True when the syntax has no parameter at all (the command string is a constant). */
export function isConstant(node: SyntaxNode): boolean {
  return paramsUsed(node).size === 0;
}

/** Writes a bound tree back as syntax text (the inverse of parsing; used to show syntax changes). */
export function formatSyntax(node: SyntaxNode): string {
  switch (node.kind) {
    case 'seq':
      return node.items.map(formatSyntax).join('');
    case 'text':
      return node.value;
    case 'param':
      return node.form === 'plain' ? `<${node.name}>` : `<${node.form}(${node.name})>`;
    case 'join':
      return `<${node.name}[0]>[${node.separator}<${node.name}[1]>...]`;
    case 'bool':
      return `${node.label}on|off`;
    case 'flag':
      return `[${node.text}]`;
    case 'optional':
      return `[${formatSyntax(node.body)}]`;
    case 'enum':
      return node.values.join('|');
    case 'valueMap':
      return [...node.cases.map((c) => c.text), node.fallback].join('|');
    case 'tagGuard':
      return formatSyntax(node.body);
  }
}

/** Parameters the syntax uses outside any `[...]` (they must be present for the string to be complete). */
export function paramsUsedOutsideOptional(node: SyntaxNode, out = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'seq':
      node.items.forEach((n) => paramsUsedOutsideOptional(n, out));
      break;
    case 'text':
    case 'optional':
      break;
    case 'tagGuard':
      paramsUsedOutsideOptional(node.body, out);
      break;
    default:
      out.add(node.name);
  }
  return out;
}

/** Names of list parameters joined by the syntax (`<xs[0]>[,<xs[1]>...]`), which must not be empty. */
export function joinedParams(node: SyntaxNode, out: string[] = []): string[] {
  if (node.kind === 'join') out.push(node.name);
  else if (node.kind === 'seq') node.items.forEach((n) => joinedParams(n, out));
  else if (node.kind === 'optional' || node.kind === 'tagGuard') joinedParams(node.body, out);
  return out;
}

/**
 * Parameters a command's syntax never writes (upstream's `APIConnect.incognito`): a string read back cannot
 * give them, so the parse result's type has them optional.
 */
export function uncarriedParams(node: SyntaxNode | undefined, params: readonly { name: string }[]): string[] {
  if (!node) return [];
  const used = paramsUsed(node);
  return params.filter((p) => !used.has(p.name)).map((p) => p.name);
}
