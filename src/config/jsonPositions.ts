/**
 * A small JSON reader that remembers where each value starts, so that configuration errors can say
 * `file:line:column` for the key at fault. It accepts exactly JSON (RFC 8259).
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

/** Parses `text`; `positions` maps a path such as `$.targets[1]` to where its value (or key) starts. */
export function parseJsonWithPositions(text: string): { value: unknown; positions: Map<string, JsonPosition> } {
  const positions = new Map<string, JsonPosition>();
  let i = 0;
  const pos = (at = i): JsonPosition => {
    const before = text.slice(0, at).split('\n');
    return { line: before.length, column: before[before.length - 1]!.length + 1 };
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at ${i < text.length ? JSON.stringify(text[i]) : 'end of file'}`, pos());
  };
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const string = (): string => {
    const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(i));
    if (!m) fail('expected a valid string');
    i += m![0].length;
    return JSON.parse(m![0]) as string;
  };
  const value = (path: string, depth: number): unknown => {
    if (depth > 64) fail('nesting too deep');
    ws();
    if (!positions.has(path)) positions.set(path, pos());
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
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
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (!m) fail('expected a JSON value');
    i += m![0].length;
    return JSON.parse(m![0]);
  };
  const result = value('$', 0);
  ws();
  if (i < text.length) fail('expected end of file');
  return { value: result, positions };
}
