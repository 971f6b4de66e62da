/**
 * A small JSON reader that remembers where each value starts, so that configuration errors can say
 * `file:line:column` for the key at fault. It accepts exactly JSON (RFC 8259), in time linear in the text, and
 * builds objects without a prototype: a key such as `__proto__` or `constructor` is data like any other.
 */

export interface JsonPosition {
  line: number;
  column: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: JsonPosition,
  ) {
    super(message);
  }
}

const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/** Parses `text`; `positions` maps a path such as `$.targets[1]` to where its value (or key) starts. */
export function parseJsonWithPositions(text: string): { value: unknown; positions: Map<string, JsonPosition> } {
  const positions = new Map<string, JsonPosition>();
  // Line starts, found once: a position is a binary search, not a scan from the start of the text.
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lineStarts.push(k + 1);
  let i = 0;
  const pos = (at = i): JsonPosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - lineStarts[lo]! + 1 };
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at ${i < text.length ? JSON.stringify(text[i]) : 'end of file'}`, pos());
  };
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const token = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };
  const string = (): string => {
    const m = token(STRING);
    if (m === undefined) return fail('expected a valid string');
    return JSON.parse(m) as string;
  };
  const value = (path: string, depth: number): unknown => {
    if (depth > 64) fail('nesting too deep');
    ws();
    if (!positions.has(path)) positions.set(path, pos());
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a quoted key');
        const keyAt = i;
        const key = string();
        const child = `${path}.${key}`;
        positions.set(child, pos(keyAt));
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        obj[key] = value(child, depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(`${path}[${arr.length}]`, depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    const m = token(LITERAL);
    if (m === undefined) return fail('expected a JSON value');
    return JSON.parse(m);
  };
  const result = value('$', 0);
  ws();
  if (i < text.length) fail('expected end of file');
  return { value: result, positions };
}
