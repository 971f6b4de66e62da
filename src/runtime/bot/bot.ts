/** The bot: its handlers, its start-up steps, and the loop that hands each received message to one handler. */
import { ChatClient } from "../client.js";
import type { ChatEvent } from "../events.js";
import type * as T from "../types.js";
import { botApi, type BotApi } from "../botApi.js";
import { cast, field, type CommandHandler, type EventHandler, type ItemView, type LinkView, matches, Message, type MessageFilter, type MessageHandler, type Middleware, type ProfileView, sentItems, textMessage } from './message.js';
import { BotStartError, type BotOptions, type BotStartReport, isNoActiveUser, isNoAddress, sameJson } from './options.js';

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
