/**
 * What the mock's command handlers share: the outcome of a command (its response and events), the chat core's
 * errors, and how a handler finds the user, chat, group, members and items a command names.
 */
import type { Json } from './shape.js';
import type { ChatKey, GroupEntry, World } from './world.js';

export type Tagged = Json & { type: string };
export interface Outcome {
  resp: Tagged;
  events?: Tagged[];
}
export type Params = Record<string, unknown>;
export type Handler = (w: World, p: Params) => Outcome;

export const chatError = (errorType: Json): Outcome => ({ resp: { type: 'chatCmdError', chatError: { type: 'error', errorType } } });
export const storeError = (error: Json): Outcome => ({ resp: { type: 'chatCmdError', chatError: { type: 'errorStore', storeError: error } } });
export const answer = (resp: Tagged, events?: Tagged[]): Outcome => (events ? { resp, events } : { resp });
export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** The user a command names (`userId`), or the active one; an error outcome when there is none. */
export function userOf(w: World, p: Params): Json | Outcome {
  if (p['userId'] !== undefined) {
    const user = w.users.get(num(p['userId']));
    return user ?? storeError({ type: 'userNotFound', userId: num(p['userId']) });
  }
  return w.user ?? chatError({ type: 'noActiveUser' });
}
export const failed = (x: Json | Outcome): x is Outcome => 'resp' in x;

/** The chat a ChatRef names, for the active user; an error outcome when it does not exist. */
export function chatOf(w: World, ref: unknown): ChatKey | Outcome {
  const r = (ref ?? {}) as { chatType?: string; chatId?: number };
  const id = num(r.chatId);
  const userId = w.activeUserId;
  if (r.chatType === 'direct') {
    const c = w.contacts.get(id);
    return c && c.userId === userId ? { type: 'direct', id } : storeError({ type: 'contactNotFound', contactId: id });
  }
  if (r.chatType === 'group') {
    const g = w.groups.get(id);
    return g && g.userId === userId ? { type: 'group', id } : storeError({ type: 'groupNotFound', groupId: id });
  }
  return chatError({ type: 'commandError', message: `the mock chat core keeps no ${String(r.chatType)} chats` });
}
export const isChat = (x: ChatKey | Outcome): x is ChatKey => 'id' in x;

export function groupOf(w: World, p: Params): GroupEntry | Outcome {
  const id = num(p['groupId']);
  const g = w.groups.get(id);
  return g && g.userId === w.activeUserId ? g : storeError({ type: 'groupNotFound', groupId: id });
}
export const isGroup = (x: GroupEntry | Outcome): x is GroupEntry => 'members' in x;

/** The members a command names, or the error for the first that the group does not have. */
export function membersOf(g: GroupEntry, ids: unknown): Json[] | Outcome {
  const out: Json[] = [];
  for (const id of Array.isArray(ids) ? ids : [ids]) {
    const m = g.members.get(num(id));
    if (!m) return storeError({ type: 'groupMemberNotFound', groupMemberId: num(id) });
    out.push(m);
  }
  return out;
}

/** The items a command names in a chat, or the error for the first that is not there. */
export function itemsOf(w: World, chat: ChatKey, ids: unknown): number[] | Outcome {
  const out: number[] = [];
  for (const id of Array.isArray(ids) ? ids : [ids]) {
    if (!w.itemIn(chat, num(id))) return storeError({ type: 'chatItemNotFound', itemId: num(id) });
    out.push(num(id));
  }
  return out;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function withUser(f: (w: World, p: Params, user: Json) => Outcome): Handler {
  return (w, p) => {
    const user = userOf(w, p);
    return failed(user) ? user : f(w, p, user);
  };
}

export function inGroup(f: (w: World, p: Params, g: GroupEntry, user: Json) => Outcome): Handler {
  return withUser((w, p, user) => {
    const g = groupOf(w, p);
    return isGroup(g) ? f(w, p, g, user) : g;
  });
}

export const ownerOnly = (g: GroupEntry): Outcome | undefined => {
  const role = (g.info['membership'] as Json)['memberRole'];
  return role === 'owner' || role === 'admin' ? undefined : chatError({ type: 'groupUserRole', groupInfo: g.info, requiredRole: 'admin' });
};
