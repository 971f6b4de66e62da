/**
 * A bot on the typed client, over any transport (WebSocket to the CLI, the chat library in this process, the
 * mock chat core):
 *
 *     const bot = new Bot({ profile: { displayName: "Echo" }, welcome: "Hi! Send me anything." })
 *     bot.onCommand("ping", "Answers pong", (msg) => msg.reply("pong"))
 *     bot.onMessage({ contentType: "text" }, (msg) => msg.reply(msg.text))
 *     await bot.start(await ChatClient.connect("ws://127.0.0.1:5225", { WebSocket }))
 *
 * At start it syncs the chat core with what it declares: the active user (used, or created with the profile),
 * the address (used, or created), its settings (auto-accept, the welcome message) and the profile (marked as a
 * bot, with the command menu); each step only when something differs. The commands it sends are bound to this
 * API version in botApi.ts, generated with it.
 */
import { ChatClient, ChatCommandError, type ChatClientOptions, type WebSocketLike } from "./client.js";
import type { ChatEvent } from "./events.js";
import type * as T from "./types.js";
import { botApi, type BotApi } from "./botApi.js";
export { type CommandHandler, type EventHandler, Message, type MessageFilter, type MessageHandler, type Middleware, parseBotCommand } from './bot/message.js';
export { type BotOptions, type BotProfile, type BotStartReport, BotStartError } from './bot/options.js';
export { Bot } from './bot/bot.js';
export { BotTester, type MockChatCore, type TestContact } from './bot/tester.js';
