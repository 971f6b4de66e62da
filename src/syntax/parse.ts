/** Parses a syntax line into a `RawNode` tree, or says at which offset it stops making sense. */
import type { ParamForm, RawNode } from './ast.js';

export interface SyntaxParseError {
  offset: number;
  message: string;
  expected: string;
}

export type RawParseResult = { ok: true; node: RawNode } | { ok: false; error: SyntaxParseError };

const MAX_DEPTH = 16;
const NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
/** Characters that may form an alternative such as `internalMark` or `@`. */
const ALT_CHAR = /[^\s=<>[\]()|]/;
const LABEL = / [a-z][a-z0-9_]*=$/;

export function parseSyntaxText(text: string): RawParseResult {
  let i = 0;
  const fail = (message: string, expected: string, at = i): never => {
    throw { offset: at, message, expected } satisfies SyntaxParseError;
  };

  const seq = (depth: number, closer: string | undefined): RawNode => {
    if (depth > MAX_DEPTH) fail(`optional parts nest deeper than ${MAX_DEPTH} levels`, 'fewer nested "[...]"');
    const start = i;
    const items: RawNode[] = [];
    let textStart = i;
    let buf = '';
    const flush = () => {
      if (buf) items.push(...splitAlternatives(buf, textStart));
      buf = '';
    };
    while (i < text.length) {
      const c = text[i]!;
      if (c === closer) break;
      if (c === ']') fail('"]" without a matching "["', 'text, "<param>" or "[optional part]"');
      if (c === '<') {
        flush();
        items.push(param());
        textStart = i;
      } else if (c === '[') {
        flush();
        const at = i++;
        const body = seq(depth + 1, ']');
        if (text[i] !== ']') fail('"[" is never closed', '"]" closing the optional part', at);
        i++;
        items.push({ kind: 'optional', body, offset: at });
        textStart = i;
      } else {
        if (!buf) textStart = i;
        buf += c;
        i++;
      }
    }
    flush();
    return items.length === 1 ? items[0]! : { kind: 'seq', items, offset: start };
  };

  const param = (): RawNode => {
    const at = i;
    const close = text.indexOf('>', i);
    if (close < 0) fail('"<" is never closed', '">" closing the parameter', at);
    const inner = text.slice(i + 1, close);
    i = close + 1;
    let m: RegExpExecArray | null;
    if ((m = /^(str|json)\((.*)\)$/.exec(inner))) {
      if (!NAME.test(m[2]!)) fail(`"${m[2]}" is not a parameter name`, 'a parameter name such as "chatRef"', at + 1);
      return { kind: 'param', name: m[2]!, form: m[1] as ParamForm, offset: at };
    }
    if ((m = /^(.*)\[0\]$/.exec(inner))) {
      const name = m[1]!;
      if (!NAME.test(name)) fail(`"${name}" is not a parameter name`, 'a parameter name', at + 1);
      // `<xs[0]>[,<xs[1]>...]`: a non-empty list joined by the separator.
      const rest = new RegExp(`^\\[(.)<${escapeRegExp(name)}\\[1\\]>\\.\\.\\.\\]`).exec(text.slice(i));
      if (!rest) fail(`list parameter "${name}" is not followed by its repetition`, `"[,<${name}[1]>...]"`);
      i += rest![0].length;
      return { kind: 'join', name, separator: rest![1]!, offset: at };
    }
    if (!NAME.test(inner))
      fail(`"<${inner}>" is not a parameter`, '"<name>", "<str(name)>", "<json(name)>" or "<name[0]>[,<name[1]>...]"', at);
    return { kind: 'param', name: inner, form: 'plain', offset: at };
  };

  try {
    const node = seq(0, undefined);
    return { ok: true, node };
  } catch (e) {
    if (e && typeof e === 'object' && 'offset' in e) return { ok: false, error: e as SyntaxParseError };
    throw e;
  }
}

/**
 * Splits a run of literal text into text and `a|b|c` alternatives. An alternative is a maximal run of word
 * characters around `|` (empty alternatives allowed, as in `@|#|*|`); a ` name=` right before `on|off` is the
 * on/off choice's label.
 */
function splitAlternatives(buf: string, start: number): RawNode[] {
  const out: RawNode[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const bar = buf.indexOf('|', pos);
    if (bar < 0) {
      out.push({ kind: 'text', value: buf.slice(pos), offset: start + pos });
      break;
    }
    let from = bar;
    while (from > pos && ALT_CHAR.test(buf[from - 1]!)) from--;
    let to = bar;
    while (to < buf.length && (ALT_CHAR.test(buf[to]!) || buf[to] === '|')) to++;
    const options = buf.slice(from, to).split('|');
    let before = buf.slice(pos, from);
    let label = '';
    const lm = options.length === 2 && options[0] === 'on' && options[1] === 'off' ? LABEL.exec(before) : null;
    if (lm) {
      label = lm[0];
      before = before.slice(0, -label.length);
    }
    if (before) out.push({ kind: 'text', value: before, offset: start + pos });
    out.push({ kind: 'alternatives', options, label, offset: start + from - label.length });
    pos = to;
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
