/**
 * A client of the chat core: commands go out as `{"corrId": "<id>", "cmd": "<string>"}`, replies come back with
 * the same corrId, events come without one. Replies and events go through the decoders (forward-compatible by
 * default, `strict` on request). A request rejects on a timeout and when the connection is lost; nothing is left
 * to reject unhandled.
 *
 * The frames travel over a ChatTransport: WebSocketTransport (the chat core's WebSocket API, with optional
 * reconnection), the FFI transport of `ffi.ts` (the chat library in this process), or anything else that carries
 * the same frames (the mock chat core's in-process socket).
 *
 * This file is self-contained (no imports): the TypeScript target copies it verbatim into `client.ts`, where
 * the generated `ChatClient` extends this base with one typed method per command.
 */

/**
 * What the client needs of a WebSocket: the browser's API (the global one, or the `ws` package's). The handlers'
 * events are typed `never` here so that every implementation's own event types fit; the client reads only
 * `data` of a message and `code`/`reason` of a close.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

type MessageEventLike = { data: unknown };
type CloseEventLike = { code?: number; reason?: string };

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/**
 * What carries the client's frames. `send` resolves once the frame is written (at once while connected; after
 * reconnecting when the transport queues) and rejects when it cannot be; `close` ends within 1 s whatever the
 * other side does. The client sets the handlers.
 */
export interface ChatTransport {
  send(frame: string): Promise<void>;
  close(): Promise<void>;
  /** Each frame that arrives, as text. */
  onframe: ((text: string) => void) | null;
  /** The connection was lost (`final`: for good; else the transport reconnects). Frames written before get no reply. */
  ondown: ((reason: string, final: boolean) => void) | null;
}

/** Reconnection of a WebSocketTransport: bounded exponential backoff with jitter, and what to do with commands meanwhile. */
export interface ReconnectOptions {
  /** The first wait before connecting again (milliseconds; default 100); it doubles with every failed attempt. */
  initialDelayMs?: number | undefined;
  /** The longest wait between attempts (default 5,000). */
  maxDelayMs?: number | undefined;
  /** How long to keep trying, from the moment the connection was lost or the first attempt (default 60,000). */
  giveUpAfterMs?: number | undefined;
  /** Commands sent while disconnected: `"queue"` (default; sent once, in order, when connected again) or `"reject"` at once. */
  whileDisconnected?: 'queue' | 'reject' | undefined;
  /** How many commands the queue holds (default 1,000); beyond, they reject at once. */
  maxQueued?: number | undefined;
}

// `| undefined` on optional options: callers under exactOptionalPropertyTypes may pass an undefined through.
export interface ChatClientOptions {
  /** The WebSocket constructor; by default the global one (browsers, Node 22+). On Node 20: `WebSocket` of the `ws` package. */
  WebSocket?: WebSocketConstructor | undefined;
  /** Reconnect when the WebSocket is lost, and keep trying to connect when the chat core is not up yet. */
  reconnect?: ReconnectOptions | boolean | undefined;
  /** How long a command may wait for its reply (milliseconds; default 60,000; a positive number below 2^31). */
  timeoutMs?: number | undefined;
  /** Events kept for the first subscriber while nothing listens (default 1,000): beyond, the oldest are dropped and counted in a warning. */
  maxEarlyEvents?: number | undefined;
  /** Events each `events()` iterator holds unread (default 10,000): beyond, the oldest are dropped and counted in a warning. */
  maxQueuedEvents?: number | undefined;
  /** Reject unknown fields, union tags and enum values instead of keeping them. */
  strict?: boolean | undefined;
  /** Told of every unknown union tag or enum value that the decoders kept, and of events dropped from a full buffer (path `"events"`). */
  onWarning?: ((warning: { path: string; message: string }) => void) | undefined;
  /** Told of an event that cannot be read (by default it is shown with console.warn and dropped). */
  onError?: ((error: Error) => void) | undefined;
}

/** How the generated client decodes what arrives. */
export interface ChatDecoders<R, E> {
  response(value: unknown, options: { strict: boolean; onWarning: ChatClientOptions['onWarning'] }): R;
  event(value: unknown, options: { strict: boolean; onWarning: ChatClientOptions['onWarning'] }): E;
}

/** The chat core answered a command with an error, or with a response the documents do not give for it. */
export class ChatCommandError extends Error {
  /** The command's name, e.g. `APISendMessages`. */
  readonly command: string;
  /** The command string that was sent. */
  readonly commandString: string;
  /** The response, decoded. */
  readonly response: { type: string };
  constructor(command: string, commandString: string, response: { type: string }) {
    super(`${command} failed: the chat core answered ${JSON.stringify(response).slice(0, 300)}`);
    this.name = 'ChatCommandError';
    this.command = command;
    this.commandString = commandString;
    this.response = response;
  }
}

/** The connection failed, closed before a reply came, or a reply did not come in time; `cause` says why, when known. */
export class ChatConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = 'ChatConnectionError';
    // As ES2022's Error does, without needing its lib.
    if (options && 'cause' in options) Object.defineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true });
  }
}

interface Pending {
  resolve: (value: { type: string }) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  /** Whether the frame was written (a lost connection loses its reply). */
  written: boolean;
}

const OPEN = 1;

/** ReconnectOptions with every default filled in. */
interface Reconnection {
  initialDelayMs: number;
  maxDelayMs: number;
  giveUpAfterMs: number;
  whileDisconnected: 'queue' | 'reject';
  maxQueued: number;
}

/** A positive whole number, or the default. */
function countOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive whole number, not ${String(value)}`);
  return value;
}

/** A number of milliseconds setTimeout can wait: positive, finite, below 2^31 (a larger one fires at once). */
function millisOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === 'number' && value > 0 && value < 2 ** 31)) throw new RangeError(`${name} must be a positive number of milliseconds below 2^31, not ${String(value)}`);
  return value;
}

/** Events in arrival order, at most `max`: when full, the oldest goes and is counted. */
class EventBuffer<E> {
  private items: E[] = [];
  private head = 0;
  dropped = 0;
  readonly max: number;
  // A field, not a parameter property: this file must be erasable syntax (Node's type stripping).
  constructor(max: number) {
    this.max = max;
  }
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: E): void {
    if (this.length >= this.max) {
      this.head++;
      this.dropped++;
    }
    this.items.push(item);
    // Compact now and then: shift() on a long array costs a copy each time.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
  shift(): E | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    }
    return item;
  }
  drain(): E[] {
    const out = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return out;
  }
}

export class ChatClientBase<R extends { type: string }, E extends { type: string }> {
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private readonly handlers = new Map<string, Set<(event: E) => void>>();
  private readonly streams = new Set<{ push: (event: E) => void; end: () => void }>();
  private closed: ChatConnectionError | undefined;
  private closing: Promise<void> | undefined;
  /**
   * Events that arrive before anything listens (the chat core may send some as soon as a client connects, before
   * `connect` has even resolved): kept (the newest `maxEarlyEvents`), and given to the subscribers registered in
   * the turn in which the first one subscribes, each event to each once. Undefined once they were given.
   */
  private early: EventBuffer<E> | undefined;
  /** Whether the early events are already on their way to this turn's subscribers. */
  private giving = false;
  private readonly transport: ChatTransport;
  private readonly options: ChatClientOptions;
  private readonly decoders: ChatDecoders<R, E>;
  private readonly timeoutMs: number;
  private readonly maxQueuedEvents: number;

  protected constructor(transport: ChatTransport, options: ChatClientOptions, decoders: ChatDecoders<R, E>) {
    this.timeoutMs = millisOption('timeoutMs', options.timeoutMs, 60_000);
    this.maxQueuedEvents = countOption('maxQueuedEvents', options.maxQueuedEvents, 10_000);
    this.early = new EventBuffer(countOption('maxEarlyEvents', options.maxEarlyEvents, 1000));
    this.transport = transport;
    this.options = options;
    this.decoders = decoders;
    transport.onframe = (text) => this.receive(text);
    transport.ondown = (reason, final) => (final ? this.shut(reason) : this.lost(reason));
  }

  /** Checks the options that a client would reject, before anything connects. */
  protected static checkOptions(options: ChatClientOptions): void {
    millisOption('timeoutMs', options.timeoutMs, 1);
    countOption('maxEarlyEvents', options.maxEarlyEvents, 1);
    countOption('maxQueuedEvents', options.maxQueuedEvents, 1);
  }

  /** Sends a command string as it is; resolves with whatever response comes back (decoded). */
  send(command: string): Promise<R> {
    return this.request(command) as Promise<R>;
  }

  /** Sends a command and resolves with its response when its tag is one of `expected`; rejects otherwise. */
  protected call<T>(command: string, commandString: string, expected: readonly string[]): Promise<T> {
    return this.request(commandString).then((response) => {
      if (expected.includes(response.type)) return response as unknown as T;
      throw new ChatCommandError(command, commandString, response);
    });
  }

  private request(commandString: string): Promise<R> {
    if (this.closed) return Promise.reject(this.closed);
    const corrId = String(this.nextId++);
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(corrId);
        reject(new ChatConnectionError(`no reply to ${JSON.stringify(commandString.slice(0, 80))} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const pending: Pending = { resolve: resolve as (value: { type: string }) => void, reject, timer, written: false };
      this.pending.set(corrId, pending);
      let sending: Promise<void>;
      try {
        sending = this.transport.send(JSON.stringify({ corrId, cmd: commandString }));
      } catch (e) {
        sending = Promise.reject(e);
      }
      sending.then(
        () => (pending.written = true),
        (e: unknown) => {
          if (this.pending.get(corrId) !== pending) return;
          clearTimeout(timer);
          this.pending.delete(corrId);
          reject(e instanceof ChatConnectionError ? e : new ChatConnectionError(`cannot send: ${(e as Error).message}`, { cause: e }));
        },
      );
    });
  }

  private receive(data: string): void {
    let frame: { corrId?: unknown; resp?: unknown };
    try {
      frame = JSON.parse(data) as typeof frame;
    } catch {
      return this.fail(new ChatConnectionError('a frame from the chat core is not JSON'));
    }
    if (typeof frame !== 'object' || frame === null) return this.fail(new ChatConnectionError('a frame from the chat core is not a JSON object'));
    const decodeOptions = { strict: this.options.strict === true, onWarning: this.options.onWarning };
    if (typeof frame.corrId === 'string') {
      const pending = this.pending.get(frame.corrId);
      if (!pending) return;
      this.pending.delete(frame.corrId);
      clearTimeout(pending.timer);
      try {
        pending.resolve(this.decoders.response(frame.resp, decodeOptions));
      } catch (e) {
        pending.reject(e as Error);
      }
      return;
    }
    let event: E;
    try {
      event = this.decoders.event(frame.resp, decodeOptions);
    } catch (e) {
      return this.fail(e as Error);
    }
    if (this.early) return this.early.push(event);
    this.dispatch(event);
  }

  private dispatch(event: E): void {
    for (const handler of [...(this.handlers.get(event.type) ?? [])]) {
      try {
        handler(event);
      } catch (e) {
        this.fail(e as Error);
      }
    }
    for (const stream of this.streams) stream.push(event);
  }

  private fail(error: Error): void {
    if (this.options.onError) this.options.onError(error);
    else console.warn(`ChatClient: ${error.message}`);
  }

  private warn(message: string): void {
    if (this.options.onWarning) this.options.onWarning({ path: 'events', message });
    else console.warn(`ChatClient: ${message}`);
  }

  /** The first subscription: the events kept until now go out once this turn's subscribers are in place. */
  private subscribed(): void {
    const early = this.early;
    // Given once: to the subscribers of the turn in which the first one subscribed, each event once.
    if (!early || this.giving) return;
    this.giving = true;
    setTimeout(() => {
      this.early = undefined;
      if (early.dropped) this.warn(`${early.dropped} events that came before the first subscriber were dropped (the oldest; ${early.max} are kept)`);
      for (const event of early.drain()) this.dispatch(event);
    }, 0);
  }

  /** Calls `handler` with every event of this tag (its argument narrowed to that event); returns the unsubscribe. */
  on<K extends E['type']>(tag: K, handler: (event: Extract<E, { type: K }>) => void): () => void {
    this.subscribed();
    let set = this.handlers.get(tag);
    if (!set) this.handlers.set(tag, (set = new Set()));
    const h = handler as unknown as (event: E) => void;
    set.add(h);
    return () => set.delete(h);
  }

  /**
   * Every event from now on, until the connection closes. Each iterator holds at most `maxQueuedEvents` unread:
   * when it is full, the oldest are dropped and counted in a warning.
   */
  events(): AsyncIterableIterator<E> {
    const queue = new EventBuffer<E>(this.maxQueuedEvents);
    const waiting: ((r: IteratorResult<E>) => void)[] = [];
    let ended = this.closed !== undefined;
    const stream = {
      push: (event: E) => {
        const w = waiting.shift();
        if (w) return w({ value: event, done: false });
        const before = queue.dropped;
        queue.push(event);
        // Counted in a warning at the first drop and every maxQueuedEvents drops after.
        if (queue.dropped > before && (queue.dropped === 1 || queue.dropped % queue.max === 0))
          this.warn(`an events() iterator was not read: ${queue.dropped} events dropped so far (the oldest; ${queue.max} are kept)`);
      },
      end: () => {
        ended = true;
        for (const w of waiting.splice(0)) w({ value: undefined, done: true });
      },
    };
    if (!ended) this.streams.add(stream);
    this.subscribed();
    const iterator: AsyncIterableIterator<E> = {
      next: () => {
        const event = queue.shift();
        if (event !== undefined) return Promise.resolve({ value: event, done: false });
        if (ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => waiting.push(resolve));
      },
      return: () => {
        this.streams.delete(stream);
        stream.end();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Closes the connection (within 1 s, whatever the chat core does); pending commands reject. */
  close(): Promise<void> {
    if (!this.closing) {
      this.shut('the client was closed');
      this.closing = this.transport.close().catch(() => undefined);
    }
    return this.closing;
  }

  /** The connection was lost and the transport reconnects: commands written before it get no reply. */
  private lost(reason: string): void {
    for (const [corrId, p] of this.pending) {
      if (!p.written) continue;
      clearTimeout(p.timer);
      this.pending.delete(corrId);
      p.reject(new ChatConnectionError(`the connection was lost before the reply came (${reason})`));
    }
  }

  /** Rejects every pending command and ends every event stream (once). */
  private shut(reason: string): void {
    if (this.closed) return;
    this.closed = new ChatConnectionError(reason);
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(this.closed);
    }
    this.pending.clear();
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }
}

/** Why a WebSocket event says it failed, when it says (the `ws` package's ErrorEvent has `error` and `message`). */
function causeOf(event: unknown): { message: string; cause?: unknown } {
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
