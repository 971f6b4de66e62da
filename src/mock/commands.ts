/**
 * How the mock chat core runs each command on its world: what changes, and which of the command's documented
 * responses answers, chosen by the world and the parameters (a group delete answers as a group delete; an item
 * that does not exist gets the chat core's store error). Responses and events are partial: the core completes
 * them from the model of the API version it serves. Commands without a handler here get a drawn response.
 */
import type { Json } from './shape.js';
import type { ChatKey, GroupEntry, World } from './world.js';

export type Tagged = Json & { type: string };
export interface Outcome {
  resp: Tagged;
  events?: Tagged[];
}
type Params = Record<string, unknown>;
type Handler = (w: World, p: Params) => Outcome;

export const chatError = (errorType: Json): Outcome => ({ resp: { type: 'chatCmdError', chatError: { type: 'error', errorType } } });
export const storeError = (error: Json): Outcome => ({ resp: { type: 'chatCmdError', chatError: { type: 'errorStore', storeError: error } } });
const answer = (resp: Tagged, events?: Tagged[]): Outcome => (events ? { resp, events } : { resp });
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** The user a command names (`userId`), or the active one; an error outcome when there is none. */
function userOf(w: World, p: Params): Json | Outcome {
  if (p['userId'] !== undefined) {
    const user = w.users.get(num(p['userId']));
    return user ?? storeError({ type: 'userNotFound', userId: num(p['userId']) });
  }
  return w.user ?? chatError({ type: 'noActiveUser' });
}
const failed = (x: Json | Outcome): x is Outcome => 'resp' in x;

/** The chat a ChatRef names, for the active user; an error outcome when it does not exist. */
function chatOf(w: World, ref: unknown): ChatKey | Outcome {
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
const isChat = (x: ChatKey | Outcome): x is ChatKey => 'id' in x;

function groupOf(w: World, p: Params): GroupEntry | Outcome {
  const id = num(p['groupId']);
  const g = w.groups.get(id);
  return g && g.userId === w.activeUserId ? g : storeError({ type: 'groupNotFound', groupId: id });
}
const isGroup = (x: GroupEntry | Outcome): x is GroupEntry => 'members' in x;

/** The members a command names, or the error for the first that the group does not have. */
function membersOf(g: GroupEntry, ids: unknown): Json[] | Outcome {
  const out: Json[] = [];
  for (const id of Array.isArray(ids) ? ids : [ids]) {
    const m = g.members.get(num(id));
    if (!m) return storeError({ type: 'groupMemberNotFound', groupMemberId: num(id) });
    out.push(m);
  }
  return out;
}

/** The items a command names in a chat, or the error for the first that is not there. */
function itemsOf(w: World, chat: ChatKey, ids: unknown): number[] | Outcome {
  const out: number[] = [];
  for (const id of Array.isArray(ids) ? ids : [ids]) {
    if (!w.itemIn(chat, num(id))) return storeError({ type: 'chatItemNotFound', itemId: num(id) });
    out.push(num(id));
  }
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function withUser(f: (w: World, p: Params, user: Json) => Outcome): Handler {
  return (w, p) => {
    const user = userOf(w, p);
    return failed(user) ? user : f(w, p, user);
  };
}

function inGroup(f: (w: World, p: Params, g: GroupEntry, user: Json) => Outcome): Handler {
  return withUser((w, p, user) => {
    const g = groupOf(w, p);
    return isGroup(g) ? f(w, p, g, user) : g;
  });
}

const ownerOnly = (g: GroupEntry): Outcome | undefined => {
  const role = (g.info['membership'] as Json)['memberRole'];
  return role === 'owner' || role === 'admin' ? undefined : chatError({ type: 'groupUserRole', groupInfo: g.info, requiredRole: 'admin' });
};

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

export const HANDLERS: Readonly<Record<string, Handler>> = {
  ShowActiveUser: (w) => (w.user ? answer({ type: 'activeUser', user: w.user }) : chatError({ type: 'noActiveUser' })),
  ListUsers: (w) => answer({ type: 'usersList', users: [...w.users.values()].map((user) => ({ user, unreadCount: 0 })) }),
  CreateActiveUser: (w, p) => {
    const profile = ((p['newUser'] as Json | undefined)?.['profile'] ?? {}) as Json;
    const name = String(profile['displayName'] ?? `user${w.users.size + 1}`);
    if ([...w.users.values()].some((u) => u['localDisplayName'] === name)) return chatError({ type: 'userExists', contactName: name });
    return answer({ type: 'activeUser', user: w.createUser(name, profile) });
  },
  APISetActiveUser: withUser((w, p, user) => {
    w.setActive(num(user['userId']));
    return answer({ type: 'activeUser', user });
  }),
  APIDeleteUser: withUser((w, p, user) => {
    const userId = num(user['userId']);
    if (userId === w.activeUserId) return chatError({ type: 'cantDeleteActiveUser', userId });
    w.users.delete(userId);
    return answer({ type: 'cmdOk', user_: w.user });
  }),
  APIUpdateProfile: withUser((w, p, user) => {
    const profile = (p['profile'] ?? {}) as Json;
    const current = user['profile'] as Json;
    const from = w.profile(String(current['displayName']), current);
    const to = w.profile(String(profile['displayName'] ?? current['displayName']), profile);
    if (sameJson(from, to)) return answer({ type: 'userProfileNoChange', user });
    Object.assign(current, to);
    user['localDisplayName'] = to['displayName'];
    return answer({ type: 'userProfileUpdated', user, fromProfile: from, toProfile: to, updateSummary: { updateSuccesses: 0, updateFailures: 0, changedContacts: [] } });
  }),
  APISetContactPrefs: withUser((w, p, user) => {
    const chat = chatOf(w, { chatType: 'direct', chatId: p['contactId'] });
    if (!isChat(chat)) return chat;
    const contact = w.contacts.get(chat.id)!.contact;
    const fromContact = structuredClone(contact);
    contact['userPreferences'] = w.shaper.value(['ref', 'Preferences'], p['preferences'] ?? {});
    return answer({ type: 'contactPrefsUpdated', user, fromContact, toContact: contact });
  }),

  APICreateMyAddress: withUser((w, p, user) => {
    const userId = num(user['userId']);
    if (w.addresses.has(userId)) return storeError({ type: 'duplicateContactLink' });
    const connLinkContact = w.link('contact', `bot-${userId}`);
    const contactLink = { userContactLinkId: w.id('userContactLink'), connLinkContact, shortLinkDataSet: false, shortLinkLargeDataSet: false, addressSettings: { businessAddress: false } };
    w.addresses.set(userId, contactLink);
    return answer({ type: 'userContactLinkCreated', user, connLinkContact });
  }),
  APIDeleteMyAddress: withUser((w, p, user) => (w.addresses.delete(num(user['userId'])) ? answer({ type: 'userContactLinkDeleted', user }) : storeError({ type: 'userContactLinkNotFound' }))),
  APIShowMyAddress: withUser((w, p, user) => {
    const contactLink = w.addresses.get(num(user['userId']));
    return contactLink ? answer({ type: 'userContactLink', user, contactLink }) : storeError({ type: 'userContactLinkNotFound' });
  }),
  APISetAddressSettings: withUser((w, p, user) => {
    const contactLink = w.addresses.get(num(user['userId']));
    if (!contactLink) return storeError({ type: 'userContactLinkNotFound' });
    contactLink['addressSettings'] = p['settings'] ?? {};
    return answer({ type: 'userContactLinkUpdated', user, contactLink });
  }),
  APISetProfileAddress: withUser((w, p, user) => {
    const contactLink = w.addresses.get(num(user['userId']));
    if (!contactLink) return storeError({ type: 'userContactLinkNotFound' });
    const profile = user['profile'] as Json;
    const fromProfile = w.profile(String(profile['displayName']), profile);
    if (p['enable']) profile['contactLink'] = (contactLink['connLinkContact'] as Json)['connFullLink'];
    else delete profile['contactLink'];
    return answer({ type: 'userProfileUpdated', user, fromProfile, toProfile: w.profile(String(profile['displayName']), profile), updateSummary: { updateSuccesses: 0, updateFailures: 0, changedContacts: [] } });
  }),

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

  APINewGroup: withUser((w, p, user) => answer({ type: 'groupCreated', user, groupInfo: w.createGroup(num(user['userId']), (p['groupProfile'] ?? { displayName: 'group', fullName: '' }) as Json).info })),
  APIUpdateGroupProfile: inGroup((w, p, g, user) => {
    const denied = ownerOnly(g);
    if (denied) return denied;
    const fromGroup = structuredClone(g.info);
    g.info['groupProfile'] = w.shaper.value(['ref', 'GroupProfile'], p['groupProfile'] ?? g.info['groupProfile']);
    return answer({ type: 'groupUpdated', user, fromGroup, toGroup: g.info });
  }),
  APIListMembers: inGroup((w, p, g, user) => answer({ type: 'groupMembers', user, group: { groupInfo: g.info, members: [...g.members.values()] } })),
  APIAddMember: inGroup((w, p, g, user) => {
    const chat = chatOf(w, { chatType: 'direct', chatId: p['contactId'] });
    if (!isChat(chat)) return chat;
    const contact = w.contacts.get(chat.id)!.contact;
    if ([...g.members.values()].some((m) => m['memberContactId'] === chat.id)) return chatError({ type: 'groupDuplicateMember', contactName: contact['localDisplayName'] });
    const member = w.member(num(g.info['groupId']), String(contact['localDisplayName']), { memberRole: p['memberRole'] ?? 'member', memberCategory: 'invitee', memberStatus: 'invited', memberContactId: chat.id });
    g.members.set(num(member['groupMemberId']), member);
    return answer({ type: 'sentGroupInvitation', user, groupInfo: g.info, contact, member });
  }),
  APIJoinGroup: inGroup((w, p, g, user) => {
    const membership = g.info['membership'] as Json;
    if (membership['memberStatus'] !== 'invited') return storeError({ type: 'groupAlreadyJoined' });
    membership['memberStatus'] = 'connected';
    const host = [...g.members.values()].find((m) => m['memberCategory'] === 'host');
    const hostContact = host && w.contacts.get(num(host['memberContactId']))?.contact;
    return answer({ type: 'userAcceptedGroupSent', user, groupInfo: g.info, ...(hostContact ? { hostContact } : {}) }, [
      ...(host ? [{ type: 'userJoinedGroup', user, groupInfo: g.info, hostMember: host }] : []),
    ]);
  }),
  APIAcceptMember: inGroup((w, p, g, user) => {
    const members = membersOf(g, p['groupMemberId']);
    if (!Array.isArray(members)) return members;
    const member = members[0]!;
    if (member['memberStatus'] !== 'pending_approval' && member['memberStatus'] !== 'pending_review') return chatError({ type: 'groupMemberNotActive' });
    member['memberStatus'] = 'connected';
    member['memberRole'] = p['memberRole'] ?? member['memberRole'];
    return answer({ type: 'memberAccepted', user, groupInfo: g.info, member });
  }),
  APIMembersRole: inGroup((w, p, g, user) => {
    const denied = ownerOnly(g);
    if (denied) return denied;
    const members = membersOf(g, p['groupMemberIds']);
    if (!Array.isArray(members)) return members;
    for (const m of members) m['memberRole'] = p['memberRole'];
    return answer({ type: 'membersRoleUser', user, groupInfo: g.info, members, toRole: p['memberRole'] });
  }),
  APIBlockMembersForAll: inGroup((w, p, g, user) => {
    const denied = ownerOnly(g);
    if (denied) return denied;
    const members = membersOf(g, p['groupMemberIds']);
    if (!Array.isArray(members)) return members;
    for (const m of members) m['blockedByAdmin'] = p['blocked'] === true;
    return answer({ type: 'membersBlockedForAllUser', user, groupInfo: g.info, members, blocked: p['blocked'] === true });
  }),
  APIRemoveMembers: inGroup((w, p, g, user) => {
    const denied = ownerOnly(g);
    if (denied) return denied;
    const members = membersOf(g, p['groupMemberIds']);
    if (!Array.isArray(members)) return members;
    for (const m of members) {
      m['memberStatus'] = 'removed';
      g.members.delete(num(m['groupMemberId']));
    }
    return answer({ type: 'userDeletedMembers', user, groupInfo: g.info, members, withMessages: p['withMessages'] === true });
  }),
  APILeaveGroup: inGroup((w, p, g, user) => {
    (g.info['membership'] as Json)['memberStatus'] = 'left';
    return answer({ type: 'leftMemberUser', user, groupInfo: g.info });
  }),

  APICreateGroupLink: inGroup((w, p, g, user) => {
    if (g.link) return storeError({ type: 'duplicateGroupLink', groupInfo: g.info });
    const id = w.id('userContactLink');
    g.link = { userContactLinkId: id, connLinkContact: w.link('group', `group-${String(g.info['groupId'])}`), shortLinkDataSet: false, shortLinkLargeDataSet: false, groupLinkId: `group-link-${id}`, acceptMemberRole: p['memberRole'] ?? 'member' };
    return answer({ type: 'groupLinkCreated', user, groupInfo: g.info, groupLink: g.link });
  }),
  APIGroupLinkMemberRole: inGroup((w, p, g, user) => {
    if (!g.link) return storeError({ type: 'groupLinkNotFound', groupInfo: g.info });
    g.link['acceptMemberRole'] = p['memberRole'];
    return answer({ type: 'groupLink', user, groupInfo: g.info, groupLink: g.link });
  }),
  APIDeleteGroupLink: inGroup((w, p, g, user) => {
    if (!g.link) return storeError({ type: 'groupLinkNotFound', groupInfo: g.info });
    delete g.link;
    return answer({ type: 'groupLinkDeleted', user, groupInfo: g.info });
  }),
  APIGetGroupLink: inGroup((w, p, g, user) => (g.link ? answer({ type: 'groupLink', user, groupInfo: g.info, groupLink: g.link }) : storeError({ type: 'groupLinkNotFound', groupInfo: g.info }))),

  APIAddContact: withUser((w, p, user) => {
    const n = w.id('invitation');
    const connLinkInvitation = w.link('invitation', n);
    const connection = w.createConnection(num(user['userId']), String(connLinkInvitation['connFullLink']), false);
    return answer({ type: 'invitation', user, connLinkInvitation, connection });
  }),
  APIConnect: withUser((w, p, user) => connect(w, user, ((p['preparedLink_'] as Json | undefined)?.['connFullLink'] as string | undefined) ?? '')),
  Connect: withUser((w, p, user) => connect(w, user, String(p['connLink_'] ?? p['connTarget_'] ?? ''))),
  APIAcceptContact: withUser((w, p, user) => {
    const id = num(p['contactReqId']);
    const r = w.requests.get(id);
    if (!r || r.userId !== num(user['userId'])) return storeError({ type: 'contactRequestNotFound', contactRequestId: id });
    w.requests.delete(id);
    const profile = r.request['profile'] as Json;
    const contact = w.createContact(r.userId, String(profile['displayName']), profile);
    return answer({ type: 'acceptingContactRequest', user, contact }, [{ type: 'contactConnected', user, contact }]);
  }),
  APIRejectContact: withUser((w, p, user) => {
    const id = num(p['contactReqId']);
    const r = w.requests.get(id);
    if (!r || r.userId !== num(user['userId'])) return storeError({ type: 'contactRequestNotFound', contactRequestId: id });
    w.requests.delete(id);
    return answer({ type: 'contactRequestRejected', user, contactRequest: r.request });
  }),

  APIListContacts: withUser((w, p, user) => answer({ type: 'contactsList', user, contacts: [...w.contacts.values()].filter((c) => c.userId === user['userId']).map((c) => c.contact) })),
  APIListGroups: withUser((w, p, user) => {
    const search = typeof p['search'] === 'string' ? p['search'].toLowerCase() : '';
    const contactId = p['contactId_'] === undefined || p['contactId_'] === null ? undefined : num(p['contactId_']);
    const groups = [...w.groups.values()].filter(
      (g) =>
        g.userId === user['userId'] &&
        String(g.info['localDisplayName']).toLowerCase().includes(search) &&
        (contactId === undefined || [...g.members.values()].some((m) => m['memberContactId'] === contactId)),
    );
    // Newer API versions list the groups themselves; older ones each with its summary.
    const t = w.shaper.fieldType('responses', 'groupsList', 'groups');
    const bare = Array.isArray(t) && t[0] === 'list' && Array.isArray(t[1]) && t[1][0] === 'ref' && t[1][1] === 'GroupInfo';
    return answer({ type: 'groupsList', user, groups: groups.map((g) => (bare ? g.info : { groupInfo: g.info, groupSummary: { currentMembers: g.members.size + 1 } })) });
  }),
  APIDeleteChat: withUser((w, p, user) => {
    const chat = chatOf(w, p['chatRef']);
    if (!isChat(chat)) return chat;
    for (const e of w.items.values()) if (e.chat.type === chat.type && e.chat.id === chat.id) e.deleted = true;
    if (chat.type === 'direct') {
      const contact = w.contacts.get(chat.id)!.contact;
      w.contacts.delete(chat.id);
      contact['contactStatus'] = 'deletedByUser';
      return answer({ type: 'contactDeleted', user, contact });
    }
    const groupInfo = w.groups.get(chat.id)!.info;
    w.groups.delete(chat.id);
    return answer({ type: 'groupDeletedUser', user, groupInfo });
  }),
};

/**
 * Connecting to a link: one the world knows as a contact's gives contactAlreadyExists; an invitation link
 * gives sentConfirmation; an address or group link gives sentInvitation. Each leaves a pending connection.
 */
function connect(w: World, user: Json, link: string): Outcome {
  if (!link) return chatError({ type: 'invalidConnReq' });
  for (const c of w.contacts.values()) if (c.userId === user['userId'] && (c.contact['profile'] as Json)['contactLink'] === link) return answer({ type: 'contactAlreadyExists', user, contact: c.contact });
  const invitation = /invitation/.test(link);
  const connection = w.createConnection(num(user['userId']), link, !invitation);
  return answer({ type: invitation ? 'sentConfirmation' : 'sentInvitation', user, connection });
}
