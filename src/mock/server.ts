/**
 * The mock chat core's WebSocket server (the `ws` package), speaking the chat core's protocol: a client sends
 * `{"corrId": "<id>", "cmd": "<command string>"}` and gets `{"corrId": "<id>", "resp": <ChatResponse>}`;
 * events arrive as `{"resp": <ChatEvent>}`. No frame makes it fail or stall: anything unreadable, too large or
 * too deep gets a chatCmdError with the request's corrId and the connection stays open; a client that does not
 * read its replies is closed (1008) before it can grow the server's memory without bound.
 */
import { accessSync, closeSync, constants, lstatSync, openSync, statSync, writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MockCore } from './core.js';
import { commandError, corrIdOf, type Frame } from './frames.js';

export interface MockServerOptions {
  host: string;
  port: number;
  /** Every frame in and out is appended here as a JSON line (see checkRecordPath). */
  record?: string;
  /** The largest frame answered, in bytes (default 8 MiB); a larger one gets chatCmdError with its corrId. */
  maxFrameBytes?: number;
  /** Replies a connection may leave unread, in bytes (default 16 MiB), before it is closed with 1008. */
  maxUnreadBytes?: number;
  /** Told once if recording fails while serving: recording stops, serving goes on. */
  onRecordError?: (message: string) => void;
}

export interface MockServer {
  host: string;
  port: number;
  /** Closes every connection (1001, going away) and the server. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_UNREAD_BYTES = 16 * 1024 * 1024;
/** Frames this many times the limit are not read at all: the WebSocket closes with 1009 (message too big). */
const UNREAD_FACTOR = 4;

/**
 * Why a recording cannot go to `file`, or undefined when it can: a regular file or a new file in an existing
 * directory, not a symbolic link, writable. Checked before the server listens.
 */
export function checkRecordPath(file: string): string | undefined {
  let stat;
  try {
    stat = lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return `cannot read ${file}: ${(e as Error).message}`;
    const dir = path.dirname(file);
    try {
      if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
    } catch {
      return `the directory ${dir} does not exist`;
    }
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      return `the directory ${dir} is not writable`;
    }
    return undefined;
  }
  if (stat.isSymbolicLink()) return `${file} is a symbolic link: name the file itself`;
  if (stat.isDirectory()) return `${file} is a directory: name a file in it`;
  if (!stat.isFile()) return `${file} is not a regular file (a FIFO, socket or device)`;
  try {
    accessSync(file, constants.W_OK);
  } catch {
    return `${file} is not writable`;
  }
  return undefined;
}

/** An append-only recording that stops, once, at its first write error (the CLI checks the path before). */
function openRecording(file: string, onError: (message: string) => void): ((line: string) => void) | undefined {
  let fd: number;
  try {
    // O_NOFOLLOW: a link put in place after the check is not followed; O_NONBLOCK: a FIFO cannot hang the open.
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o644);
  } catch (e) {
    onError(`cannot record to ${file}: ${(e as Error).message}`);
    return undefined;
  }
  let failed = false;
  return (line) => {
    if (failed) return;
    try {
      const bytes = Buffer.from(line);
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
    } catch (e) {
      failed = true;
      onError(`recording to ${file} stopped: ${(e as Error).message}`);
      try {
        closeSync(fd);
      } catch {
        /* already failed */
      }
    }
  };
}

export function startMockServer(core: MockCore, options: MockServerOptions): Promise<MockServer> {
  const started = performance.now();
  const maxFrame = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const maxUnread = options.maxUnreadBytes ?? DEFAULT_MAX_UNREAD_BYTES;
  let connections = 0;
  let reported = false;
  const onRecordError = (message: string) => {
    if (reported) return;
    reported = true;
    (options.onRecordError ?? ((m: string) => process.stderr.write(`warning: ${m}\n`)))(message);
  };
  const write = options.record ? openRecording(options.record, onRecordError) : undefined;
  const record = (conn: number, dir: 'in' | 'out', frame: unknown, raw?: string) => {
    if (!write) return;
    const t = Math.round((performance.now() - started) * 10) / 10;
    let line: string;
    try {
      line = JSON.stringify({ t, conn, dir, frame });
    } catch {
      // Too deep to write as JSON: the text as it came, cut short.
      line = JSON.stringify({ t, conn, dir, text: (raw ?? '').slice(0, 1000) });
    }
    write(line + '\n');
  };

  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host: options.host, port: options.port, maxPayload: UNREAD_FACTOR * maxFrame });
    const sockets = new Set<WebSocket>();
    wss.once('error', reject);
    wss.on('connection', (ws) => {
      const conn = ++connections;
      sockets.add(ws);
      let closing = false;
      const send = (frame: Frame) => {
        if (closing || ws.readyState !== ws.OPEN) return;
        let text: string;
        try {
          text = core.frameText(frame);
        } catch (e) {
          const reply: Frame = { resp: commandError(`the mock chat core cannot write its answer: ${(e as Error).message}`) };
          if (frame.corrId !== undefined) reply.corrId = frame.corrId;
          text = JSON.stringify(reply);
          frame = reply;
        }
        record(conn, 'out', frame);
        ws.send(text);
        if (ws.bufferedAmount > maxUnread) {
          closing = true;
          ws.close(1008, `more than ${maxUnread} bytes of replies left unread`);
          // The close frame waits behind the unread replies: a client that never reads is cut off after 10 s.
          setTimeout(() => ws.terminate(), 10_000).unref();
        }
      };
      // What simulated peers do (a control frame on any connection) reaches every connection as events.
      const unsubscribe = core.subscribe(send);
      ws.on('close', () => {
        sockets.delete(ws);
        unsubscribe();
      });
      ws.on('error', () => {
        sockets.delete(ws);
        unsubscribe();
      });
      // Replies to the frames that one read of the socket brought are written together: one write for many
      // small frames, as a client that pipelines commands sends them.
      const tcp = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
      let corked = false;
      const uncork = () => {
        corked = false;
        tcp?.uncork();
      };
      ws.on('message', (data, isBinary) => {
        if (tcp && !corked) {
          corked = true;
          tcp.cork();
          process.nextTick(uncork);
        }
        const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        const text = bytes.toString('utf8');
        if (bytes.length > maxFrame) {
          record(conn, 'in', undefined, text);
          const corrId = corrIdOf(text);
          const reply: Frame = { resp: commandError(`the frame is ${bytes.length} bytes: at most ${maxFrame} are read`) };
          if (corrId !== undefined) reply.corrId = corrId;
          return send(reply);
        }
        let frames: Frame[];
        let parsed: unknown;
        try {
          const answer = core.answerFrame(text);
          parsed = answer.message;
          frames = answer.frames;
        } catch (e) {
          const corrId = corrIdOf(text);
          frames = [{ resp: commandError(`the mock chat core failed: ${(e as Error).message}`), ...(corrId === undefined ? {} : { corrId }) }];
        }
        record(conn, 'in', parsed === undefined && !isBinary ? text : parsed, text);
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
