/**
 * The chat list (`/_get chats`, APIGetChats): the previews of a user's chats as the chat core keeps them — each
 * contact and group, the contact requests, and with `pcc=on` the pending connections; each with its last item and
 * its unread count; the most recently active first; filtered by the query and cut at the pagination's count.
 */
import { answer, withUser, type Handler, type Params } from './handlers.js';
import type { Json } from './shape.js';
import type { ItemEntry, World } from './world.js';

interface Preview {
  /** When the chat last changed: its last item's time, else the chat's own. ISO times compare as strings. */
  ts: string;
  /** Breaks ties of `ts` (one clock tick): the higher id first, then by kind; the same order on every run. */
  order: number;
  chat: Json;
  name: string;
  fullName: string;
  favorite: boolean;
  unread: number;
}

/** The last item and the received items not yet read, per chat (`direct 3`, `group 1`). */
function itemsByChat(w: World, userId: number): Map<string, { last: ItemEntry; unread: number; minUnread: number }> {
  const out = new Map<string, { last: ItemEntry; unread: number; minUnread: number }>();
  for (const [itemId, e] of w.items) {
    if (e.deleted || e.userId !== userId) continue;
    const key = `${e.chat.type} ${e.chat.id}`;
    const seen = out.get(key) ?? { last: e, unread: 0, minUnread: 0 };
    seen.last = e; // the items map keeps the order they were made in
    const status = ((e.item['meta'] as Json | undefined)?.['itemStatus'] as Json | undefined)?.['type'];
    if (status === 'rcvNew') {
      seen.unread++;
      if (seen.minUnread === 0) seen.minUnread = itemId;
    }
    out.set(key, seen);
  }
  return out;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function previews(w: World, userId: number, pendingConnections: boolean): Preview[] {
  const items = itemsByChat(w, userId);
  const out: Preview[] = [];
  const add = (type: 'direct' | 'group', id: number, info: Json, entity: Json, order: number) => {
    const seen = items.get(`${type} ${id}`);
    const lastTs = text((seen?.last.item['meta'] as Json | undefined)?.['itemTs']);
    const ownTs = text(entity['updatedAt']);
    out.push({
      ts: lastTs > ownTs ? lastTs : ownTs,
      order,
      chat: {
        chatInfo: info,
        chatItems: seen ? [seen.last.item] : [],
        chatStats: { unreadCount: seen?.unread ?? 0, unreadMentions: 0, reportsCount: 0, minUnreadItemId: seen?.minUnread ?? 0, unreadChat: false },
      },
      name: text(entity['localDisplayName']),
      fullName: text((entity['groupProfile'] as Json | undefined)?.['fullName'] ?? (entity['profile'] as Json | undefined)?.['fullName']),
      favorite: (entity['chatSettings'] as Json | undefined)?.['favorite'] === true,
      unread: seen?.unread ?? 0,
    });
  };
  for (const [id, c] of w.contacts) if (c.userId === userId) add('direct', id, w.chatInfo({ type: 'direct', id }), c.contact, 4 * id);
  for (const [id, g] of w.groups) if (g.userId === userId) add('group', id, w.chatInfo({ type: 'group', id }), g.info, 4 * id + 1);
  const other = (chatInfo: Json, entity: Json, order: number) =>
    out.push({ ts: text(entity['updatedAt']), order, chat: { chatInfo, chatItems: [], chatStats: { unreadCount: 0, unreadMentions: 0, reportsCount: 0, minUnreadItemId: 0, unreadChat: false } }, name: text(entity['localDisplayName']), fullName: '', favorite: false, unread: 0 });
  for (const [id, r] of w.requests) if (r.userId === userId) other({ type: 'contactRequest', contactRequest: r.request }, r.request, 4 * id + 2);
  if (pendingConnections) for (const [id, c] of w.connections) if (c.userId === userId) other({ type: 'contactConnection', contactConnection: c.connection }, c.connection, 4 * id + 3);
  return out;
}

/** Whether a chat passes the query: `filters` (favorite, unread: each only when on) or `search` (in its names). */
function matches(p: Preview, query: Json | undefined): boolean {
  if (query?.['type'] === 'search') {
    const search = text(query['search']).toLowerCase();
    return p.name.toLowerCase().includes(search) || p.fullName.toLowerCase().includes(search);
  }
  if (query?.['type'] === 'filters') return (query['favorite'] !== true || p.favorite) && (query['unread'] !== true || p.unread > 0);
  return true;
}

export const CHAT_LIST_HANDLERS: Readonly<Record<string, Handler>> = {
  APIGetChats: withUser((w: World, p: Params, user: Json) => {
    const pagination = p['pagination'] as Json | undefined;
    const count = typeof pagination?.['count'] === 'number' ? Math.max(0, pagination['count']) : Infinity;
    const chats = previews(w, Number(user['userId']), p['pendingConnections'] === true)
      .filter((x) => matches(x, p['query'] as Json | undefined))
      .sort((a, b) => (a.ts === b.ts ? b.order - a.order : a.ts < b.ts ? 1 : -1))
      .slice(0, count)
      .map((x) => x.chat);
    return answer({ type: 'apiChats', user, chats });
  }),
};
