/** Seeded mutations of documents, for the fuzz tests: the same seed gives the same documents everywhere. */

/** mulberry32: small, fast and good enough to pick mutations reproducibly. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Mutation = (lines: string[], random: () => number) => string[];

const pick = <T>(xs: readonly T[], random: () => number): T => xs[Math.floor(random() * xs.length)]!;
const at = (lines: string[], random: () => number) => Math.floor(random() * Math.max(1, lines.length));

const RANDOM_TEXT = ['\u0000', '\uFFFD', '*/', '${', '{{', '}}', '"', "'", '\\', '<', '>', '[', ']', '|', '`', '\t', ' ', '-', ':', '?', '日本', '\u202E', '\u001b[31m', '\u200b', '\u2066', '\u0085', '&#10;', '&#x202E;', '&#0;', '&amp;'];

/** Names the generated modules import, call or inherit: each must still give code that compiles and runs. */
const DANGEROUS = ['T', 'R', 'CC', 'CR', 'json', '_json', 'Union', 'Literal', 'Any', 'TypedDict', 'str', 'constructor', 'toString', '__proto__', 'JSON', 'Object', 'ChatEvent', 'commands', 'self', 'class'];

/** Character references and markdown that would change a name if it were decoded. */
const NAME_INJECTIONS = ['&#10;&#10;---&#10;&#10;### Injected', '&#10;# Evil', '&#x2028;', '&#x202E;', '&#0;', '_n_', '*x*', '\\_', '`c`'];

export const MUTATIONS: Record<string, Mutation> = {
  dropLine: (l, r) => l.filter((_, i) => i !== at(l, r)),
  duplicateLine: (l, r) => {
    const i = at(l, r);
    return [...l.slice(0, i + 1), l[i] ?? '', ...l.slice(i + 1)];
  },
  swapLines: (l, r) => {
    const out = [...l];
    const i = at(l, r);
    const j = at(l, r);
    [out[i], out[j]] = [out[j] ?? '', out[i] ?? ''];
    return out;
  },
  truncate: (l, r) => {
    const i = at(l, r);
    const cut = (l[i] ?? '').slice(0, Math.floor(r() * (l[i]?.length ?? 0)));
    return [...l.slice(0, i), cut];
  },
  randomBytes: (l, r) => {
    const out = [...l];
    const i = at(l, r);
    const line = out[i] ?? '';
    const k = Math.floor(r() * (line.length + 1));
    out[i] = line.slice(0, k) + Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(RANDOM_TEXT, r)).join('') + line.slice(k);
    return out;
  },
  hugeLine: (l, r) => {
    const out = [...l];
    out.splice(at(l, r), 0, pick(['x', 'a b ', '[', '<p>', '|'], r).repeat(2_000 + Math.floor(r() * 12_000)));
    return out;
  },
  nestedTypeBrackets: (l, r) => {
    const out = [...l];
    const depth = 10 + Math.floor(r() * 300);
    out.splice(at(l, r), 0, `- deep: ${'['.repeat(depth)}int64${']'.repeat(r() < 0.5 ? depth : depth - 1)}?`);
    return out;
  },
  nestedSyntaxBrackets: (l, r) => {
    const i = l.findIndex((x) => x.startsWith('/') || x.startsWith('<'));
    if (i < 0) return l;
    const depth = 5 + Math.floor(r() * 200);
    const out = [...l];
    out[i] = `${out[i]}${'['.repeat(depth)} x=<x>${']'.repeat(r() < 0.5 ? depth : depth + 1)}`;
    return out;
  },
  crlf: (l) => l.map((x) => `${x}\r`),
  /** A field whose type repeats the optional marker (`int???…`). */
  repeatedOptional: (l, r) => {
    const out = [...l];
    out.splice(at(l, r), 0, `- a: int${'?'.repeat(2 + Math.floor(r() * 6000))}`);
    return out;
  },
  /** Deep markdown nesting on one line: block quotes or list markers. */
  deepNesting: (l, r) => {
    const out = [...l];
    out.splice(at(l, r), 0, pick(['>', '> ', '- ', '* ', '1. '], r).repeat(5 + Math.floor(r() * 3000)) + 'x');
    return out;
  },
  /** Deep nesting through indentation. */
  deepIndent: (l, r) => {
    const out = [...l];
    const depth = 5 + Math.floor(r() * 60);
    out.splice(at(l, r), 0, ...Array.from({ length: depth }, (_, i) => `${' '.repeat(2 * i)}- x`));
    return out;
  },
  /** Markdown that makes remark-parse superlinear: emphasis and bracket storms, over several lines. */
  markupStorm: (l, r) => {
    const out = [...l];
    const unit = pick(['*a_', '_a*b', '[', '[a](', '[a]', '![', '[a][', '<a'], r);
    const lines = 1 + Math.floor(r() * 6);
    const width = Math.floor((200 + r() * 9_000) / unit.length);
    out.splice(at(l, r), 0, ...Array.from({ length: lines }, () => unit.repeat(width)));
    return out;
  },
  /** A heading or field name that is not plain: character references, emphasis, code, escapes. */
  injectedName: (l, r) => {
    const candidates = l.map((x, i) => ({ x, i })).filter(({ x }) => /^(#{2,3} \S|- [A-Za-z_]\w*: )/.test(x));
    if (!candidates.length) return l;
    const { x, i } = pick(candidates, r);
    const out = [...l];
    out[i] = x.startsWith('#') ? x + pick(NAME_INJECTIONS, r) : x.replace(/^- (\w+):/, (_, n: string) => `- ${n}${pick(NAME_INJECTIONS, r)}:`);
    return out;
  },
  /** A name that the generated modules already use, in a heading or a field. */
  dangerousName: (l, r) => {
    const candidates = l.map((x, i) => ({ x, i })).filter(({ x }) => /^(#{2,3} [A-Za-z_]\w*$|- [A-Za-z_]\w*: )/.test(x));
    if (!candidates.length) return l;
    const { x, i } = pick(candidates, r);
    const name = pick(DANGEROUS, r);
    const out = [...l];
    out[i] = x.startsWith('#') ? x.replace(/ \S+$/, ` ${name}`) : x.replace(/^- \w+:/, `- ${name}:`);
    return out;
  },
  /** Line endings as old Macs wrote them: CR only. */
  crOnly: (l) => [l.join('\r')],
  /** A byte order mark before the document. */
  bom: (l) => (l.length ? [`\uFEFF${l[0]}`, ...l.slice(1)] : l),
};

export function mutate(text: string, random: () => number, count: number): { text: string; applied: string[] } {
  let lines = text.split('\n');
  const names = Object.keys(MUTATIONS);
  const applied: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = pick(names, random);
    applied.push(name);
    lines = MUTATIONS[name]!(lines, random);
  }
  return { text: lines.join('\n'), applied };
}
