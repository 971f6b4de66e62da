// The mock chat core's speed: commands per second over WebSocket for 1, 10 and 100 clients, each keeping 1 or 32
// commands in flight, beside the floor: a `ws` server in the same kind of process that replays precomputed answers
// (the same answers, so the same bytes). Each server process answers WARM_UP commands before it is measured. Runs
// are interleaved, floor then mock, each row `rounds` times; min and median of each, their ratio, and the peak RSS
// of each server process.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';

/** Commands each server answers before it is measured, so that both run optimized code (the mock has far more of it
 * for the JIT to reach its top tier than the replaying server has). */
const WARM_UP = 20000;

const COMMANDS = [
  '/user',
  '/_send @2 json [{"msgContent":{"type":"text","text":"hello from the bench"},"mentions":{}}]',
  '/_contacts 1',
  '/_members #1',
  '/_groups 1',
];

/** What the commands of the bench need in the world: contact 2 (alice) and group 1; the same in both servers' answers. */
export function prepareWorld(core) {
  core.act({ action: 'connect', name: 'alice', via: 'direct' });
  core.answer(JSON.stringify({ corrId: 0, cmd: '/_group 1 {"displayName":"team","fullName":""}' }));
}

function startServer(root, mode, arg) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'test/bench/mockServer.mjs'), mode, root, arg], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', (d) => resolve({ port: Number(String(d).trim()), stop: () => new Promise((done) => { child.once('exit', () => done(Number(/peak (\d+)/.exec(err)?.[1] ?? 0))); child.kill('SIGTERM'); }) }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited ${code}: ${err}`)));
  });
}

/** Commands answered per second: `clients` connections, each with `window` commands in flight, `total` in all. */
async function throughput(port, clients, window, total) {
  const sockets = await Promise.all(Array.from({ length: clients }, () => new Promise((resolve, reject) => { const ws = new WebSocket(`ws://127.0.0.1:${port}`); ws.once('open', () => resolve(ws)); ws.once('error', reject); })));
  const perClient = Math.ceil(total / clients);
  const t0 = performance.now();
  await Promise.all(
    sockets.map(
      (ws, k) =>
        new Promise((resolve) => {
          let sent = 0;
          let got = 0;
          const next = () => ws.send(JSON.stringify({ corrId: `${k}-${sent}`, cmd: COMMANDS[sent++ % COMMANDS.length] }));
          ws.on('message', () => {
            if (++got === perClient) return resolve();
            if (sent < perClient) next();
          });
          for (let i = 0; i < Math.min(window, perClient); i++) next();
        }),
    ),
  );
  const seconds = (performance.now() - t0) / 1000;
  for (const ws of sockets) ws.terminate();
  return (perClient * clients) / seconds;
}

export async function measureMock({ root, specDir, tmp, rounds, quick }) {
  // The floor's answers: what the mock answers to each command (after the same set-up), precomputed.
  const { MockCore } = await import(pathToFileURL(path.join(root, 'dist/mock/core.js')).href);
  const { buildModelFromDir } = await import(pathToFileURL(path.join(root, 'dist/pipeline.js')).href);
  const core = new MockCore(buildModelFromDir(specDir).model, 0);
  prepareWorld(core);
  const answers = Object.fromEntries(COMMANDS.map((c) => [c, JSON.stringify(core.answer(JSON.stringify({ corrId: 1, cmd: c }))[0].resp)]));
  const file = path.join(tmp, 'replay-answers.json');
  writeFileSync(file, JSON.stringify(answers));
  const rows = [];
  for (const clients of [1, 10, 100])
    for (const window of [1, 32]) {
      // About a second of work or more per measurement: rows with 32 commands in flight run near 80,000/s, where
      // 20,000 commands took a quarter of a second and one collection of garbage moved the row by 10 points.
      const total = quick ? 2000 : window === 1 ? 20000 : 80000;
      const floor = [];
      const mock = [];
      let peakFloor = 0;
      let peakMock = 0;
      for (let r = 0; r < rounds; r++) {
        const f = await startServer(root, 'replay', file);
        await throughput(f.port, 4, 8, WARM_UP);
        floor.push(await throughput(f.port, clients, window, total));
        peakFloor = Math.max(peakFloor, await f.stop());
        const m = await startServer(root, 'mock', specDir);
        await throughput(m.port, 4, 8, WARM_UP);
        mock.push(await throughput(m.port, clients, window, total));
        peakMock = Math.max(peakMock, await m.stop());
      }
      rows.push({ clients, window, floor: stats(floor), mock: stats(mock), peakFloor, peakMock });
      const last = rows.at(-1);
      process.stderr.write(`  mock ${clients} clients, window ${window}: ${Math.round(last.mock.median)}/s vs floor ${Math.round(last.floor.median)}/s (${Math.round((100 * last.mock.median) / last.floor.median)}%)\n`);
    }
  return rows;
}

// Higher is better here: min is the slowest run's rate, max the fastest; the median is what the table shows.
function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, runs: s.length };
}

export function mockTable(rows) {
  const mb = (b) => `${Math.round(b / 1024 / 1024)} MiB`;
  return [
    '| clients | window | floor (replay) cmd/s, median (min) | mock cmd/s, median (min) | mock ÷ floor | peak RSS floor / mock |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.clients} | ${r.window} | ${Math.round(r.floor.median)} (${Math.round(r.floor.min)}) | ${Math.round(r.mock.median)} (${Math.round(r.mock.min)}) | ${Math.round((100 * r.mock.median) / r.floor.median)}% | ${mb(r.peakFloor)} / ${mb(r.peakMock)} |`),
  ].join('\n');
}

// Standalone: node test/bench/mock.mjs [--rounds N] [--quick]
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  const args = process.argv.slice(2);
  const rounds = Number(args.includes('--rounds') ? args[args.indexOf('--rounds') + 1] : 3);
  const { mkdtempSync } = await import('node:fs');
  const os = await import('node:os');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sac-bench-mock-'));
  const rows = await measureMock({ root, specDir: path.join(root, 'spec'), tmp, rounds, quick: args.includes('--quick') });
  console.log(mockTable(rows));
}
