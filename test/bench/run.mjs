#!/usr/bin/env node
/**
 * npm run bench [-- --json PATH] [--quick]
 *
 * Measures, on this machine, in one run: (a) the floor: a bare Node process that reads the latest era's three
 * documents and parses them with remark-parse; (b) a cold `generate` of every target; (c) a cold `check` with
 * nothing changed; (d) a regeneration inside `generate --watch` after a one-line change; and the scaling of
 * `generate` over synthetic specs with 1x, 4x, 16x and 64x the commands, types and events.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSynthetic } from './synthetic.mjs';
import { measureRuntime } from './runtime.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const BIN = path.join(ROOT, 'bin/simplex-api-codegen.js');
const args = process.argv.slice(2);
const jsonPath = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const quick = args.includes('--quick');
const REPS = quick ? 3 : 7;

const LATEST = {
  COMMANDS: 'simplex-chat__simplex-chat@03c8bf5add/COMMANDS.md',
  TYPES: 'simplex-chat__simplex-chat@03c8bf5add/TYPES.md',
  EVENTS: 'simplex-chat__simplex-chat@088a33e09c/EVENTS.md',
};

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sac-bench-'));
const docs = Object.fromEntries(Object.entries(LATEST).map(([k, f]) => [k, readFileSync(path.join(CORPUS, f), 'utf8')]));
const spec = path.join(tmp, 'spec');
mkdirSync(spec);
for (const [k, t] of Object.entries(docs)) writeFileSync(path.join(spec, `${k}.md`), t);

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], runs: s.length };
};

function timeProcess(argv, options = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: ROOT, ...options });
  const ms = performance.now() - t0;
  if (r.status !== 0 && !options.allowFail) throw new Error(`${argv.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return ms;
}

function measure(label, fn) {
  fn(); // one warm-up run: file-system caches, not the process under test
  const times = [];
  for (let i = 0; i < REPS; i++) times.push(fn(i));
  const s = stats(times);
  process.stderr.write(`  ${label}: min ${s.min.toFixed(0)} ms, median ${s.median.toFixed(0)} ms\n`);
  return s;
}

process.stderr.write(`benchmark on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${REPS} runs each\n`);
const floor = measure('floor (node + remark-parse of the 3 documents)', () => timeProcess([path.join(ROOT, 'test/bench/floor.mjs'), spec]));
const generate = measure('generate, cold process, every target', (i) => timeProcess([BIN, 'generate', '--spec', spec, '--out', path.join(tmp, `out-${i ?? 'w'}-${Math.random()}`)]));
const outDir = path.join(tmp, 'out-check');
timeProcess([BIN, 'generate', '--spec', spec, '--out', outDir]);
const check = measure('check, cold process, nothing changed', () => timeProcess([BIN, 'check', '--spec', spec, '--out', outDir]));

async function watchRegeneration() {
  const out = path.join(tmp, 'out-watch');
  const child = spawn(process.execPath, [BIN, 'generate', '--watch', '--spec', spec, '--out', out], { cwd: ROOT });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const waitFor = (re, from) =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = () => {
        const m = re.exec(stderr.slice(from));
        if (m) return resolve(m);
        if (Date.now() - started > 20000) return reject(new Error(`watch: timed out; output:\n${stderr}`));
        setTimeout(poll, 5);
      };
      poll();
    });
  await waitFor(/watching/, 0);
  const file = path.join(spec, 'COMMANDS.md');
  const original = readFileSync(file, 'utf8');
  const times = [];
  const WARMUP = 5; // a long-running watcher is warm: the first regenerations still compile and fill caches
  for (let i = 0; i < WARMUP + REPS * 2; i++) {
    const from = stderr.length;
    writeFileSync(file, original.replace('Create bot address.', `Create bot address (${i}).`));
    const m = await waitFor(/changed COMMANDS\.md: .* in (\d+) ms/, from);
    if (i >= WARMUP) times.push(Number(m[1]));
  }
  writeFileSync(file, original);
  child.kill('SIGINT');
  const s = stats(times);
  process.stderr.write(`  regeneration in --watch after a one-line change: min ${s.min} ms, median ${s.median} ms\n`);
  return s;
}
const watch = await watchRegeneration();

process.stderr.write('scaling (cold generate of synthetic specs):\n');
const scaling = [];
for (const k of quick ? [1, 4, 16] : [1, 4, 16, 64]) {
  const dir = path.join(tmp, `synthetic-${k}`);
  const size = writeSynthetic(dir, docs, k);
  const bytes = Object.keys(LATEST).reduce((n, kind) => n + readFileSync(path.join(dir, `${kind}.md`)).length, 0);
  const runs = [];
  for (let i = 0; i < (k >= 16 ? 2 : 3); i++) {
    const out = path.join(tmp, `synthetic-out-${k}-${i}`);
    const r = spawnSync(process.execPath, ['--max-old-space-size=8192', path.join(ROOT, 'test/bench/child-generate.mjs'), dir, out], { encoding: 'utf8', cwd: ROOT });
    if (r.status !== 0) throw new Error(`synthetic ${k}x failed:\n${r.stderr}`);
    runs.push(JSON.parse(r.stdout));
    rmSync(out, { recursive: true, force: true });
  }
  const best = runs.reduce((a, b) => (a.ms < b.ms ? a : b));
  const row = { scale: k, ...size, inputBytes: bytes, ms: Math.round(best.ms), peakRssMiB: Math.round(Math.max(...runs.map((r) => r.maxRssKiB)) / 1024) };
  scaling.push(row);
  process.stderr.write(`  ${k}x: ${size.commands} commands, ${size.types} types, ${(bytes / 1e6).toFixed(2)} MB in ${row.ms} ms, peak ${row.peakRssMiB} MiB\n`);
}
// Growth between the two largest sizes: an exponent of 1 is linear.
const [a, b] = scaling.slice(-2);
const exponent = Math.log(b.ms / a.ms) / Math.log(b.scale / a.scale);
const linear = exponent <= 1.15;
process.stderr.write(`  growth ${a.scale}x → ${b.scale}x: exponent ${exponent.toFixed(2)} (${linear ? 'linear' : 'faster than linear'})\n`);

process.stderr.write('runtime layer (generated TypeScript of the latest era):\n');
const runtime = await measureRuntime({ root: ROOT, specDir: spec, tmp, rounds: REPS });
process.stderr.write(
  `  decoding ${runtime.decode.responses} newChatItems responses (${runtime.decode.avgBytes} bytes each): ${runtime.decode.ratioToJsonParse.median.toFixed(2)} × JSON.parse of the same text (best ${runtime.decode.ratioToJsonParse.best.toFixed(2)})\n` +
    `  parseCommand: ${Math.round(runtime.parser.stringsPerSecond.median)} strings per second (best ${Math.round(runtime.parser.stringsPerSecond.best)})\n`,
);

const ratio = (s) => s.median / floor.median;
const result = {
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
  floorMs: floor,
  generateMs: { ...generate, ratioToFloor: +ratio(generate).toFixed(2) },
  checkMs: { ...check, ratioToFloor: +ratio(check).toFixed(2) },
  watchRegenerationMs: { ...watch, ratioToFloor: +ratio(watch).toFixed(3) },
  scaling: { sizes: scaling, exponent: +exponent.toFixed(2), linear },
  runtime,
  targets: {
    generateAtMost3xFloor: ratio(generate) <= 3,
    checkAtMost1_5xFloor: ratio(check) <= 1.5,
    watchUnder100ms: watch.median < 100,
    scalingLinear: linear,
    decodeAtMost2xJsonParse: runtime.decode.ratioToJsonParse.median <= 2,
    parser100kPerSecond: runtime.parser.stringsPerSecond.median >= 100_000,
  },
};
process.stdout.write(
  `\n| measure | min ms | median ms | × floor |\n|---|---|---|---|\n` +
    `| floor | ${floor.min.toFixed(0)} | ${floor.median.toFixed(0)} | 1.00 |\n` +
    `| generate (cold) | ${generate.min.toFixed(0)} | ${generate.median.toFixed(0)} | ${ratio(generate).toFixed(2)} |\n` +
    `| check (cold, nothing changed) | ${check.min.toFixed(0)} | ${check.median.toFixed(0)} | ${ratio(check).toFixed(2)} |\n` +
    `| watch regeneration | ${watch.min} | ${watch.median} | ${ratio(watch).toFixed(3)} |\n` +
    `\ntargets: ${Object.entries(result.targets).map(([k, v]) => `${k} ${v ? 'met' : 'NOT met'}`).join(', ')}\n`,
);
if (jsonPath) writeFileSync(path.resolve(process.cwd(), jsonPath), JSON.stringify(result, null, 2) + '\n');
rmSync(tmp, { recursive: true, force: true });
