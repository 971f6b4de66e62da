#!/usr/bin/env node
/**
 * npm run bench [-- --json PATH] [--quick] [--rounds N]
 *
 * Every measure is a real process of the CLI, interleaved round-robin with the floor (each round runs the floor
 * and then each measure once), so that drift of the machine lands in both alike; each is reported as min and
 * median, and its ratio to the floor as min/min and median/median.
 *
 * The floor is the work the generator cannot avoid, and nothing of ours: a fresh Node process that imports unified
 * and remark-parse and parses the latest era's three documents split at their level-2/3 headings (floor.mjs).
 *
 * Measures: a cold `generate --no-cache` of every target into a new directory (nothing from this machine's caches),
 * and the same documents into a new directory with their built model in the cache; a full `check` (--no-cache) with nothing
 * changed; `check` and `generate` with nothing changed, answered from this machine's cache of full runs (warm), and
 * `check` with an empty cache (cold: the full path, which then caches); the
 * regeneration of `generate --watch` after a one-line change, from the write of the file to the printed line;
 * cold `generate` of synthetic specs 1x to 64x the latest era with the peak memory of the process, the growth
 * exponent fit between the two largest sizes; a `mock --stdio` from start to its first answer, parsing and with the
 * model from the cache; the hostile specs of hostile.mjs; the command parser (runtime.mjs, parser.mjs); the
 * decoders against JSON.parse, ajv and json.loads (decoders.mjs); the
 * mock chat core's commands per second beside a server replaying precomputed answers (mock.mjs).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSynthetic } from './synthetic.mjs';
import { measureRuntime } from './runtime.mjs';
import { measureParser, parserTable } from './parser.mjs';
import { measureMock, mockTable } from './mock.mjs';
import { measureDecoders, decodersTable } from './decoders.mjs';
import { hostileSpecs, measured } from './hostile.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const BIN = path.join(ROOT, 'bin/simplex-api-codegen.js');
const FLOOR = path.join(ROOT, 'test/bench/floor.mjs');
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const jsonPath = option('--json');
const quick = args.includes('--quick');
const ROUNDS = Math.max(7, Number(option('--rounds') ?? 9));

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
const log = (s) => process.stderr.write(s);

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, runs: s.length };
};
const ratio = (m, floor) => ({ min: m.min / floor.min, median: m.median / floor.median });

/** Wall time of one process of `argv` (under this Node), in ms; it must exit 0 (or `allowFail`). */
function timeProcess(argv, options = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: ROOT, ...options });
  const ms = performance.now() - t0;
  if (r.status !== 0 && !options.allowFail) throw new Error(`${argv.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return ms;
}

/**
 * A generate into a new directory, which is removed once timed: the 4.9 MB of a round would otherwise still be on
 * their way to the disk during the rounds after it (the kernel writes them back within 30 s), and land in their
 * times, where a user's single run pays for its own writes only.
 */
function timeInto(out, argv) {
  const ms = timeProcess(argv(out));
  rmSync(out, { recursive: true, force: true });
  return ms;
}

/**
 * Runs `rounds` rounds; each round runs the floor, then each measure once. Returns the stats of each (the floor
 * under `floor`). One round first warms the file-system caches and is not counted.
 */
function interleaved(measures, rounds) {
  const times = { floor: [], ...Object.fromEntries(Object.keys(measures).map((k) => [k, []])) };
  for (let r = -1; r < rounds; r++) {
    const floorMs = timeProcess([FLOOR, spec]);
    if (r >= 0) times.floor.push(floorMs);
    for (const [name, run] of Object.entries(measures)) {
      const ms = run(r);
      if (r >= 0) times[name].push(ms);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)]));
}

log(`benchmark on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, ${ROUNDS} interleaved rounds\n`);

// --- generate and check, interleaved with the floor ---
/** What a started mock answers before its input ends (and it exits): one command, as a bot's first. */
const MOCK_FRAME = '{"corrId":"1","cmd":"/user"}\n';
const recordedOut = path.join(tmp, 'out-recorded');
timeProcess([BIN, 'generate', '--spec', spec, '--out', recordedOut]);
const cli = interleaved(
  {
    // --no-cache: nothing from this machine's caches (neither a record of the run nor the built model).
    generateCold: (r) => timeInto(path.join(tmp, `out-cold-${r}`), (out) => [BIN, 'generate', '--no-cache', '--spec', spec, '--out', out]),
    generateModelCached: (r) => timeInto(path.join(tmp, `out-model-cached-${r}`), (out) => [BIN, 'generate', '--spec', spec, '--out', out]),
    checkFull: () => timeProcess([BIN, 'check', '--no-cache', '--spec', spec, '--out', recordedOut]),
    checkRecorded: () => timeProcess([BIN, 'check', '--spec', spec, '--out', recordedOut]),
    checkColdCache: (r) => timeProcess([BIN, 'check', '--cache-dir', path.join(tmp, `empty-cache-${r}`), '--spec', spec, '--out', recordedOut]),
    generateNothingToWrite: () => timeProcess([BIN, 'generate', '--spec', spec, '--out', recordedOut]),
    mockStartParsed: () => timeProcess([BIN, 'mock', '--stdio', '--no-cache', '--spec', spec], { input: MOCK_FRAME }),
    mockStartCached: () => timeProcess([BIN, 'mock', '--stdio', '--spec', spec], { input: MOCK_FRAME }),
  },
  ROUNDS,
);
const floor = cli.floor;
const row = (label, s, r) => `| ${label} | ${s.min.toFixed(0)} | ${s.median.toFixed(0)} | ${r ? `${r.min.toFixed(2)} / ${r.median.toFixed(2)}` : ''} |`;
log(`  floor: min ${floor.min.toFixed(0)} ms, median ${floor.median.toFixed(0)} ms\n`);
for (const [k, s] of Object.entries(cli)) if (k !== 'floor') log(`  ${k}: min ${s.min.toFixed(0)} ms, median ${s.median.toFixed(0)} ms (× floor ${ratio(s, floor).median.toFixed(2)})\n`);

// --- watch: from the write of a file to the printed line, interleaved with the floor ---
async function watchRegeneration(rounds) {
  const out = path.join(tmp, 'out-watch');
  const child = spawn(process.execPath, [BIN, 'generate', '--watch', '--spec', spec, '--out', out], { cwd: ROOT });
  let stderr = '';
  let waiter;
  child.stderr.on('data', (d) => {
    stderr += d;
    waiter?.();
  });
  // Resolves with the time the line matching `re` arrived (checked as each chunk of output arrives).
  const waitFor = (re, from) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`watch: timed out; output:\n${stderr}`)), 30000);
      const check = () => {
        if (re.test(stderr.slice(from))) {
          clearTimeout(timer);
          waiter = undefined;
          resolve(performance.now());
        }
      };
      waiter = check;
      check();
    });
  await waitFor(/watching/, 0);
  const file = path.join(spec, 'COMMANDS.md');
  const original = readFileSync(file, 'utf8');
  const times = [];
  const floorTimes = [];
  const WARMUP = 5; // a long-running watcher is warm: the first regenerations still compile and fill caches
  for (let i = 0; i < WARMUP + rounds; i++) {
    if (i >= WARMUP) floorTimes.push(timeProcess([FLOOR, spec]));
    await new Promise((r) => setTimeout(r, 50)); // let the watcher settle after the floor's run
    const from = stderr.length;
    const t0 = performance.now();
    writeFileSync(file, original.replace('Create bot address.', `Create bot address (${i}).`));
    const t1 = await waitFor(/changed COMMANDS\.md: .* in \d+ ms.*\n/, from);
    if (i >= WARMUP) times.push(t1 - t0);
  }
  writeFileSync(file, original);
  child.kill('SIGINT');
  await new Promise((r) => child.on('close', r));
  return { watch: stats(times), floor: stats(floorTimes) };
}
const watched = await watchRegeneration(ROUNDS);
log(`  watch regeneration, write to printed line: min ${watched.watch.min.toFixed(0)} ms, median ${watched.watch.median.toFixed(0)} ms\n`);

// --- peak memory of a cold generate against the floor's (each process's ru_maxrss, as /usr/bin/time reports it) ---
const peak = { floorKiB: 0, generateColdKiB: 0 };
for (let r = 0; r < 3; r++) {
  const f = measured([process.execPath, FLOOR, spec], ROOT);
  const g = measured([process.execPath, BIN, 'generate', '--no-cache', '--spec', spec, '--out', path.join(tmp, `out-peak-${r}`)], ROOT);
  if (f.code !== 0 || g.code !== 0) throw new Error(`peak memory run failed:\n${f.err}${g.err}`);
  peak.floorKiB = Math.max(peak.floorKiB, f.kib);
  peak.generateColdKiB = Math.max(peak.generateColdKiB, g.kib);
}
const peakRatio = peak.generateColdKiB / peak.floorKiB;
log(`  peak memory: floor ${Math.round(peak.floorKiB / 1024)} MiB, cold generate ${Math.round(peak.generateColdKiB / 1024)} MiB (× floor ${peakRatio.toFixed(2)}; the larger of 3 runs each)\n`);

// --- scaling: cold generate of synthetic specs (the real CLI, with its peak memory), interleaved with the floor ---
log('scaling (cold generate of synthetic specs, the real CLI):\n');
const SIZES = quick ? [1, 4, 16] : [1, 4, 16, 64];
const SCALING_ROUNDS = quick ? 3 : Math.min(ROUNDS, 7);
const synthetic = SIZES.map((k) => {
  const dir = path.join(tmp, `synthetic-${k}`);
  const size = writeSynthetic(dir, docs, k);
  const bytes = Object.keys(LATEST).reduce((n, kind) => n + readFileSync(path.join(dir, `${kind}.md`)).length, 0);
  return { k, dir, size, bytes, ms: [], peakKiB: 0 };
});
const scalingFloor = [];
for (let r = 0; r < SCALING_ROUNDS; r++) {
  scalingFloor.push(timeProcess([FLOOR, spec]));
  for (const s of synthetic) {
    const out = path.join(tmp, `synthetic-out-${s.k}-${r}`);
    const m = measured([process.execPath, BIN, 'generate', '--no-cache', '--spec', s.dir, '--out', out], ROOT);
    if (m.code !== 0) throw new Error(`synthetic ${s.k}x failed:\n${m.err}`);
    s.ms.push(m.s * 1000);
    s.peakKiB = Math.max(s.peakKiB, m.kib);
    rmSync(out, { recursive: true, force: true });
  }
}
const scaling = synthetic.map((s) => {
  const t = stats(s.ms);
  const entry = { scale: s.k, ...s.size, inputBytes: s.bytes, minMs: Math.round(t.min), medianMs: Math.round(t.median), peakRssMiB: Math.round(s.peakKiB / 1024) };
  log(`  ${s.k}x: ${s.size.commands} commands, ${s.size.types} types, ${(s.bytes / 1e6).toFixed(2)} MB: min ${entry.minMs} ms, median ${entry.medianMs} ms, peak ${entry.peakRssMiB} MiB\n`);
  return entry;
});
// Growth between the two largest sizes only (start-up dominates the small ones): an exponent of 1 is linear.
const [a, b] = scaling.slice(-2);
const exponent = Math.log(b.minMs / a.minMs) / Math.log(b.scale / a.scale);
const linear = exponent <= 1.1;
log(`  growth ${a.scale}x → ${b.scale}x: exponent ${exponent.toFixed(2)} (${linear ? 'linear' : 'faster than linear'})\n`);

// --- hostile specs: each about 1 MB, as dense as the limits allow, through the real CLI ---
log('hostile specs (generate, every target; bound 10 s and 1 GiB each):\n');
const hostile = [];
for (const h of await hostileSpecs(path.join(tmp, 'hostile'), docs)) {
  const m = measured([process.execPath, BIN, 'generate', '--no-cache', '--spec', h.dir, '--out', path.join(tmp, 'hostile-out', h.name)], ROOT);
  const entry = { name: h.name, exitCode: m.code, seconds: +m.s.toFixed(2), peakRssMiB: Math.round(m.kib / 1024) };
  hostile.push(entry);
  log(`  ${h.name}: exit ${m.code}, ${entry.seconds} s, ${entry.peakRssMiB} MiB\n`);
}
const hostileWithin = hostile.every((h) => h.seconds <= 10 && h.peakRssMiB <= 1024 && (h.exitCode === 0 || h.exitCode === 2));

// --- the runtime layer ---
log('runtime layer (generated TypeScript of the latest era):\n');
const runtime = await measureRuntime({ root: ROOT, specDir: spec, tmp, rounds: ROUNDS });
log(`  parseCommand: ${Math.round(runtime.parser.stringsPerSecond.median)} strings per second (best ${Math.round(runtime.parser.stringsPerSecond.best)})\n`);

log('decoders against their language\'s JSON parser and against ajv (latest era):\n');
const decoders = await measureDecoders({ root: ROOT, specDir: spec, tmp, rounds: ROUNDS });
log(decodersTable(decoders));

log('command parsers against their language\'s JSON parser (latest era):\n');
const parser = await measureParser({ root: ROOT, specDir: spec, tmp, rounds: ROUNDS });
log(parserTable(parser));

log('the mock chat core over WebSocket against a server replaying precomputed answers:\n');
const mock = await measureMock({ root: ROOT, specDir: spec, tmp, rounds: quick ? 1 : 3, quick });

const r = (k) => ratio(cli[k], floor);
const round3 = (x) => +x.toFixed(3);
const withRatio = (k) => ({ ...cli[k], ratioToFloor: { min: round3(r(k).min), median: round3(r(k).median) } });
const result = {
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
  rounds: ROUNDS,
  floorMs: floor,
  generateColdMs: withRatio('generateCold'),
  checkFullMs: withRatio('checkFull'),
  checkRecordedMs: withRatio('checkRecorded'),
  checkColdCacheMs: withRatio('checkColdCache'),
  generateNothingToWriteMs: withRatio('generateNothingToWrite'),
  generateModelCachedMs: withRatio('generateModelCached'),
  mockStartParsedMs: withRatio('mockStartParsed'),
  mockStartCachedMs: withRatio('mockStartCached'),
  peakMemoryMiB: { floor: Math.round(peak.floorKiB / 1024), generateCold: Math.round(peak.generateColdKiB / 1024), ratioToFloor: round3(peakRatio) },
  watchRegenerationMs: { ...watched.watch, floorMs: watched.floor },
  scaling: { sizes: scaling, exponent: round3(exponent), linear },
  hostile,
  runtime,
  decoders,
  parser,
  mock,
  targets: {
    generateColdAtMost1_5xFloor: r('generateCold').median <= 1.5,
    generateColdPeakMemoryAtMost1_5xFloor: peakRatio <= 1.5,
    checkFullAtMost2xFloor: r('checkFull').median <= 2,
    checkRecordedAtMost0_2xFloor: r('checkRecorded').median <= 0.2,
    generateNothingToWriteAtMost0_2xFloor: r('generateNothingToWrite').median <= 0.2,
    watchAtMost40ms: watched.watch.median <= 40,
    scalingExponentAtMost1: exponent <= 1,
    hostileWithin10sAnd1GiB: hostileWithin,
    decodeAtMost1_4xJsonParse: decoders.every((x) => x.decodeOverJsonParse.median <= 1.4),
    decodeNoSlowerThanAjv: decoders.every((x) => x.decodeOverAjv.median <= 1),
    pythonDecodeAtMost2xJsonLoads: decoders.every((x) => x.pythonDecodeOverJsonLoads.median <= 2),
    parser100kPerSecond: runtime.parser.stringsPerSecond.median >= 100_000,
    parserAtMost3xJsonParseTs: parser.rows.every((x) => x.tsRatio.median <= 3),
    parserAtMost10xJsonLoadsPython: parser.rows.every((x) => x.pythonRatio === null || x.pythonRatio.median <= 10),
    mockAtLeastHalfOfReplay: mock.every((x) => x.mock.median >= 0.5 * x.floor.median),
  },
};
process.stdout.write(
  `\n| measure | min ms | median ms | × floor (min / median) |\n|---|---|---|---|\n` +
    [
      row('floor: node + unified + remark-parse of the 3 documents, split at level-2/3 headings', floor),
      row('`generate`, cold, every target', cli.generateCold, r('generateCold')),
      row('`check --no-cache`, nothing changed (full)', cli.checkFull, r('checkFull')),
      row('`check`, nothing changed (from this machine\'s cache, warm)', cli.checkRecorded, r('checkRecorded')),
      row('`check`, nothing changed, empty cache (cold: the full path)', cli.checkColdCache, r('checkColdCache')),
      row('`generate`, nothing to write (from this machine\'s cache)', cli.generateNothingToWrite, r('generateNothingToWrite')),
      row('`generate --watch`, one-line change, write to printed line', watched.watch),
      row('`generate` into a new directory, documents built before (model from this machine\'s cache)', cli.generateModelCached, r('generateModelCached')),
      row('`mock --stdio --no-cache`: start, parse, answer one command, exit', cli.mockStartParsed, r('mockStartParsed')),
      row('`mock --stdio`: start, model from this machine\'s cache, answer one command, exit', cli.mockStartCached, r('mockStartCached')),
    ].join('\n') +
    `\n\npeak memory: floor ${Math.round(peak.floorKiB / 1024)} MiB, cold \`generate\` ${Math.round(peak.generateColdKiB / 1024)} MiB (× floor ${peakRatio.toFixed(2)})` +
    `\n\n| size | commands | types | input | min ms | median ms | peak memory |\n|---|---|---|---|---|---|---|\n` +
    scaling.map((s) => `| ${s.scale}x | ${s.commands} | ${s.types} | ${(s.inputBytes / 1e6).toFixed(2)} MB | ${s.minMs} | ${s.medianMs} | ${s.peakRssMiB} MiB |`).join('\n') +
    `\n\ngrowth ${a.scale}x → ${b.scale}x: exponent ${exponent.toFixed(2)}; scaling floor median ${stats(scalingFloor).median.toFixed(0)} ms\n` +
    `\n${decodersTable(decoders)}` +
    `\n${parserTable(parser)}` +
    `\n\n${mockTable(mock)}\n` +
    `\ntargets: ${Object.entries(result.targets).map(([k, v]) => `${k} ${v ? 'met' : 'NOT met'}`).join(', ')}\n`,
);
if (jsonPath) writeFileSync(path.resolve(process.cwd(), jsonPath), JSON.stringify(result, null, 2) + '\n');
rmSync(tmp, { recursive: true, force: true });
process.exitCode = Object.values(result.targets).every(Boolean) ? 0 : 1;
