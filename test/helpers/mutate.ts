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

const RANDOM_TEXT = ['\u0000', '\uFFFD', '*/', '${', '{{', '}}', '"', "'", '\\', '<', '>', '[', ']', '|', '`', '\t', ' ', '-', ':', '?', '日本', '\u202E'];

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
