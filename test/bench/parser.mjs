// The command parsers' speed against the JSON parser of their language: parseCommand(text) divided by
// JSON.parse(payload) (TypeScript) and parse_command(text) by json.loads(payload) (Python), for three shapes of
// command string at 1k, 10k, 100k and 1M characters, runs interleaved, min and median; the growth exponent of
// parseCommand between the two largest sizes; Python's time over TypeScript's for the same string.
//
// Standalone: node test/bench/parser.mjs [SPEC_DIR]   (default: the latest era of ../shared/corpus)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateAndCompile } from './generated.mjs';

const SIZES = [1_000, 10_000, 100_000, 1_000_000];

/** The command strings of one size: the JSON payload that each carries is what JSON.parse is timed on. */
export function parserCases(size) {
  const longMessage = JSON.stringify([{ msgContent: { type: 'text', text: 'x y '.repeat(Math.max(1, Math.floor((size - 60) / 4))) }, mentions: {} }]);
  const short = (i) => ({ msgContent: { type: 'text', text: `hi ${i}` }, mentions: {} });
  const many = [];
  for (let i = 0, n = 2; n < size - 30; i++) {
    const s = JSON.stringify(short(i));
    many.push(s);
    n += s.length + 1;
  }
  const manyMessages = `[${many.join(',')}]`;
  return [
    { shape: 'long message', text: `/_send @5 json ${longMessage}`, payload: longMessage },
    { shape: 'many short messages', text: `/_send #5 live=on json ${manyMessages}`, payload: manyMessages },
    { shape: 'free text before JSON', text: `/_service_response 1 request-7 ${longMessage}`, payload: longMessage },
  ];
}

const PY_BENCH = String.raw`
import json, sys, time
sys.path.insert(0, sys.argv[1])
from simplex_api.parse import parse_command
cases = json.load(open(sys.argv[2], encoding="utf-8"))
rounds = int(sys.argv[3])
out = []
for c in cases:
    text, payload, reps = c["text"], c["payload"], c["reps"]
    assert parse_command(text)["command"]
    parse_t, json_t = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(reps):
            json.loads(payload)
        json_t.append((time.perf_counter() - t) / reps * 1000)
        t = time.perf_counter()
        for _ in range(reps):
            parse_command(text)
        parse_t.append((time.perf_counter() - t) / reps * 1000)
    out.append({"parseMs": parse_t, "jsonMs": json_t})
print(json.dumps(out))
`;

const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2 };
};
const ratioOf = (a, b) => ({ min: stat(a).min / stat(b).min, median: stat(a).median / stat(b).median });
const round = (x, d = 3) => +x.toFixed(d);

export async function measureParser({ root, specDir, tmp, rounds }) {
  const out = path.join(tmp, 'parser-out');
  const js = generateAndCompile({ root, specDir, out, targets: 'typescript,python', files: ['types', 'commands', 'parse'] });
  const { parseCommand } = await import(pathToFileURL(path.join(js, 'parse.js')).href);

  // At least 20 calls a round even at 1M characters: fewer let one collection of the garbage decide the round.
  const cases = SIZES.flatMap((size) => parserCases(size).map((c) => ({ ...c, size, reps: Math.max(20, Math.round(2_000_000 / size)) })));
  const results = [];
  for (const c of cases) {
    if (!parseCommand(c.text).command) throw new Error(`not read: ${c.shape}`);
    const parseMs = [];
    const jsonMs = [];
    // Warm up, then interleave: JSON.parse alone, then parseCommand, in every round.
    for (let i = 0; i < c.reps; i++) parseCommand(c.text), JSON.parse(c.payload);
    for (let k = 0; k < rounds; k++) {
      let t = performance.now();
      for (let i = 0; i < c.reps; i++) JSON.parse(c.payload);
      jsonMs.push((performance.now() - t) / c.reps);
      t = performance.now();
      for (let i = 0; i < c.reps; i++) parseCommand(c.text);
      parseMs.push((performance.now() - t) / c.reps);
    }
    results.push({ shape: c.shape, size: c.text.length, ts: { parseMs, jsonMs } });
  }
  const casesFile = path.join(tmp, 'parser-cases.json');
  writeFileSync(casesFile, JSON.stringify(cases.map((c) => ({ text: c.text, payload: c.payload, reps: Math.max(10, Math.round(c.reps / 4)) }))));
  const py = spawnSync('python3', ['-c', PY_BENCH, path.join(out, 'python'), casesFile, String(rounds)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const python = py.status === 0 ? JSON.parse(py.stdout) : null;
  if (!python) process.stderr.write(`  (python3 parser bench did not run: ${py.stderr.trim().split('\n').pop()})\n`);

  const rows = results.map((x, i) => {
    const row = { shape: x.shape, chars: x.size, ts: { parseMs: stat(x.ts.parseMs), jsonMs: stat(x.ts.jsonMs), ratio: ratioOf(x.ts.parseMs, x.ts.jsonMs) } };
    if (python) {
      const p = python[i];
      row.python = { parseMs: stat(p.parseMs), jsonMs: stat(p.jsonMs), ratio: ratioOf(p.parseMs, p.jsonMs) };
      row.pythonOverTs = ratioOf(p.parseMs, x.ts.parseMs);
    }
    return row;
  });
  // The growth of each parser between the two largest sizes, and that of the JSON parser it hands the payload to
  // (which no command parser can grow slower than).
  const exponents = [...new Set(rows.map((x) => x.shape))].map((shape) => {
    const [a, b] = rows.filter((x) => x.shape === shape).slice(-2);
    const k = (x, y) => Math.log(y / x) / Math.log(b.chars / a.chars);
    return {
      shape,
      ts: k(a.ts.parseMs.median, b.ts.parseMs.median),
      tsJson: k(a.ts.jsonMs.median, b.ts.jsonMs.median),
      python: python ? k(a.python.parseMs.median, b.python.parseMs.median) : null,
      pythonJson: python ? k(a.python.jsonMs.median, b.python.jsonMs.median) : null,
    };
  });
  return {
    rows: rows.map((x) => ({
      shape: x.shape,
      chars: x.chars,
      tsRatio: { min: round(x.ts.ratio.min, 2), median: round(x.ts.ratio.median, 2) },
      tsParseMs: round(x.ts.parseMs.median, 4),
      pythonRatio: x.python ? { min: round(x.python.ratio.min, 2), median: round(x.python.ratio.median, 2) } : null,
      pythonParseMs: x.python ? round(x.python.parseMs.median, 4) : null,
      pythonOverTs: x.pythonOverTs ? { min: round(x.pythonOverTs.min, 2), median: round(x.pythonOverTs.median, 2) } : null,
    })),
    exponents: exponents.map((e) => ({ shape: e.shape, ts: round(e.ts, 3), tsJson: round(e.tsJson, 3), python: e.python === null ? null : round(e.python, 3), pythonJson: e.pythonJson === null ? null : round(e.pythonJson, 3) })),
  };
}

export function parserTable(p) {
  return (
    `| shape | chars | TS parse ms | TS × JSON.parse (min / median) | Python parse ms | Python × json.loads (min / median) | Python ÷ TS (median) |\n|---|---|---|---|---|---|---|\n` +
    p.rows
      .map((x) => `| ${x.shape} | ${x.chars} | ${x.tsParseMs} | ${x.tsRatio.min} / ${x.tsRatio.median} | ${x.pythonParseMs ?? '-'} | ${x.pythonRatio ? `${x.pythonRatio.min} / ${x.pythonRatio.median}` : '-'} | ${x.pythonOverTs?.median ?? '-'} |`)
      .join('\n') +
    `\n\ngrowth exponent 100k → 1M (parser, and the JSON parser alone): ${p.exponents.map((e) => `${e.shape} TS ${e.ts} (JSON.parse ${e.tsJson})${e.python === null ? '' : `, Python ${e.python} (json.loads ${e.pythonJson})`}`).join('; ')}\n`
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sac-parser-bench-'));
  let specDir = process.argv[2];
  if (!specDir) {
    specDir = path.join(tmp, 'spec');
    mkdirSync(specDir);
    const corpus = path.resolve(root, '../shared/corpus');
    const latest = { COMMANDS: 'simplex-chat__simplex-chat@03c8bf5add', TYPES: 'simplex-chat__simplex-chat@03c8bf5add', EVENTS: 'simplex-chat__simplex-chat@088a33e09c' };
    for (const [k, d] of Object.entries(latest)) writeFileSync(path.join(specDir, `${k}.md`), readFileSync(path.join(corpus, d, `${k}.md`)));
  }
  const p = await measureParser({ root, specDir, tmp, rounds: 9 });
  process.stdout.write(parserTable(p));
  rmSync(tmp, { recursive: true, force: true });
}
