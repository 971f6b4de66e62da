/**
 * The mock chat core's WebSocket server (the `ws` package), speaking the chat core's protocol: a client sends
 * `{"corrId": "<id>", "cmd": "<command string>"}` and gets `{"corrId": "<id>", "resp": <ChatResponse>}`;
 * events arrive as `{"resp": <ChatEvent>}`. No frame makes it fail: anything unreadable gets a chatCmdError and
 * the connection stays open.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { commandError, type Frame, type MockCore } from './core.js';

export interface MockServerOptions {
  host: string;
  port: number;
  /** Every frame in and out is appended here as a JSON line. */
  record?: string;
}

export interface MockServer {
  host: string;
  port: number;
  /** Closes every connection (1001, going away) and the server. */
  close(): Promise<void>;
}

export function startMockServer(core: MockCore, options: MockServerOptions): Promise<MockServer> {
  const started = performance.now();
  let connections = 0;
  if (options.record) writeFileSync(options.record, '', { flag: 'a' });
  const record = (conn: number, dir: 'in' | 'out', frame: unknown) => {
    if (!options.record) return;
    const t = Math.round((performance.now() - started) * 10) / 10;
    appendFileSync(options.record, JSON.stringify({ t, conn, dir, frame }) + '\n');
  };

  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host: options.host, port: options.port });
    const sockets = new Set<WebSocket>();
    wss.once('error', reject);
    wss.on('connection', (ws) => {
      const conn = ++connections;
      sockets.add(ws);
      const send = (frame: Frame) => {
        record(conn, 'out', frame);
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
      };
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => {
        const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* recorded as the text it is */
        }
        record(conn, 'in', parsed);
        let frames: Frame[];
        try {
          frames = core.answer(text);
        } catch (e) {
          frames = [{ resp: commandError(`the mock chat core failed: ${(e as Error).message}`) }];
        }
        for (const f of frames) send(f);
      });
      for (const f of core.onConnect()) send(f);
    });
    wss.once('listening', () => {
      wss.off('error', reject);
      const address = wss.address() as AddressInfo;
      resolve({
        host: options.host,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const ws of sockets) ws.close(1001, 'the mock chat core stops');
            wss.close(() => done());
            // Clients that do not answer the close handshake are cut off.
            setTimeout(() => {
              for (const ws of sockets) ws.terminate();
            }, 500).unref();
          }),
      });
    });
  });
}
