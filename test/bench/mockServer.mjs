// A server for the mock bench, in its own process: `mock` is the mock chat core's WebSocket server over a world
// (with a contact "alice" and a group made first), `replay` is the floor: the same `ws` server answering each
// command with a precomputed answer (read from the file named by the third argument), corrId spliced in.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WebSocketServer } from 'ws';

const [mode, root, specOrAnswers] = process.argv.slice(2);
const dist = (m) => import(pathToFileURL(path.join(root, 'dist', m)).href);

if (mode === 'mock') {
  const { MockCore } = await dist('mock/core.js');
  const { startMockServer } = await dist('mock/server.js');
  const { buildModelFromDir } = await dist('pipeline.js');
  const { prepareWorld } = await import('./mock.mjs');
  const core = new MockCore(buildModelFromDir(specOrAnswers).model, 0);
  prepareWorld(core);
  const server = await startMockServer(core, { host: '127.0.0.1', port: 0 });
  process.stdout.write(`${server.port}\n`);
} else {
  const answers = new Map(Object.entries(JSON.parse(readFileSync(specOrAnswers, 'utf8'))));
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws) => {
    // The same writing as the mock's server: the replies to what one read brought go out in one write.
    const tcp = ws._socket;
    let corked = false;
    const uncork = () => {
      corked = false;
      tcp.uncork();
    };
    ws.on('message', (data) => {
      if (!corked) {
        corked = true;
        tcp.cork();
        process.nextTick(uncork);
      }
      // What any server must do: read the frame, find the answer, write it with the request's corrId.
      const frame = JSON.parse(String(data));
      ws.send(`{"corrId":${JSON.stringify(frame.corrId)},"resp":${answers.get(frame.cmd)}}`);
    });
  });
  wss.on('listening', () => process.stdout.write(`${wss.address().port}\n`));
}
process.on('SIGTERM', () => {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  process.stderr.write(`peak ${hwm ? Number(hwm[1]) * 1024 : 0}\n`);
  process.exit(0);
});
