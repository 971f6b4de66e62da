/** What a handler is given: the received message, the filters that choose its handler, and the views the framework reads values through. */
import type { BotApi } from "../botApi.js";
import type { ChatEvent } from "../events.js";
import type * as T from "../types.js";

/**
 * What the framework reads of the API's values, and writes. The documents' types may differ between API versions
 * (a field added, a member renamed): the framework goes through these views, so that it compiles against any
 * version that has the types its signatures name; its tests run it on every version of the corpus.
 */
export interface ItemView {
  chatInfo: { type: string; contact?: { contactId: number }; groupInfo?: { groupId: number } };
  chatItem: { chatDir: { type: string; groupMember?: unknown }; meta: { itemId: number }; content: { type: string; msgContent?: { type: string; text?: unknown } } };
}
export interface LinkView {
  connLinkContact: { connFullLink: string; connShortLink?: string };
  addressSettings?: unknown;
}
export type ProfileView = Record<string, unknown> & { preferences?: Record<string, unknown> };
export const cast = <V,>(value: unknown): V => value as V;
export const field = <V,>(value: unknown, name: string): V => (value as Record<string, V>)[name] as V;

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
export function textMessage(text: string, quotedItemId?: number): T.ComposedMessage[] {
  const message: Record<string, unknown> = { msgContent: { type: "text", text }, mentions: {} };
  if (quotedItemId !== undefined) message["quotedItemId"] = quotedItemId;
  return cast<T.ComposedMessage[]>([message]);
}

export const sentItems = (response: unknown): T.AChatItem[] => field<T.AChatItem[]>(response, "chatItems");

const asList = <V,>(v: V | readonly V[]): readonly V[] => (Array.isArray(v) ? v : [v as V]);

export function matches(filter: MessageFilter, msg: Message): boolean {
  if (filter.contentType !== undefined && !asList(filter.contentType).includes(msg.content.type)) return false;
  if (typeof filter.text === "string" && msg.text !== filter.text) return false;
  if (filter.text instanceof RegExp && !new RegExp(filter.text.source, filter.text.flags).test(msg.text)) return false;
  if (filter.chatType !== undefined && !asList(filter.chatType).includes(msg.groupInfo ? "group" : "direct")) return false;
  if (filter.groupId !== undefined && !(msg.groupInfo && asList(filter.groupId).includes(msg.groupInfo.groupId))) return false;
  if (filter.contactId !== undefined && !(msg.contact && asList(filter.contactId).includes(msg.contact.contactId))) return false;
  return filter.when ? filter.when(msg) : true;
}
