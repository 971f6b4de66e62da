/**
 * The mock chat core in the test's own process, no port: `createMockCore({ spec })` gives a core whose
 * `WebSocket` the generated client takes as its socket (`ChatClient.connect("mock:", { WebSocket: core.WebSocket })`),
 * and simulated contacts that act on its world:
 *
 *     const core = await createMockCore({ spec: "spec" });
 *     const client = await ChatClient.connect("mock:", { WebSocket: core.WebSocket });
 *     await client.apiCreateMyAddress({ userId: 1 });
 *     const alice = await core.connectContact("alice");
 *     await alice.send("/start");
 *     expect(alice.messages().at(-1)?.text).toMatch(/welcome/);
 *
 * Frames cross as the same JSON text a socket would carry, each in its own turn of the event loop, so that a
 * client sees what it would see over WebSocket.
 */
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../diagnostics/format.js';
import type { ApiModel } from '../model/types.js';
import { buildModelFromDirCached, modelCacheOf } from '../cache/models.js';
import { MockCore, type Frame, type MockCoreOptions } from './core.js';
import type { PeerAction } from './peers.js';
import type { Scenario } from './scenario.js';
import type { SentMessage } from './world.js';

export interface CreateMockCoreOptions extends MockCoreOptions {
  /** The directory of the documents the core serves; or */
  spec?: string;
  /** their model, already built. */
  model?: ApiModel;
  /** Seed of the values the core draws (default 0). */
  seed?: number;
  scenario?: Scenario;
  /**
   * Read the model of `spec` from this machine's cache when the same documents were built before (default
   * true): each test that starts a core then skips the parse, a second or more.
   */
  cache?: boolean;
  /** Where that cache is (default: node_modules/.cache/simplex-api-codegen of the nearest directory with node_modules). */
  cacheDir?: string;
}

/** The documents could not be read into a model. */
export class MockSpecError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(`the mock chat core cannot read the spec:\n${formatDiagnostics(diagnostics, 'text')}`);
    this.name = 'MockSpecError';
  }
}

/** A simulated contact of the bot: what it does, and what the bot sent it. */
export interface SimulatedContact {
  readonly name: string;
  readonly contactId: number;
  /** Sends a text (a bot command is a text: `/start`); resolves with the new item's id. */
  send(text: string, options?: { group?: number | string }): Promise<number>;
  /** Sends a file (a `file` message with the file offered for receiving); resolves with its ids. */
  sendFile(name: string, size?: number): Promise<{ itemId: number; fileId: number }>;
  /** Reacts to an item of the chat with the bot. */
  react(itemId: number, emoji: string, add?: boolean): Promise<void>;
  joinGroup(group: number | string): Promise<number>;
  leaveGroup(group: number | string): Promise<void>;
  /** Invites the bot to a new group of its own; resolves with the group's id. */
  inviteBot(groupName: string): Promise<number>;
  /** What the bot sent to this contact, oldest first. */
  messages(): SentMessage[];
  /** The next message the bot sends to this contact (one already sent and not yet taken counts). */
  nextMessage(timeoutMs?: number): Promise<SentMessage>;
}

/** Where the WebSocket stand-in gives frames: each in its own turn, as a socket would. */
const later = (f: () => void) => setImmediate(f);

export class InProcessMockCore extends MockCore {
  /** The socket the generated client takes: `ChatClient.connect("mock:", { WebSocket: core.WebSocket })`. */
  readonly WebSocket: new (url: string) => MockSocket;
  private readonly taken = new Map<string, number>();

  constructor(model: ApiModel, seed: number, scenario: Scenario | undefined, options: MockCoreOptions) {
    super(model, seed, scenario, options);
    const core = this;
    this.WebSocket = class extends MockSocket {
      constructor(_url: string) {
        super(core);
      }
    };
  }

  /** A simulated peer acts (see PeerAction); resolves once its events are on their way to the clients. */
  async peer(action: PeerAction): Promise<Record<string, number>> {
    return this.act(action);
  }

  /** A contact connects to the bot (by default through its address; "direct" needs none). */
  async connectContact(name: string, via: 'address' | 'invitation' | 'direct' = 'address'): Promise<SimulatedContact> {
    const result = this.act({ action: 'connect', name, via });
    if (result['contactId'] === undefined) throw new Error(`${name} sent a contact request (the address does not auto-accept): accept it with APIAcceptContact ${result['contactRequestId']}`);
    return this.contact(name, result['contactId']);
  }

  /** The simulated contact of a contact that already exists (one the bot accepted, say). */
  contact(name: string, contactId: number): SimulatedContact {
    const core = this;
    return {
      name,
      contactId,
      send: async (text, options = {}) => core.act({ action: 'send', from: name, text, ...(options.group === undefined ? {} : { group: options.group }) })['itemId']!,
      sendFile: async (file, size) => {
        const r = core.act({ action: 'send', from: name, file: { name: file, ...(size === undefined ? {} : { size }) } });
        return { itemId: r['itemId']!, fileId: r['fileId']! };
      },
      react: async (itemId, emoji, add = true) => void core.act({ action: 'react', from: name, itemId, emoji, add }),
      joinGroup: async (group) => core.act({ action: 'joinGroup', name, group })['groupMemberId']!,
      leaveGroup: async (group) => void core.act({ action: 'leaveGroup', name, group }),
      inviteBot: async (groupName) => core.act({ action: 'inviteBot', from: name, groupName })['groupId']!,
      messages: () => core.sent({ to: name }),
      nextMessage: (timeoutMs = 5000) => core.nextMessage(name, timeoutMs),
    };
  }

  /**
   * The next message the bot sends to a contact or group, by name (one already sent and not yet taken counts),
   * waiting for it up to `timeoutMs`. A contact's `nextMessage` takes from the same line.
   */
  nextMessage(to: string, timeoutMs = 5000): Promise<SentMessage> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const poll = () => {
        const all = this.sent({ to });
        const i = this.taken.get(to) ?? 0;
        if (i < all.length) {
          this.taken.set(to, i + 1);
          // The reply to the command that sent it is already on its way to the bot: resolve after it has arrived,
          // so that a test that closes the client next does not cut the bot's call short.
          const message = all[i]!;
          return later(() => later(() => resolve(message)));
        }
        if (Date.now() - started >= timeoutMs) return reject(new Error(`the bot sent nothing more to ${to} within ${timeoutMs} ms (it sent ${all.length} message${all.length === 1 ? '' : 's'})`));
        setTimeout(poll, 5);
      };
      poll();
    });
  }
}

/** A WebSocket (as the generated client needs one) whose other end is the core, in this process. */
export class MockSocket {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly core: MockCore) {
    later(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.unsubscribe = core.subscribe((frame) => this.deliver(frame));
      this.onopen?.({});
      for (const f of core.onConnect()) this.deliver(f);
    });
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('the mock socket is not open');
    later(() => {
      if (this.readyState !== 1) return;
      for (const f of this.core.answerFrame(String(data)).frames) this.deliver(f);
    });
  }

  private deliver(frame: Frame): void {
    const text = this.core.frameText(frame);
    later(() => {
      if (this.readyState === 1) this.onmessage?.({ data: text });
    });
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.unsubscribe?.();
    later(() => this.onclose?.({ code, reason }));
  }
}

/** A mock chat core in this process, from a spec directory or a model. */
export async function createMockCore(options: CreateMockCoreOptions): Promise<InProcessMockCore> {
  let model = options.model;
  if (!model) {
    if (options.spec === undefined) throw new TypeError('createMockCore needs { spec: "<directory>" } or { model }');
    const built = buildModelFromDirCached(options.spec, modelCacheOf(options), options.spec);
    if (hasErrors(built.diagnostics)) throw new MockSpecError(built.diagnostics);
    model = built.model;
  }
  const coreOptions: MockCoreOptions = {};
  if (options.world !== undefined) coreOptions.world = options.world;
  if (options.user !== undefined) coreOptions.user = options.user;
  return new InProcessMockCore(model, options.seed ?? 0, options.scenario, coreOptions);
}
