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

/**
 * What the framework reads of the API's values, and writes. The documents' types may differ between API versions
 * (a field added, a member renamed): the framework goes through these views, so that it compiles against any
 * version that has the types its signatures name; its tests run it on every version of the corpus.
 */
interface ItemView {
  chatInfo: { type: string; contact?: { contactId: number }; groupInfo?: { groupId: number } };
  chatItem: { chatDir: { type: string; groupMember?: unknown }; meta: { itemId: number }; content: { type: string; msgContent?: { type: string; text?: unknown } } };
}
interface LinkView {
  connLinkContact: { connFullLink: string; connShortLink?: string };
  addressSettings?: unknown;
}
type ProfileView = Record<string, unknown> & { preferences?: Record<string, unknown> };
const cast = <V,>(value: unknown): V => value as V;
const field = <V,>(value: unknown, name: string): V => (value as Record<string, V>)[name] as V;

/** What a message handler is called with. */
export type MessageHandler = (msg: Message) => unknown;
/** What a command handler is called with: the message, and the text after `/name`, trimmed. */
export type CommandHandler = (msg: Message, args: string) => unknown;
/** Called with every received message before any handler; a message goes on only if it calls `next()`. */
export type Middleware = (msg: Message, next: () => Promise<void>) => unknown;
export type EventHandler<K extends ChatEvent["type"]> = (event: Extract<ChatEvent, { type: K }>) => unknown;

/** Which messages a handler takes; every given condition must hold (a list is any of its values). */
export interface MessageFilter {
  /** The content's type tag: "text", "image", "file", … */
  contentType?: string | readonly string[];
  /** The whole text, or a pattern it matches. */
  text?: string | RegExp;
  chatType?: "direct" | "group" | readonly ("direct" | "group")[];
  groupId?: number | readonly number[];
  contactId?: number | readonly number[];
  when?: (msg: Message) => boolean;
}

export interface BotProfile {
  displayName: string;
  fullName?: string;
  shortDescr?: string;
  image?: string;
}

export interface BotOptions {
  profile: BotProfile;
  /** The address's auto-reply, sent by the chat core to each contact that connects (none by default). */
  welcome?: string;
  /** Whether to create the address when there is none (default true). */
  createAddress?: boolean;
  /** Whether the address accepts contacts by itself (default true). */
  autoAccept?: boolean;
  /** Whether contacts may send files (default false). */
  allowFiles?: boolean;
  /** Whether `/help` lists the commands (default true; a handler of your own for "help" wins). */
  help?: boolean;
  /** Where a handler's error goes (default: console.error); the bot goes on. */
  onError?: (error: unknown, where: string) => void;
  /** Where the start-up steps are told (default: nowhere). */
  log?: (line: string) => void;
}

/** What `start` did: each step says whether it found the chat core as wanted or changed it. */
export interface BotStartReport {
  user: T.User;
  /** The address (its short link when it has one), undefined without one. */
  address: string | undefined;
  steps: {
    user: "used" | "created";
    address: "used" | "created" | "none";
    addressSettings: "kept" | "updated" | "none";
    profile: "kept" | "updated";
  };
}

/** A start-up step failed: `step` names it, `cause` is the client's error (a ChatCommandError: the chat core's). */
export class BotStartError extends Error {
  readonly step: string;
  constructor(step: string, cause: unknown) {
    super(`the bot could not ${step}: ${describeError(cause)}`);
    this.name = "BotStartError";
    this.step = step;
    // As ES2022's Error does, without needing its lib.
    Object.defineProperty(this, "cause", { value: cause, writable: true, configurable: true });
  }
}

function describeError(e: unknown): string {
  if (e instanceof ChatCommandError) {
    const error = chatErrorOf(e);
    return error ? `the chat core answered ${error}` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/** `error noActiveUser`, `errorStore userContactLinkNotFound`: the chat error a command failed with. */
function chatErrorOf(e: unknown): string | undefined {
  if (!(e instanceof ChatCommandError)) return undefined;
  const error = (e.response as { chatError?: { type?: unknown; [k: string]: unknown } }).chatError;
  if (!error || typeof error.type !== "string") return undefined;
  const inner = Object.values(error).find((v): v is { type: string } => typeof v === "object" && v !== null && typeof (v as { type?: unknown }).type === "string");
  return inner ? `${error.type} ${inner.type}` : error.type;
}

/** `/name args`: a bot command's name and its arguments, as upstream's bots read them. */
export function parseBotCommand(text: string): { name: string; args: string } | undefined {
  const m = /^\/([^\s]+)([\s\S]*)$/.exec(text.trim());
  return m ? { name: m[1]!, args: m[2]!.trim() } : undefined;
}

/** A received message, with what a handler needs to answer it. */
export class Message {
  readonly chat: T.ChatInfo;
  readonly content: T.MsgContent;
  /** The message's text ("" when its content has none). */
  readonly text: string;
  readonly chatRef: T.ChatRef;
  /** The contact, in a direct chat. */
  readonly contact: T.Contact | undefined;
  /** The group and the member who sent it, in a group. */
  readonly groupInfo: T.GroupInfo | undefined;
  readonly member: T.GroupMember | undefined;
  /** The bot command it carries, if its text is one. */
  readonly command: { name: string; args: string } | undefined;
  readonly itemId: number;

  readonly item: T.AChatItem;
  /** Aborts when the bot stops and this message's handler did not finish in time. */
  readonly signal: AbortSignal;
  private readonly api: BotApi;

  constructor(item: T.AChatItem, api: BotApi, signal: AbortSignal) {
    const v = cast<ItemView>(item);
    this.item = item;
    this.api = api;
    this.signal = signal;
    this.chat = cast<T.ChatInfo>(v.chatInfo);
    const content = v.chatItem.content.msgContent ?? { type: "unknown" };
    this.content = cast<T.MsgContent>(content);
    this.text = typeof content.text === "string" ? content.text : "";
    const info = v.chatInfo;
    this.contact = info.type === "direct" ? cast<T.Contact>(info.contact) : undefined;
    this.groupInfo = info.type === "group" ? cast<T.GroupInfo>(info.groupInfo) : undefined;
    const dir = v.chatItem.chatDir;
    this.member = dir.type === "groupRcv" ? cast<T.GroupMember>(dir.groupMember) : undefined;
    const groupId = info.type === "group" && info.groupInfo ? info.groupInfo.groupId : undefined;
    this.chatRef = cast<T.ChatRef>(groupId !== undefined ? { chatType: "group", chatId: groupId } : { chatType: "direct", chatId: info.contact ? info.contact.contactId : 0 });
    this.command = parseBotCommand(this.text);
    this.itemId = v.chatItem.meta.itemId;
  }

  /** Sends a text to the chat it came from, quoting it. */
  async reply(text: string): Promise<T.AChatItem[]> {
    return sentItems(await this.api.sendMessages(this.chatRef, textMessage(text, this.itemId)));
  }

  /** Sends a text to the chat it came from. */
  async send(text: string): Promise<T.AChatItem[]> {
    return sentItems(await this.api.sendMessages(this.chatRef, textMessage(text)));
  }

  async react(emoji: string): Promise<void> {
    await this.api.react(this.chatRef, this.itemId, true, cast<T.MsgReaction>({ type: "emoji", emoji }));
  }

  /** Deletes it: for everyone in a group (as a moderator), for both sides in a direct chat. */
  async delete(): Promise<void> {
    if (this.groupInfo) await this.api.deleteMemberItems(this.groupInfo.groupId, [this.itemId]);
    else await this.api.deleteItems(this.chatRef, [this.itemId], cast<T.CIDeleteMode>("broadcast"));
  }
}

/** One text message, quoting an item when given. */
function textMessage(text: string, quotedItemId?: number): T.ComposedMessage[] {
  const message: Record<string, unknown> = { msgContent: { type: "text", text }, mentions: {} };
  if (quotedItemId !== undefined) message["quotedItemId"] = quotedItemId;
  return cast<T.ComposedMessage[]>([message]);
}

const sentItems = (response: unknown): T.AChatItem[] => field<T.AChatItem[]>(response, "chatItems");

const asList = <V,>(v: V | readonly V[]): readonly V[] => (Array.isArray(v) ? v : [v as V]);

function matches(filter: MessageFilter, msg: Message): boolean {
  if (filter.contentType !== undefined && !asList(filter.contentType).includes(msg.content.type)) return false;
  if (typeof filter.text === "string" && msg.text !== filter.text) return false;
  if (filter.text instanceof RegExp && !new RegExp(filter.text.source, filter.text.flags).test(msg.text)) return false;
  if (filter.chatType !== undefined && !asList(filter.chatType).includes(msg.groupInfo ? "group" : "direct")) return false;
  if (filter.groupId !== undefined && !(msg.groupInfo && asList(filter.groupId).includes(msg.groupInfo.groupId))) return false;
  if (filter.contactId !== undefined && !(msg.contact && asList(filter.contactId).includes(msg.contact.contactId))) return false;
  return filter.when ? filter.when(msg) : true;
}

interface Waiter {
  tag: string;
  test: (event: ChatEvent) => boolean;
  resolve: (event: ChatEvent) => void;
}

export class Bot {
  private readonly options: BotOptions;
  private readonly messageHandlers: { filter: MessageFilter; handler: MessageHandler }[] = [];
  private readonly commands = new Map<string, { description: string; handler: CommandHandler }>();
  private readonly middleware: Middleware[] = [];
  private readonly eventHandlers = new Map<string, Set<(event: ChatEvent) => unknown>>();
  private readonly anyHandlers = new Set<(event: ChatEvent) => unknown>();
  private readonly waiters = new Set<Waiter>();
  private readonly pending = new Set<Promise<void>>();
  private unknownCommand: CommandHandler = (msg, _args) => msg.reply(`Unknown command: /${msg.command ? msg.command.name : ""}. Send /help for the list.`);
  private abort = new AbortController();
  private events: AsyncIterableIterator<ChatEvent> | undefined;
  private running: Promise<void> | undefined;
  private api: BotApi | undefined;
  private clientOf: ChatClient | undefined;

  constructor(options: BotOptions) {
    this.options = options;
  }

  /** The client the bot runs on (after `start`). */
  get client(): ChatClient {
    if (!this.clientOf) throw new Error("the bot has not started: call bot.start(client)");
    return this.clientOf;
  }

  /** Handles received messages that pass `filter` (all, without one); the first handler that fits takes it. */
  onMessage(filter: MessageFilter | MessageHandler, handler?: MessageHandler): this {
    if (typeof filter === "function") this.messageHandlers.push({ filter: {}, handler: filter });
    else if (handler) this.messageHandlers.push({ filter, handler });
    else throw new TypeError("onMessage(filter, handler): the handler is missing");
    return this;
  }

  /** Handles `/name args`; `description` is shown by `/help` and in the profile's command menu. */
  onCommand(name: string, description: string, handler: CommandHandler): this {
    if (!/^[^\s/]+$/.test(name)) throw new TypeError(`a bot command name is a word without spaces or "/": ${JSON.stringify(name)}`);
    this.commands.set(name, { description, handler });
    return this;
  }

  /** Answers commands the bot does not have (by default: a reply naming /help). */
  onUnknownCommand(handler: CommandHandler): this {
    this.unknownCommand = handler;
    return this;
  }

  /** Runs before the handlers, in the order added; a message stops where one does not call `next()`. */
  use(middleware: Middleware): this {
    this.middleware.push(middleware);
    return this;
  }

  /** Calls `handler` with every event of this tag, typed as that event; returns the unsubscribe. */
  onEvent<K extends ChatEvent["type"]>(tag: K, handler: EventHandler<K>): () => void {
    let set = this.eventHandlers.get(tag);
    if (!set) this.eventHandlers.set(tag, (set = new Set()));
    const h = handler as (event: ChatEvent) => unknown;
    set.add(h);
    return () => this.off(tag, handler);
  }

  /** Like onEvent, for the next event of this tag only. */
  once<K extends ChatEvent["type"]>(tag: K, handler: EventHandler<K>): () => void {
    const wrapper = Object.assign((event: Extract<ChatEvent, { type: K }>) => {
      off();
      return handler(event);
    }, { inner: handler });
    const off = this.onEvent(tag, wrapper);
    return off;
  }

  off<K extends ChatEvent["type"]>(tag: K, handler: EventHandler<K>): void {
    const set = this.eventHandlers.get(tag);
    if (!set) return;
    for (const h of set) if (h === handler || (h as { inner?: unknown }).inner === handler) set.delete(h);
    set.delete(handler as (event: ChatEvent) => unknown);
  }

  /** Calls `handler` with every event; returns the unsubscribe. */
  onAny(handler: (event: ChatEvent) => unknown): () => void {
    this.anyHandlers.add(handler);
    return () => void this.anyHandlers.delete(handler);
  }

  /** The next event of this tag that satisfies `predicate`; rejects after `timeoutMs` (default 30 s). */
  wait<K extends ChatEvent["type"]>(tag: K, predicate?: (event: Extract<ChatEvent, { type: K }>) => boolean, timeoutMs = 30_000): Promise<Extract<ChatEvent, { type: K }>> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        tag,
        test: (event) => (predicate ? predicate(event as Extract<ChatEvent, { type: K }>) : true),
        resolve: (event) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(event as Extract<ChatEvent, { type: K }>);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no ${tag} event${predicate ? " that fits" : ""} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Sends a text to a chat, then waits for an event of `tag` that fits (listening from before it sends). */
  async sendAndWait<K extends ChatEvent["type"]>(chat: T.ChatRef, text: string, tag: K, predicate?: (event: Extract<ChatEvent, { type: K }>) => boolean, timeoutMs?: number): Promise<Extract<ChatEvent, { type: K }>> {
    const waiting = this.wait(tag, predicate, timeoutMs);
    await this.sendText(chat, text);
    return waiting;
  }

  async sendText(chat: T.ChatRef, text: string): Promise<T.AChatItem[]> {
    return sentItems(await this.bound().sendMessages(chat, textMessage(text)));
  }

  /** Syncs the chat core with what the bot declares, then handles events until `stop`. */
  async start(client: ChatClient): Promise<BotStartReport> {
    if (this.running) throw new Error("the bot is running already");
    this.clientOf = client;
    const api = (this.api = botApi(client));
    this.abort = new AbortController();
    // Events from now on: none is missed while the steps run.
    const events = (this.events = client.events());
    let report: BotStartReport;
    try {
      report = await this.sync(api);
    } catch (e) {
      await events.return?.();
      this.events = undefined;
      throw e;
    }
    this.running = this.loop(events);
    return report;
  }

  /**
   * Stops taking events; handlers still running get `timeoutMs` (default 5 s) to finish, then their message's
   * `signal` aborts. Resolves with how many did not finish. The client stays open.
   */
  async stop(timeoutMs = 5000): Promise<{ unfinished: number }> {
    const events = this.events;
    this.events = undefined;
    await events?.return?.();
    await this.running;
    this.running = undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
    const done = await Promise.race([Promise.allSettled([...this.pending]).then(() => "done" as const), timedOut]);
    clearTimeout(timer);
    const unfinished = done === "timeout" ? this.pending.size : 0;
    this.abort.abort();
    return { unfinished };
  }

  private bound(): BotApi {
    if (!this.api) throw new Error("the bot has not started: call bot.start(client)");
    return this.api;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private report(error: unknown, where: string): void {
    if (this.options.onError) this.options.onError(error, where);
    else console.error(`bot: ${where}:`, error);
  }

  private async step<R>(name: string, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (e) {
      throw new BotStartError(name, e);
    }
  }

  private async sync(api: BotApi): Promise<BotStartReport> {
    const o = this.options;
    if (api.startChat) {
      const start = api.startChat;
      await this.step("start the chat", () => start());
    }
    const profile = this.profile();
    const userOf = (r: unknown) => field<T.User>(r, "user");
    const found = await this.step("read the active user", () => api.activeUser().then(userOf, (e: unknown) => (isNoActiveUser(e) ? undefined : Promise.reject(e))));
    const userStep = found ? "used" : "created";
    if (!found) this.log("no active user: creating one");
    let user: T.User = found ?? (await this.step("create the user", () => api.createActiveUser(cast<T.Profile>(profile)).then(userOf)));
    const userId = field<number>(user, "userId");
    const linkOf = (r: unknown) => field<LinkView>(r, "contactLink");
    let link = await this.step("read the address", () => api.address(userId).then(linkOf, (e: unknown) => (isNoAddress(e) ? undefined : Promise.reject(e))));
    let addressStep: BotStartReport["steps"]["address"] = link ? "used" : "none";
    if (!link && o.createAddress !== false) {
      this.log("no address: creating one");
      await this.step("create the address", () => api.createAddress(userId));
      link = await this.step("read the new address", () => api.address(userId).then(linkOf));
      addressStep = "created";
    }
    let settingsStep: BotStartReport["steps"]["addressSettings"] = "none";
    const address = link ? link.connLinkContact.connShortLink ?? link.connLinkContact.connFullLink : undefined;
    if (link) {
      const wanted: Record<string, unknown> = { businessAddress: false };
      if (o.autoAccept !== false) wanted["autoAccept"] = { acceptIncognito: false };
      if (o.welcome !== undefined) wanted["autoReply"] = { type: "text", text: o.welcome };
      settingsStep = sameJson(link.addressSettings, wanted) ? "kept" : "updated";
      if (settingsStep === "updated") {
        this.log("address settings differ: updating them");
        await this.step("set the address settings", () => api.setAddressSettings(userId, cast<T.AddressSettings>(wanted)));
      }
    }
    // The profile as the chat core holds it, without the local id and alias.
    const { profileId: _id, localAlias: _alias, ...current } = field<ProfileView>(user, "profile");
    // Preferences the bot does not set stay as they are (a chat core fills in the ones a profile leaves out).
    const wantedProfile: ProfileView = { ...current, ...profile, preferences: { ...current.preferences, ...profile.preferences } };
    if (address !== undefined) wantedProfile["contactLink"] = address;
    const profileStep = sameJson(current, wantedProfile) ? "kept" : "updated";
    if (profileStep === "updated") {
      this.log("profile differs: updating it");
      await this.step("update the profile", () => api.updateProfile(userId, cast<T.Profile>(wantedProfile)));
      user = cast<T.User>({ ...cast<Record<string, unknown>>(user), profile: { ...field<ProfileView>(user, "profile"), ...wantedProfile } });
    }
    return { user, address, steps: { user: userStep, address: addressStep, addressSettings: settingsStep, profile: profileStep } };
  }

  /** The profile the bot wants: a bot's, with its command menu and what contacts may send. */
  private profile(): ProfileView & { preferences: Record<string, unknown> } {
    const p = this.options.profile;
    const commands = [...this.menu()].map(([keyword, label]) => ({ type: "command", keyword, label }));
    const preferences = { files: { allow: this.options.allowFiles ? "yes" : "no" }, calls: { allow: "no" }, voice: { allow: "no" }, commands };
    const profile: ProfileView & { preferences: Record<string, unknown> } = { displayName: p.displayName, fullName: p.fullName ?? "", preferences, peerType: "bot" };
    if (p.shortDescr !== undefined) profile["shortDescr"] = p.shortDescr;
    if (p.image !== undefined) profile["image"] = p.image;
    return profile;
  }

  /** The commands `/help` lists and the profile's menu shows, by name. */
  private menu(): Map<string, string> {
    const menu = new Map<string, string>();
    for (const [name, c] of this.commands) menu.set(name, c.description);
    if (this.options.help !== false && !menu.has("help")) menu.set("help", "Lists the commands");
    return menu;
  }

  private helpText(): string {
    return ["Commands:", ...[...this.menu()].map(([name, description]) => `/${name} - ${description}`)].join("\n");
  }

  private async loop(events: AsyncIterableIterator<ChatEvent>): Promise<void> {
    for (;;) {
      const next = await events.next();
      if (next.done) return;
      this.dispatch(next.value);
    }
  }

  private dispatch(event: ChatEvent): void {
    for (const w of [...this.waiters]) {
      if (w.tag !== event.type) continue;
      let fits = false;
      try {
        fits = w.test(event);
      } catch (e) {
        this.report(e, `a ${event.type} wait's predicate`);
      }
      if (fits) w.resolve(event);
    }
    const handlers = [...(this.eventHandlers.get(event.type) ?? []), ...this.anyHandlers];
    for (const h of handlers) this.track(async () => h(event), `a ${event.type} handler`);
    if ((event.type as string) === "newChatItems") this.track(() => this.received(field<readonly T.AChatItem[]>(event, "chatItems")), "a message handler");
  }

  private track(run: () => Promise<unknown>, where: string): void {
    const p: Promise<void> = run().then(
      () => undefined,
      (e: unknown) => this.report(e, where),
    );
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async received(items: readonly T.AChatItem[]): Promise<void> {
    for (const item of items) {
      if (cast<ItemView>(item).chatItem.content.type !== "rcvMsgContent") continue;
      const msg = new Message(item, this.bound(), this.abort.signal);
      try {
        await this.through(0, msg);
      } catch (e) {
        this.report(e, msg.command ? `the /${msg.command.name} command` : "a message handler");
      }
    }
  }

  private async through(i: number, msg: Message): Promise<void> {
    const m = this.middleware[i];
    if (m) {
      await m(msg, () => this.through(i + 1, msg));
      return;
    }
    await this.route(msg);
  }

  private async route(msg: Message): Promise<void> {
    const command = msg.command;
    if (command) {
      const own = this.commands.get(command.name);
      if (own) return void (await own.handler(msg, command.args));
      if (command.name === "help" && this.options.help !== false) return void (await msg.reply(this.helpText()));
      if (this.commands.size > 0 || this.options.help !== false) return void (await this.unknownCommand(msg, command.args));
    }
    const h = this.messageHandlers.find((m) => matches(m.filter, msg));
    if (h) await h.handler(msg);
  }
}

function isNoActiveUser(e: unknown): boolean {
  return chatErrorOf(e) === "error noActiveUser";
}

function isNoAddress(e: unknown): boolean {
  return chatErrorOf(e) === "errorStore userContactLinkNotFound";
}

/** Equal as JSON, whatever the order of keys, and with absent and undefined fields the same. */
function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

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
