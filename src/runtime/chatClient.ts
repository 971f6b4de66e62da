/**
 * A client of the chat core's WebSocket protocol: commands go out as `{"corrId": "<id>", "cmd": "<string>"}`,
 * replies come back with the same corrId, events come without one. Replies and events go through the decoders
 * (forward-compatible by default, `strict` on request). A request rejects on a timeout and when the socket
 * closes; nothing is left to reject unhandled.
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

// `| undefined` on optional options: callers under exactOptionalPropertyTypes may pass an undefined through.
export interface ChatClientOptions {
  /** The WebSocket constructor; by default the global one (browsers, Node 22+). On Node 20: `WebSocket` of the `ws` package. */
  WebSocket?: WebSocketConstructor | undefined;
  /** How long a command may wait for its reply (milliseconds; default 60,000). */
  timeoutMs?: number | undefined;
  /** Reject unknown fields, union tags and enum values instead of keeping them. */
  strict?: boolean | undefined;
  /** Told of every unknown union tag or enum value that the decoders kept. */
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

/** The connection failed, closed before a reply came, or a reply did not come in time. */
export class ChatConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChatConnectionError';
  }
}

interface Pending {
  resolve: (value: { type: string }) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const OPEN = 1;
/** Events kept for the first subscribers at most; older ones beyond are dropped. */
const MAX_EARLY = 1000;

export class ChatClientBase<R extends { type: string }, E extends { type: string }> {
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private readonly handlers = new Map<string, Set<(event: E) => void>>();
  private readonly streams = new Set<{ push: (event: E) => void; end: () => void }>();
  private closed: ChatConnectionError | undefined;
  private closing: Promise<void> | undefined;
  private onClosed: (() => void) | undefined;
  /**
   * Events that arrive before anything listens (the chat core may send some as soon as a client connects, before
   * `connect` has even resolved): kept, and given to the first subscribers, in order, at the end of the turn in
   * which the first one subscribes. Undefined once they were given.
   */
  private early: E[] | undefined = [];
  /** Whether the early events are already on their way to this turn's subscribers. */
  private giving = false;
  private readonly socket: WebSocketLike;
  private readonly options: ChatClientOptions;
  private readonly decoders: ChatDecoders<R, E>;

  protected constructor(socket: WebSocketLike, options: ChatClientOptions, decoders: ChatDecoders<R, E>) {
    this.socket = socket;
    this.options = options;
    this.decoders = decoders;
    socket.onmessage = (event: MessageEventLike) => this.receive(event.data);
    socket.onclose = (event: CloseEventLike) => {
      this.shut(`the connection closed${event.code ? ` (${event.code}${event.reason ? ` ${event.reason}` : ''})` : ''}`);
      this.onClosed?.();
    };
    socket.onerror = () => this.shut('the connection failed');
  }

  /** Opens the WebSocket and makes the client once it is open (rejects when it cannot open). */
  protected static open<C>(url: string, options: ChatClientOptions, make: (socket: WebSocketLike) => C): Promise<C> {
    const timeoutMs = options.timeoutMs;
    // setTimeout takes at most 2^31 - 1 ms: a larger (or infinite) timeout would fire at once.
    if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs < 2 ** 31))
      return Promise.reject(new RangeError(`timeoutMs must be a positive number of milliseconds below 2^31, not ${String(timeoutMs)}`));
    const Ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) return Promise.reject(new ChatConnectionError('no WebSocket here: pass options.WebSocket (on Node 20, the `ws` package: `import WebSocket from "ws"`)'));
    return new Promise((resolve, reject) => {
      let socket: WebSocketLike;
      try {
        socket = new Ctor(url);
      } catch (e) {
        reject(new ChatConnectionError(`cannot connect to ${url}: ${(e as Error).message}`));
        return;
      }
      socket.onopen = () => {
        socket.onopen = null;
        resolve(make(socket));
      };
      socket.onerror = () => reject(new ChatConnectionError(`cannot connect to ${url}`));
      socket.onclose = () => reject(new ChatConnectionError(`cannot connect to ${url}: the connection closed`));
    });
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
      const timeoutMs = this.options.timeoutMs ?? 60_000;
      const timer = setTimeout(() => {
        this.pending.delete(corrId);
        reject(new ChatConnectionError(`no reply to ${JSON.stringify(commandString.slice(0, 80))} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(corrId, { resolve: resolve as (value: { type: string }) => void, reject, timer });
      try {
        this.socket.send(JSON.stringify({ corrId, cmd: commandString }));
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(corrId);
        reject(new ChatConnectionError(`cannot send: ${(e as Error).message}`));
      }
    });
  }

  private receive(data: unknown): void {
    let frame: { corrId?: unknown; resp?: unknown };
    try {
      frame = JSON.parse(typeof data === 'string' ? data : String(data)) as typeof frame;
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
    if (this.early) {
      if (this.early.length < MAX_EARLY) this.early.push(event);
      return;
    }
    this.dispatch(event);
  }

  private dispatch(event: E): void {
    for (const handler of this.handlers.get(event.type) ?? []) {
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

  /** The first subscription: the events kept until now go out once this turn's subscribers are in place. */
  private subscribed(): void {
    const early = this.early;
    // Given once: to the subscribers of the turn in which the first one subscribed, each event once.
    if (!early || this.giving) return;
    this.giving = true;
    setTimeout(() => {
      this.early = undefined;
      for (const event of early) this.dispatch(event);
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

  /** Every event from now on, until the connection closes. */
  events(): AsyncIterableIterator<E> {
    const queue: E[] = [];
    const waiting: ((r: IteratorResult<E>) => void)[] = [];
    let ended = this.closed !== undefined;
    const stream = {
      push: (event: E) => {
        const w = waiting.shift();
        if (w) w({ value: event, done: false });
        else queue.push(event);
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

  /** Closes the connection; pending commands reject. */
  close(): Promise<void> {
    if (!this.closing)
      this.closing = new Promise<void>((resolve) => {
        if (this.socket.readyState !== OPEN) {
          this.shut('the client was closed');
          return resolve();
        }
        this.onClosed = resolve;
        this.shut('the client was closed');
        this.socket.close(1000, 'closed by the client');
      });
    return this.closing;
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
