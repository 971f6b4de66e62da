/**
 * New chat items, made fast: the first item of each kind is shaped along the model's ChatItem, and later items of
 * the kind fill that template with their own values (a sent message's cost was mostly the walk of the schema).
 */
import type { Shaper, Json } from './shape.js';
import type { ChatKey, FileEntry, GroupEntry, ItemEntry } from './worldEntries.js';

/** What making an item needs of the world (World has it). */
export interface ItemWorld {
  readonly shaper: Shaper;
  readonly groups: Map<number, GroupEntry>;
  readonly items: Map<number, ItemEntry>;
  readonly files: Map<number, FileEntry>;
  id(kind: string): number;
  now(): string;
}

export class ChatItemMaker {
  /**
   * Per kind of chat item (direct or group, sent or received, with a file or not): true when items are made as
   * this API version has them, else the first as shaped.
   */
  private readonly shapes = new Map<string, Json | true>();

  /** A new chat item in a chat: sent by the bot (`from` undefined) or received from a contact or member. */
  create(w: ItemWorld, userId: number, chat: ChatKey, msgContent: Json, from?: number, file?: { name: string; size: number }): ItemEntry {
  const itemId = w.id('chatItem');
  const t = w.now();
  const snd = from === undefined;
  const chatDir =
    chat.type === 'direct' ? { type: snd ? 'directSnd' : 'directRcv' } : snd ? { type: 'groupSnd' } : { type: 'groupRcv', groupMember: w.groups.get(chat.id)!.members.get(from!) };
  const item: Json = {
    chatDir,
    meta: {
      itemId,
      itemTs: t,
      itemText: typeof msgContent['text'] === 'string' ? msgContent['text'] : '',
      itemStatus: { type: snd ? 'sndNew' : 'rcvNew' },
      itemEdited: false,
      userMention: false,
      deletable: snd,
      editable: snd,
      showGroupAsSender: false,
      createdAt: t,
      updatedAt: t,
    },
    // The message as the chat core keeps it (what a command carried may hold more, or less).
    // Shaped (so trusted): it goes into a template whole, whatever its kind of content.
    content: { type: snd ? 'sndMsgContent' : 'rcvMsgContent', msgContent: w.shaper.adopt(w.shaper.value(['ref', 'MsgContent'], msgContent) as Json) },
    mentions: {},
    reactions: [],
  };
  if (file) {
    const fileId = w.id('file');
    item['file'] = { fileId, fileName: file.name, fileSize: file.size, fileStatus: { type: snd ? 'sndStored' : 'rcvInvitation' }, fileProtocol: 'xftp' };
    w.files.set(fileId, { userId, fileId, itemId, fileName: file.name, fileSize: file.size, snd, status: 'invitation' });
  }
  // The first item of each kind is made by the shaper. When that changes nothing, this API version takes the
  // item as it is; else the first item, as shaped, is the template that later items of the kind fill with their
  // own values. Either way later items skip the walk of the schema (most of what a sent message costs).
  const kind = `${chat.type} ${snd} ${file !== undefined}`;
  const shape = this.shapes.get(kind);
  let made: Json;
  if (shape === true) made = w.shaper.adopt(item);
  else if (shape !== undefined) made = w.shaper.adopt(filledShape(shape, item, w.shaper));
  else {
    const fits = w.shaper.fits('ChatItem', item);
    made = fits ? w.shaper.adopt(item) : w.shaper.make('ChatItem', item, false);
    this.shapes.set(kind, fits ? true : copyJson(made));
  }
  const entry: ItemEntry = { userId, chat, item: made, ...(snd ? {} : { from }) };
  w.items.set(itemId, entry);
  return entry;
  }
}

function copyJson(value: Json): Json {
  const copy = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(copy);
    if (v === null || typeof v !== 'object') return v;
    const out: Json = {};
    for (const k in v) out[k] = copy((v as Json)[k]);
    return out;
  };
  return copy(value) as Json;
}

/**
 * `given` put into a copy of a shaped template: only where the template has the key (this API version's fields),
 * into copies of the template's own objects, except values the shaper already made (entities) and lists, which
 * go in whole; the rest of the template copied. One walk: the copy is made as it is filled.
 */
function filledShape(template: Json, given: Json, shaper: Shaper): Json {
  const out: Json = {};
  for (const k in template) {
    const t = template[k];
    if (!Object.hasOwn(given, k)) {
      out[k] = t !== null && typeof t === 'object' ? copyJson(t as Json) : t;
      continue;
    }
    const v = given[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && t !== null && typeof t === 'object' && !Array.isArray(t) && !shaper.isTrusted(v)) out[k] = filledShape(t as Json, v as Json, shaper);
    else out[k] = v;
  }
  return out;
}
