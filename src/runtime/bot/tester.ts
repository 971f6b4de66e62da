/** A bot on a mock chat core, for its tests. */
import { ChatClient, type ChatClientOptions, type WebSocketLike } from "../client.js";
import type { Bot } from './bot.js';
import type { BotStartReport } from './options.js';

/** The simulated contact of a mock chat core (simplex-api-codegen's `createMockCore`), as the tester uses it. */
export interface TestContact {
  readonly name: string;
  readonly contactId: number;
  send(text: string, options?: { group?: number | string }): Promise<number>;
  nextMessage(timeoutMs?: number): Promise<{ text: string; itemId: number; msgContent: unknown }>;
  joinGroup(group: number | string): Promise<number>;
  leaveGroup(group: number | string): Promise<void>;
}

/** What BotTester needs of a mock chat core: simplex-api-codegen's `createMockCore({ spec })` gives one. */
export interface MockChatCore {
  readonly WebSocket: new (url: string) => WebSocketLike;
  connectContact(name: string, via?: "address" | "invitation" | "direct"): Promise<TestContact>;
  nextMessage(to: string, timeoutMs?: number): Promise<{ text: string; itemId: number; msgContent: unknown }>;
  isDeleted(itemId: number): boolean;
}

/**
 * A bot on a mock chat core, with simulated contacts, for its tests:
 *
 *     const tester = await BotTester.start(bot, await createMockCore({ spec: "spec" }))
 *     const alice = await tester.connectContact("alice")
 *     await alice.send("/help")
 *     expect((await alice.nextMessage()).text).toMatch(/Commands/)
 *     await tester.stop()
 */
export class BotTester {
  readonly bot: Bot;
  readonly core: MockChatCore;
  readonly client: ChatClient;
  /** What the bot's start did. */
  readonly report: BotStartReport;

  private constructor(bot: Bot, core: MockChatCore, client: ChatClient, report: BotStartReport) {
    this.bot = bot;
    this.core = core;
    this.client = client;
    this.report = report;
  }

  static async start(bot: Bot, core: MockChatCore, options: ChatClientOptions = {}): Promise<BotTester> {
    const client = await ChatClient.connect("mock:", { ...options, WebSocket: core.WebSocket });
    try {
      return new BotTester(bot, core, client, await bot.start(client));
    } catch (e) {
      await client.close();
      throw e;
    }
  }

  /** A contact connects to the bot through its address. */
  connectContact(name: string): Promise<TestContact> {
    return this.core.connectContact(name);
  }

  /** The next message the bot sends to a contact or group, by name. */
  nextMessage(to: string, timeoutMs?: number): Promise<{ text: string; itemId: number; msgContent: unknown }> {
    return this.core.nextMessage(to, timeoutMs);
  }

  /** Stops the bot (see Bot.stop) and closes its client. */
  async stop(timeoutMs?: number): Promise<{ unfinished: number }> {
    const r = await this.bot.stop(timeoutMs);
    await this.client.close();
    return r;
  }
}
