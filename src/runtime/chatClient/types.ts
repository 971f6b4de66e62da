/** What the client is told and uses: the WebSocket it needs, transports, options, decoders, and its errors. */

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

export type MessageEventLike = { data: unknown };
export type CloseEventLike = { code?: number; reason?: string };

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
