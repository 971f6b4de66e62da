/** The chat core's WebSocket API as a transport of the client (see ../chatClient.ts). */
import { type ChatClientOptions, ChatConnectionError, type ChatTransport, type CloseEventLike, type MessageEventLike, type WebSocketConstructor, type WebSocketLike } from './types.js';
import { countOption, millisOption, OPEN, type Reconnection } from './support.js';

/** Why a WebSocket event says it failed, when it says (the `ws` package's ErrorEvent has `error` and `message`). */
export function causeOf(event: unknown): { message: string; cause?: unknown } {
  const e = event as { error?: unknown; message?: unknown } | null;
  const error = e?.error instanceof Error ? e.error : undefined;
  const message = error?.message ?? (typeof e?.message === 'string' ? e.message : '');
  return error ? { message, cause: error } : { message };
}

/**
 * The chat core's WebSocket API as a ChatTransport. With `reconnect`, a lost connection is opened again with
 * bounded exponential backoff and jitter until `giveUpAfterMs`, and the first connection is retried the same
 * way while the chat core is not up yet; commands sent meanwhile are queued (bounded; each written once, in
 * order) or rejected at once.
 */
export class WebSocketTransport implements ChatTransport {
  ondown: ((reason: string, final: boolean) => void) | null = null;
  private handler: ((text: string) => void) | null = null;
  /** Frames that came before the client took the transport (a chat core may send events at once). */
  private held: string[] = [];
  private socket: WebSocketLike | undefined;
  private readonly queued: { frame: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  private ended: ChatConnectionError | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private readonly url: string;
  private readonly Ctor: WebSocketConstructor;
  private readonly reconnect: Reconnection | undefined;

  private constructor(url: string, Ctor: WebSocketConstructor, reconnect: Reconnection | undefined) {
    this.url = url;
    this.Ctor = Ctor;
    this.reconnect = reconnect;
  }

  get onframe(): ((text: string) => void) | null {
    return this.handler;
  }
  set onframe(handler: ((text: string) => void) | null) {
    this.handler = handler;
    if (handler) for (const frame of this.held.splice(0)) handler(frame);
  }

  private frame(text: string): void {
    if (this.handler) this.handler(text);
    else this.held.push(text);
  }

  /** Connects (retrying until the deadline with `reconnect`); rejects with the cause when it cannot. */
  static async open(url: string, options: Pick<ChatClientOptions, 'WebSocket' | 'reconnect'> = {}): Promise<WebSocketTransport> {
    const Ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) throw new ChatConnectionError('no WebSocket here: pass options.WebSocket (on Node 20, the `ws` package: `import WebSocket from "ws"`)');
    const r = options.reconnect === true ? {} : options.reconnect || undefined;
    const whileDisconnected = r?.whileDisconnected ?? 'queue';
    if (whileDisconnected !== 'queue' && whileDisconnected !== 'reject') throw new RangeError(`reconnect.whileDisconnected must be "queue" or "reject", not ${String(whileDisconnected)}`);
    const reconnect: Reconnection | undefined = r && {
      initialDelayMs: millisOption('reconnect.initialDelayMs', r.initialDelayMs, 100),
      maxDelayMs: millisOption('reconnect.maxDelayMs', r.maxDelayMs, 5000),
      giveUpAfterMs: millisOption('reconnect.giveUpAfterMs', r.giveUpAfterMs, 60_000),
      whileDisconnected,
      maxQueued: countOption('reconnect.maxQueued', r.maxQueued, 1000),
    };
    const transport = new WebSocketTransport(url, Ctor, reconnect);
    const deadline = Date.now() + (reconnect?.giveUpAfterMs ?? 0);
    for (let attempt = 0; ; attempt++) {
      try {
        await transport.connectOnce();
        return transport;
      } catch (e) {
        if (!reconnect || Date.now() >= deadline) throw e;
        await new Promise((resolve) => setTimeout(resolve, Math.min(transport.delay(attempt), Math.max(0, deadline - Date.now()))));
      }
    }
  }

  /** The wait before attempt `attempt + 1`: doubling from the first delay up to the longest, with ±25% jitter. */
  private delay(attempt: number): number {
    const r = this.reconnect!;
    const base = Math.min(r.maxDelayMs, r.initialDelayMs * 2 ** Math.min(attempt, 30));
    return base * (0.75 + Math.random() * 0.5);
  }

  /** Opens a socket and takes it at once on open (frames may follow the open in the same turn). */
  private connectOnce(): Promise<void> {
    return new Promise((resolve, reject) => {
      let socket: WebSocketLike;
      try {
        socket = new this.Ctor(this.url);
      } catch (e) {
        reject(new ChatConnectionError(`cannot connect to ${this.url}: ${(e as Error).message}`, { cause: e }));
        return;
      }
      let failure: { message: string; cause?: unknown } | undefined;
      socket.onopen = () => {
        socket.onopen = null;
        if (this.ended) {
          socket.close(1000, 'closed by the client');
          return reject(this.ended);
        }
        this.attach(socket);
        resolve();
      };
      socket.onerror = (event: never) => {
        failure = causeOf(event);
      };
      socket.onclose = (event: CloseEventLike) => {
        const why = failure?.message || (event?.code ? `closed (${event.code}${event.reason ? ` ${event.reason}` : ''})` : 'the connection closed');
        reject(new ChatConnectionError(`cannot connect to ${this.url}: ${why}`, failure && 'cause' in failure ? { cause: failure.cause } : undefined));
      };
    });
  }

  private attach(socket: WebSocketLike): void {
    this.socket = socket;
    socket.onmessage = (event: MessageEventLike) => this.frame(typeof event.data === 'string' ? event.data : String(event.data));
    let failure: { message: string; cause?: unknown } | undefined;
    socket.onerror = (event: never) => {
      failure = causeOf(event);
    };
    socket.onclose = (event: CloseEventLike) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.ended) return;
      const reason = `the connection closed${event?.code ? ` (${event.code}${event.reason ? ` ${event.reason}` : ''})` : ''}${failure?.message ? `: ${failure.message}` : ''}`;
      if (!this.reconnect) return this.end(reason);
      this.ondown?.(reason, false);
      void this.reopen(reason);
    };
    // Commands queued while disconnected: written once, in order.
    for (const q of this.queued.splice(0)) this.write(q.frame).then(q.resolve, q.reject);
  }

  private async reopen(reason: string): Promise<void> {
    const deadline = Date.now() + this.reconnect!.giveUpAfterMs;
    for (let attempt = 0; !this.ended; attempt++) {
      await new Promise<void>((resolve) => (this.retry = setTimeout(resolve, Math.min(this.delay(attempt), Math.max(0, deadline - Date.now())))));
      if (this.ended) return;
      try {
        return await this.connectOnce();
      } catch (e) {
        if (this.ended) return;
        if (Date.now() >= deadline) return this.end(`${reason}; gave up reconnecting after ${this.reconnect!.giveUpAfterMs} ms: ${(e as Error).message}`);
      }
    }
  }

  private write(frame: string): Promise<void> {
    try {
      this.socket!.send(frame);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(new ChatConnectionError(`cannot send: ${(e as Error).message}`, { cause: e }));
    }
  }

  send(frame: string): Promise<void> {
    if (this.ended) return Promise.reject(this.ended);
    if (this.socket && this.socket.readyState === OPEN) return this.write(frame);
    const r = this.reconnect;
    if (!r || r.whileDisconnected === 'reject') return Promise.reject(new ChatConnectionError('not connected: the connection is being opened again'));
    if (this.queued.length >= r.maxQueued) return Promise.reject(new ChatConnectionError(`not connected, and ${r.maxQueued} commands already wait for the connection`));
    return new Promise((resolve, reject) => this.queued.push({ frame, resolve, reject }));
  }

  /** For good: queued commands reject, and the client is told. */
  private end(reason: string): void {
    if (this.ended) return;
    this.ended = new ChatConnectionError(reason);
    clearTimeout(this.retry);
    for (const q of this.queued.splice(0)) q.reject(this.ended);
    this.ondown?.(reason, true);
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.end('the client was closed');
    this.socket = undefined;
    if (!socket || socket.readyState !== OPEN) return Promise.resolve();
    return new Promise<void>((resolve) => {
      // A chat core that ignores the close handshake is cut off after 1 s.
      const timer = setTimeout(() => {
        (socket as { terminate?: () => void }).terminate?.();
        resolve();
      }, 1000);
      socket.onclose = () => {
        clearTimeout(timer);
        resolve();
      };
      try {
        socket.close(1000, 'closed by the client');
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
