/** What the mock world keeps of each kind of thing: chats, chat items, files, groups, sent messages. */
import type { Json } from './shape.js';

export type ChatKey = { type: 'direct' | 'group'; id: number };

export interface ItemEntry {
  userId: number;
  chat: ChatKey;
  /** A ChatItem. */
  item: Json;
  /** Who sent it: undefined for the bot, else the contact id (direct) or group member id (group). */
  from?: number;
  deleted?: boolean;
}

export interface FileEntry {
  userId: number;
  fileId: number;
  itemId: number;
  fileName: string;
  fileSize: number;
  /** Whether the bot sends it (else it receives it). */
  snd: boolean;
  status: 'invitation' | 'accepted' | 'complete' | 'cancelled' | 'sndCancelledByPeer';
}

export interface GroupEntry {
  userId: number;
  info: Json;
  members: Map<number, Json>;
  link?: Json;
}

/** A message the bot sent, as a test reads it. */
export interface SentMessage {
  /** The chat it went to. */
  chat: ChatKey;
  /** The contact's or group's name. */
  to: string;
  itemId: number;
  /** The message's text (`msgContent.text`). */
  text: string;
  msgContent: Json;
  file?: string;
}
