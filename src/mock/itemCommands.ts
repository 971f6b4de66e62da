/** The mock's handlers of chat items, reactions and files. */
import type { Json } from './shape.js';
import type { World } from './world.js';
import { answer, chatError, chatOf, type Handler, inGroup, isChat, itemsOf, num, type Outcome, type Params, sameJson, storeError, withUser } from './handlers.js';
function sendMessages(w: World, p: Params, user: Json): Outcome {
  const chat = chatOf(w, p['sendRef'] ?? p['chatRef']);
  if (!isChat(chat)) return chat;
  const messages = (Array.isArray(p['composedMessages']) ? p['composedMessages'] : []) as Json[];
  const entries = messages.map((m) => {
    const fileSource = m['fileSource'] as { filePath?: string } | undefined;
    const file = fileSource?.filePath ? { name: fileSource.filePath.split(/[\\/]/).pop()!, size: 0 } : undefined;
    const msgContent = (m['msgContent'] ?? { type: 'text', text: '' }) as Json;
    const entry = w.createItem(num(user['userId']), chat, msgContent, undefined, file);
    const itemId = num((entry.item['meta'] as Json)['itemId']);
    w.sent.push({ chat, to: w.chatName(chat), itemId, text: typeof msgContent['text'] === 'string' ? msgContent['text'] : '', msgContent, ...(file ? { file: file.name } : {}) });
    return itemId;
  });
  return answer({ type: 'newChatItems', user, chatItems: entries.map((id) => w.aChatItem(id)) });
}

export const ITEM_HANDLERS: Readonly<Record<string, Handler>> = {
  APISendMessages: withUser((w, p, user) => sendMessages(w, p, user)),
  APIUpdateChatItem: withUser((w, p, user) => {
    const chat = chatOf(w, p['chatRef']);
    if (!isChat(chat)) return chat;
    const ids = itemsOf(w, chat, p['chatItemId']);
    if (!Array.isArray(ids)) return ids;
    const entry = w.items.get(ids[0]!)!;
    if (entry.from !== undefined) return chatError({ type: 'invalidChatItemUpdate' });
    const content = entry.item['content'] as Json;
    const msgContent = ((p['updatedMessage'] as Json | undefined)?.['msgContent'] ?? {}) as Json;
    if (sameJson(content['msgContent'], msgContent)) return answer({ type: 'chatItemNotChanged', user, chatItem: w.aChatItem(ids[0]!) });
    content['msgContent'] = w.shaper.value(['ref', 'MsgContent'], msgContent);
    const meta = entry.item['meta'] as Json;
    meta['itemText'] = typeof msgContent['text'] === 'string' ? msgContent['text'] : '';
    meta['itemEdited'] = true;
    meta['updatedAt'] = w.now();
    return answer({ type: 'chatItemUpdated', user, chatItem: w.aChatItem(ids[0]!) });
  }),
  APIDeleteChatItem: withUser((w, p, user) => {
    const chat = chatOf(w, p['chatRef']);
    if (!isChat(chat)) return chat;
    const ids = itemsOf(w, chat, p['chatItemIds']);
    if (!Array.isArray(ids)) return ids;
    const deletions = ids.map((id) => ({ deletedChatItem: w.aChatItem(id) }));
    for (const id of ids) w.items.get(id)!.deleted = true;
    return answer({ type: 'chatItemsDeleted', user, chatItemDeletions: deletions, byUser: true, timed: false });
  }),
  APIDeleteMemberChatItem: inGroup((w, p, g, user) => {
    const ids = itemsOf(w, { type: 'group', id: num(g.info['groupId']) }, p['chatItemIds']);
    if (!Array.isArray(ids)) return ids;
    const deletions = ids.map((id) => ({ deletedChatItem: w.aChatItem(id) }));
    for (const id of ids) w.items.get(id)!.deleted = true;
    return answer({ type: 'chatItemsDeleted', user, chatItemDeletions: deletions, byUser: true, timed: false });
  }),
  APIChatItemReaction: withUser((w, p, user) => {
    const chat = chatOf(w, p['chatRef']);
    if (!isChat(chat)) return chat;
    const ids = itemsOf(w, chat, p['chatItemId']);
    if (!Array.isArray(ids)) return ids;
    const item = w.items.get(ids[0]!)!.item;
    const reaction = w.shaper.value(['ref', 'MsgReaction'], p['reaction'] ?? {}) as Json;
    const added = p['add'] !== false;
    w.countReaction(item, reaction, added, true);
    const chatDir = { type: chat.type === 'direct' ? 'directSnd' : 'groupSnd' };
    return answer({ type: 'chatItemReaction', user, added, reaction: { chatInfo: w.chatInfo(chat), chatReaction: { chatDir, chatItem: item, sentAt: w.now(), reaction } } });
  }),

  ReceiveFile: withUser((w, p, user) => {
    const fileId = num(p['fileId']);
    const f = w.files.get(fileId);
    if (!f || f.snd) return storeError({ type: 'rcvFileNotFound', fileId });
    if (f.status === 'sndCancelledByPeer') return answer({ type: 'rcvFileAcceptedSndCancelled', user, rcvFileTransfer: { fileId, fileInvitation: { fileName: f.fileName, fileSize: f.fileSize }, senderDisplayName: w.chatName(w.items.get(f.itemId)!.chat), cancelled: true } });
    if (f.status !== 'invitation') return chatError({ type: 'fileAlreadyReceiving', message: f.fileName });
    const file = w.items.get(f.itemId)!.item['file'] as Json;
    file['fileStatus'] = { type: 'rcvAccepted' };
    const accepted = structuredClone(w.aChatItem(f.itemId));
    f.status = 'complete';
    file['fileStatus'] = { type: 'rcvComplete' };
    return answer({ type: 'rcvFileAccepted', user, chatItem: accepted }, [
      { type: 'rcvFileStart', user, chatItem: accepted },
      { type: 'rcvFileComplete', user, chatItem: structuredClone(w.aChatItem(f.itemId)) },
    ]);
  }),
  CancelFile: withUser((w, p, user) => {
    const fileId = num(p['fileId']);
    const f = w.files.get(fileId);
    if (!f) return storeError({ type: 'fileNotFound', fileId });
    if (f.status === 'complete' || f.status === 'cancelled') return chatError({ type: 'fileCancel', fileId, message: `file ${fileId} is already ${f.status}` });
    f.status = 'cancelled';
    const file = w.items.get(f.itemId)!.item['file'] as Json;
    file['fileStatus'] = { type: f.snd ? 'sndCancelled' : 'rcvCancelled' };
    const chatItem_ = w.aChatItem(f.itemId);
    if (f.snd) return answer({ type: 'sndFileCancelled', user, chatItem_, fileTransferMeta: { fileId, fileName: f.fileName, filePath: f.fileName, fileSize: f.fileSize, chunkSize: 0, cancelled: true }, sndFileTransfers: [] });
    return answer({ type: 'rcvFileCancelled', user, chatItem_, rcvFileTransfer: { fileId, fileInvitation: { fileName: f.fileName, fileSize: f.fileSize }, senderDisplayName: w.chatName(w.items.get(f.itemId)!.chat), cancelled: true } });
  }),
};
