/**
 * Simulated peers: what the people on the other side of the bot do (connect to its address, send texts, files,
 * reactions and commands, join and leave groups, invite it), applied to the world with the events a chat core
 * would send for them, in order, made from the same entities the world keeps, so that the contact in
 * `newChatItems` is the one that `contactConnected` announced.
 */
import type { Tagged } from './commands.js';
import type { Json } from './shape.js';
import type { ChatKey, GroupEntry, World } from './world.js';

/** One thing a simulated peer does. `group` is a group's id or name. */
export type PeerAction =
  | { action: 'connect'; name: string; via?: 'address' | 'invitation' | 'direct' }
  | { action: 'send'; from: string; text?: string; msgContent?: Json; group?: number | string; file?: { name: string; size?: number } }
  | { action: 'react'; from: string; itemId: number; emoji: string; add?: boolean; group?: number | string }
  | { action: 'joinGroup'; name: string; group: number | string }
  | { action: 'leaveGroup'; name: string; group: number | string }
  | { action: 'inviteBot'; from: string; groupName: string }
  | { action: 'cancelFile'; from: string; fileId: number }
  | { action: 'deleteContact'; name: string };

/** The keys each action takes, required first (the scenario checker reads this too). */
export const PEER_ACTIONS: Readonly<Record<PeerAction['action'], { required: readonly string[]; optional: readonly string[] }>> = {
  connect: { required: ['name'], optional: ['via'] },
  send: { required: ['from'], optional: ['text', 'msgContent', 'group', 'file'] },
  react: { required: ['from', 'itemId', 'emoji'], optional: ['add', 'group'] },
  joinGroup: { required: ['name', 'group'], optional: [] },
  leaveGroup: { required: ['name', 'group'], optional: [] },
  inviteBot: { required: ['from', 'groupName'], optional: [] },
  cancelFile: { required: ['from', 'fileId'], optional: [] },
  deleteContact: { required: ['name'], optional: [] },
};

/** A peer action that cannot happen in this world (no address to connect to, no such contact). */
export class PeerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PeerError';
  }
}

export interface PeerOutcome {
  events: Tagged[];
  /** Ids of what the action made: `contactId`, `contactRequestId`, `itemId`, `groupMemberId`, `groupId`. */
  result: Record<string, number>;
}

const num = (v: unknown): number => Number(v);

function activeUser(w: World): Json {
  const user = w.user;
  if (!user) throw new PeerError('the mock chat core has no active user: create one first (CreateActiveUser)');
  return user;
}

export function contactNamed(w: World, name: string): { contactId: number; contact: Json } {
  for (const [contactId, c] of w.contacts)
    if (c.userId === w.activeUserId && (c.contact['localDisplayName'] === name || (c.contact['profile'] as Json)['displayName'] === name)) return { contactId, contact: c.contact };
  throw new PeerError(`no contact named ${JSON.stringify(name)}: connect it first`);
}

function groupNamed(w: World, group: number | string): GroupEntry {
  for (const [id, g] of w.groups) if (g.userId === w.activeUserId && (id === group || g.info['localDisplayName'] === group || String(id) === String(group))) return g;
  throw new PeerError(`no group ${JSON.stringify(group)}`);
}

function memberNamed(g: GroupEntry, name: string): Json {
  for (const m of g.members.values()) if (m['localDisplayName'] === name && m['memberStatus'] !== 'left' && m['memberStatus'] !== 'removed') return m;
  throw new PeerError(`${JSON.stringify(name)} is not a member of group ${JSON.stringify(g.info['localDisplayName'])}`);
}

function connect(w: World, name: string, via: 'address' | 'invitation' | 'direct'): PeerOutcome {
  const user = activeUser(w);
  const userId = num(user['userId']);
  if (via === 'invitation') {
    const pending = [...w.connections].find(([, c]) => c.userId === userId && c.invitation !== undefined);
    if (!pending) throw new PeerError(`${name} cannot connect by invitation: the bot made none (APIAddContact)`);
    w.connections.delete(pending[0]);
  }
  const address = w.addresses.get(userId);
  if (via === 'address') {
    if (!address) throw new PeerError(`${name} cannot connect: the bot has no address (APICreateMyAddress), or connect with via "direct"`);
    const settings = (address['addressSettings'] ?? {}) as Json;
    if (!settings['autoAccept']) {
      const contactRequest = w.createRequest(userId, name, { contactLink: peerLink(name) });
      return { events: [{ type: 'receivedContactRequest', user, contactRequest }], result: { contactRequestId: num(contactRequest['contactRequestId']) } };
    }
  }
  const contact = w.createContact(userId, name, { contactLink: peerLink(name) });
  const contactId = num(contact['contactId']);
  const events: Tagged[] = [{ type: 'contactConnected', user, contact }];
  const autoReply = via === 'address' ? ((address?.['addressSettings'] ?? {}) as Json)['autoReply'] : undefined;
  if (autoReply && typeof autoReply === 'object') {
    // The chat core sends the address's auto-reply itself: it shows as the bot's message.
    const chat: ChatKey = { type: 'direct', id: contactId };
    const entry = w.createItem(userId, chat, autoReply as Json);
    const itemId = num((entry.item['meta'] as Json)['itemId']);
    w.sent.push({ chat, to: String(contact['localDisplayName']), itemId, text: String((autoReply as Json)['text'] ?? ''), msgContent: autoReply as Json });
    events.push({ type: 'newChatItems', user, chatItems: [w.aChatItem(itemId)] });
  }
  return { events, result: { contactId } };
}

/** A peer's own address, as its profile carries it (connecting to it gives contactAlreadyExists). */
export function peerLink(name: string): string {
  return `https://simplex.chat/contact#/?mock=peer-${encodeURIComponent(name)}`;
}

function chatOfPeer(w: World, from: string, group: number | string | undefined): { chat: ChatKey; sender: number } {
  if (group === undefined) {
    const { contactId } = contactNamed(w, from);
    return { chat: { type: 'direct', id: contactId }, sender: contactId };
  }
  const g = groupNamed(w, group);
  return { chat: { type: 'group', id: num(g.info['groupId']) }, sender: num(memberNamed(g, from)['groupMemberId']) };
}

export function applyPeerAction(w: World, a: PeerAction): PeerOutcome {
  switch (a.action) {
    case 'connect':
      return connect(w, a.name, a.via ?? 'address');
    case 'send': {
      const user = activeUser(w);
      const { chat, sender } = chatOfPeer(w, a.from, a.group);
      const file = a.file ? { name: a.file.name, size: a.file.size ?? 1024 } : undefined;
      const msgContent = a.msgContent ?? { type: file ? 'file' : 'text', text: a.text ?? '' };
      const entry = w.createItem(num(user['userId']), chat, msgContent, sender, file);
      const itemId = num((entry.item['meta'] as Json)['itemId']);
      const fileId = file ? num((entry.item['file'] as Json)['fileId']) : undefined;
      return { events: [{ type: 'newChatItems', user, chatItems: [w.aChatItem(itemId)] }], result: { itemId, ...(fileId === undefined ? {} : { fileId }) } };
    }
    case 'react': {
      const user = activeUser(w);
      const { chat, sender } = chatOfPeer(w, a.from, a.group);
      const entry = w.itemIn(chat, a.itemId);
      if (!entry) throw new PeerError(`no item ${a.itemId} in the chat with ${a.from}`);
      const reaction = { type: 'emoji', emoji: a.emoji };
      const added = a.add !== false;
      w.countReaction(entry.item, reaction, added, false);
      const chatDir = chat.type === 'direct' ? { type: 'directRcv' } : { type: 'groupRcv', groupMember: w.groups.get(chat.id)!.members.get(sender) };
      return {
        events: [{ type: 'chatItemReaction', user, added, reaction: { chatInfo: w.chatInfo(chat), chatReaction: { chatDir, chatItem: entry.item, sentAt: w.now(), reaction } } }],
        result: { itemId: a.itemId },
      };
    }
    case 'joinGroup': {
      const user = activeUser(w);
      const g = groupNamed(w, a.group);
      const invited = [...g.members.values()].find((m) => m['localDisplayName'] === a.name && m['memberStatus'] === 'invited');
      let member = invited;
      if (!member) {
        if (!g.link) throw new PeerError(`${a.name} cannot join group ${JSON.stringify(g.info['localDisplayName'])}: it has no link (APICreateGroupLink) and ${a.name} was not invited (APIAddMember)`);
        const contact = [...w.contacts.values()].find((c) => c.userId === w.activeUserId && c.contact['localDisplayName'] === a.name);
        member = w.member(num(g.info['groupId']), a.name, {
          memberRole: g.link['acceptMemberRole'] ?? 'member',
          memberCategory: 'invitee',
          memberStatus: 'invited',
          ...(contact ? { memberContactId: contact.contact['contactId'] } : {}),
        });
        g.members.set(num(member['groupMemberId']), member);
      }
      member['memberStatus'] = 'connected';
      return { events: [{ type: 'joinedGroupMember', user, groupInfo: g.info, member }], result: { groupMemberId: num(member['groupMemberId']) } };
    }
    case 'leaveGroup': {
      const user = activeUser(w);
      const g = groupNamed(w, a.group);
      const member = memberNamed(g, a.name);
      member['memberStatus'] = 'left';
      g.members.delete(num(member['groupMemberId']));
      return { events: [{ type: 'leftMember', user, groupInfo: g.info, member }], result: { groupMemberId: num(member['groupMemberId']) } };
    }
    case 'inviteBot': {
      const user = activeUser(w);
      const { contactId, contact } = contactNamed(w, a.from);
      const g = w.createGroup(num(user['userId']), { displayName: a.groupName, fullName: '' }, 'member');
      const host = w.member(num(g.info['groupId']), a.from, { memberRole: 'owner', memberCategory: 'host', memberStatus: 'connected', memberContactId: contactId });
      g.members.set(num(host['groupMemberId']), host);
      return {
        events: [{ type: 'receivedGroupInvitation', user, groupInfo: g.info, contact, fromMemberRole: 'owner', memberRole: 'member' }],
        result: { groupId: num(g.info['groupId']) },
      };
    }
    case 'cancelFile': {
      const user = activeUser(w);
      const f = w.files.get(a.fileId);
      const entry = f && w.items.get(f.itemId);
      if (!f || f.snd || !entry || entry.from === undefined || w.chatName(entry.chat) !== a.from) throw new PeerError(`${a.from} sent no file ${a.fileId}`);
      f.status = 'sndCancelledByPeer';
      (entry.item['file'] as Json)['fileStatus'] = { type: 'rcvCancelled' };
      return {
        events: [{ type: 'rcvFileSndCancelled', user, chatItem: w.aChatItem(f.itemId), rcvFileTransfer: { fileId: f.fileId, fileInvitation: { fileName: f.fileName, fileSize: f.fileSize }, senderDisplayName: a.from, cancelled: true } }],
        result: { fileId: f.fileId },
      };
    }
    case 'deleteContact': {
      const user = activeUser(w);
      const { contactId, contact } = contactNamed(w, a.name);
      contact['contactStatus'] = 'deleted';
      w.contacts.delete(contactId);
      return { events: [{ type: 'contactDeletedByContact', user, contact }], result: { contactId } };
    }
  }
}

/** Why `value` is not a peer action, or undefined when it is one. */
export function peerActionProblem(value: unknown): { key?: string; message: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { message: 'a peer action is a JSON object {"action": "<name>", …}' };
  const v = value as Json;
  const spec = typeof v['action'] === 'string' && Object.hasOwn(PEER_ACTIONS, v['action']) ? PEER_ACTIONS[v['action'] as PeerAction['action']] : undefined;
  if (!spec) return { key: 'action', message: `${JSON.stringify(v['action'])} is not a peer action: one of ${Object.keys(PEER_ACTIONS).join(', ')}` };
  for (const k of spec.required) if (v[k] === undefined) return { message: `${String(v['action'])} needs "${k}"` };
  for (const k of Object.keys(v)) if (k !== 'action' && !spec.required.includes(k) && !spec.optional.includes(k)) return { key: k, message: `unknown key "${k}" of ${String(v['action'])}: it takes ${[...spec.required, ...spec.optional].join(', ')}` };
  return undefined;
}
