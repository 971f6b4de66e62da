/**
 * The chat library (libsimplex) in this process, as upstream's SDKs use it, as a transport of the generated
 * client: `ChatClient.over(await FfiTransport.open({ library: "/path/to/libsimplex.so" }))`.
 *
 * The library's C API: `chat_migrate_init(path, key, confirm, &ctrl)` opens (and migrates) the database,
 * `chat_send_cmd(ctrl, cmd)` answers `{"result": <response>}` or `{"error": <chat error>}`,
 * `chat_recv_msg_wait(ctrl, microseconds)` gives `{"result": <event>}` or "" when none came in time, and
 * `chat_close_store(ctrl)` closes; every string it returns is the caller's to free. Calls run on koffi's worker
 * threads (`koffi` is an npm package that ships its binaries: `npm install koffi`), so the event loop never waits
 * on the library. A chat error comes back to the client as the `chatCmdError` response the WebSocket API gives.
 *
 * This file is self-contained (no imports): the TypeScript target copies it verbatim into `ffi.ts`.
 */

export interface FfiTransportOptions {
  /** Path of the chat library: libsimplex.so, .dylib or .dll. */
  library: string;
  /** The database's file prefix (default "simplex_bot", as upstream's bots). */
  dbPath?: string | undefined;
  /** The database's key (default: none). */
  dbKey?: string | undefined;
  /** Whether the library may migrate the database: "yesUp" (default), "yesUpDown", "console" or "error". */
  confirm?: 'yesUp' | 'yesUpDown' | 'console' | 'error' | undefined;
  /** How long each call for events waits (microseconds; default 500,000, as upstream's SDKs). */
  waitUs?: number | undefined;
  /** The koffi module, when it is not importable as "koffi" from here. */
  koffi?: unknown;
}

/** The library could not be loaded, or did not open the database (`result` holds what it answered). */
export class FfiTransportError extends Error {
  readonly result: unknown;
  constructor(message: string, result?: unknown, cause?: unknown) {
    super(message);
    this.name = 'FfiTransportError';
    this.result = result;
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, writable: true, configurable: true });
  }
}

/** A koffi function: callable, and `.async(...args, callback)` on a worker thread. */
type NativeFunction = ((...args: unknown[]) => unknown) & { async: (...args: unknown[]) => void };

/** What this file uses of koffi. */
interface Koffi {
  load(path: string): { func: (decl: string) => NativeFunction };
  disposable(name: string, type: string): unknown;
}

interface Library {
  send: NativeFunction;
  recv: NativeFunction;
  close: NativeFunction;
}

function callAsync(fn: NativeFunction, ...args: unknown[]): Promise<string> {
  return new Promise((resolve, reject) => fn.async(...args, (error: unknown, result: unknown) => (error ? reject(error) : resolve(String(result ?? '')))));
}

/** What the library answered, as the `resp` of a WebSocket frame. */
function responseOf(text: string): unknown {
  const answer = JSON.parse(text) as { result?: unknown; error?: unknown };
  if (answer !== null && typeof answer === 'object') {
    if (answer.result !== undefined) return answer.result;
    if (answer.error !== undefined) return { type: 'chatCmdError', chatError: answer.error };
  }
  return { type: 'chatCmdError', chatError: { type: 'invalidResult', result: text.slice(0, 200) } };
}

export class FfiTransport {
  ondown: ((reason: string, final: boolean) => void) | null = null;
  private handler: ((text: string) => void) | null = null;
  private readonly lib: Library;
  private readonly ctrl: unknown;
  private readonly waitUs: number;
  private closed: Error | undefined;
  private receiving: Promise<void> | undefined;
  /** Commands in the library's hands: close() waits for them before it closes the store. */
  private readonly inFlight = new Set<Promise<unknown>>();

  private constructor(lib: Library, ctrl: unknown, waitUs: number) {
    this.lib = lib;
    this.ctrl = ctrl;
    this.waitUs = waitUs;
  }

  /** Loads the library and opens the database; events start to flow once the client listens. */
  static async open(options: FfiTransportOptions): Promise<FfiTransport> {
    const waitUs = options.waitUs ?? 500_000;
    if (!(Number.isInteger(waitUs) && waitUs > 0 && waitUs < 2 ** 31)) throw new RangeError(`waitUs must be a positive whole number of microseconds below 2^31, not ${String(waitUs)}`);
    let koffi = options.koffi as Koffi | undefined;
    if (!koffi) {
      // By a name in a variable: compiling this file needs no types of koffi.
      const name = 'koffi';
      try {
        const m = (await import(name)) as { default?: Koffi };
        koffi = m.default ?? (m as unknown as Koffi);
      } catch (e) {
        throw new FfiTransportError('the FFI transport needs the koffi package: npm install koffi', undefined, e);
      }
    }
    let lib: { func: (decl: string) => NativeFunction };
    try {
      lib = koffi.load(options.library);
    } catch (e) {
      throw new FfiTransportError(`cannot load the chat library ${options.library}: ${(e as Error).message}`, undefined, e);
    }
    // A string the library allocated, freed once read.
    try {
      koffi.disposable('SimplexString', 'str');
    } catch {
      // Declared by an earlier transport in this process.
    }
    const init = lib.func('SimplexString chat_migrate_init(const char *path, const char *key, const char *confirm, _Out_ void **ctrl)');
    const fns: Library = {
      send: lib.func('SimplexString chat_send_cmd(void *ctrl, const char *cmd)'),
      recv: lib.func('SimplexString chat_recv_msg_wait(void *ctrl, int wait)'),
      close: lib.func('SimplexString chat_close_store(void *ctrl)'),
    };
    const ctrl: unknown[] = [null];
    const text = await callAsync(init, options.dbPath ?? 'simplex_bot', options.dbKey ?? '', options.confirm ?? 'yesUp', ctrl);
    let result: { type?: unknown };
    try {
      result = JSON.parse(text) as { type?: unknown };
    } catch {
      throw new FfiTransportError(`chat_migrate_init answered what is not JSON: ${text.slice(0, 200)}`, text);
    }
    if (result?.type !== 'ok' || !ctrl[0]) throw new FfiTransportError(`the chat library did not open the database: ${text.slice(0, 300)}`, result);
    return new FfiTransport(fns, ctrl[0], waitUs);
  }

  /** Runs one command: its reply comes back as the WebSocket API's frame with the same corrId. */
  send(frame: string): Promise<void> {
    if (this.closed) return Promise.reject(this.closed);
    const { corrId, cmd } = JSON.parse(frame) as { corrId: string; cmd: string };
    const call = callAsync(this.lib.send, this.ctrl, cmd).then(
      (text) => this.deliver(JSON.stringify({ corrId, resp: responseOf(text) })),
      (e: unknown) => this.deliver(JSON.stringify({ corrId, resp: { type: 'chatCmdError', chatError: { type: 'ffiCallFailed', message: (e as Error).message } } })),
    );
    this.inFlight.add(call);
    void call.finally(() => this.inFlight.delete(call));
    return Promise.resolve();
  }

  private deliver(frame: string): void {
    if (!this.closed) this.handler?.(frame);
  }

  /** Events: one call at a time on a worker thread, each waiting at most waitUs, until closed. */
  private startReceiving(): void {
    if (this.receiving || this.closed) return;
    this.receiving = (async () => {
      while (!this.closed) {
        let text: string;
        try {
          text = await callAsync(this.lib.recv, this.ctrl, this.waitUs);
        } catch (e) {
          if (!this.closed) this.end(`the chat library failed: ${(e as Error).message}`);
          return;
        }
        if (text && !this.closed) this.deliver(JSON.stringify({ resp: responseOf(text) }));
      }
    })();
  }

  /** Set by the client as it starts: events flow from then on. */
  get onframe(): ((text: string) => void) | null {
    return this.handler;
  }
  set onframe(handler: ((text: string) => void) | null) {
    this.handler = handler;
    if (handler) this.startReceiving();
  }

  private end(reason: string): void {
    if (this.closed) return;
    this.closed = new Error(reason);
    this.ondown?.(reason, true);
  }

  /**
   * Closes the store once the call for events in progress returns (within waitUs) and the commands in flight
   * are answered; resolves within 1 s (the store is then closed in the background).
   */
  close(): Promise<void> {
    if (this.closed && !this.receiving) return Promise.resolve();
    this.end('the client was closed');
    const closing = (async () => {
      await Promise.allSettled([this.receiving, ...this.inFlight]);
      this.receiving = undefined;
      await callAsync(this.lib.close, this.ctrl).catch(() => undefined);
    })();
    return Promise.race([closing, new Promise<void>((resolve) => (setTimeout(resolve, 1000) as { unref?: () => void }).unref?.())]);
  }
}
