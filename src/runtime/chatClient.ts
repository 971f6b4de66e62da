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
 * This module and its parts (./chatClient/*.ts) import nothing else: the TypeScript target copies them verbatim,
 * one after another without the imports between them, into `client.ts`, where the generated `ChatClient` extends
 * this base with one typed method per command.
 */
import { type ChatClientOptions, ChatCommandError, ChatConnectionError, type ChatDecoders, type ChatTransport } from './chatClient/types.js';
import { countOption, EventBuffer, millisOption, type Pending } from './chatClient/support.js';
export { type ChatClientOptions, ChatCommandError, ChatConnectionError, type ChatDecoders, type ChatTransport, type ReconnectOptions, type WebSocketConstructor, type WebSocketLike } from './chatClient/types.js';
export { WebSocketTransport } from './chatClient/webSocket.js';

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
