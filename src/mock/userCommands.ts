/** The mock's handlers of users, the bot's address, contacts and chats. */
import type { Json } from './shape.js';
import type { World } from './world.js';
import { answer, chatError, chatOf, type Handler, isChat, num, type Outcome, sameJson, storeError, withUser } from './handlers.js';
export const USER_HANDLERS: Readonly<Record<string, Handler>> = {
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

  APIAddContact: withUser((w, p, user) => {
    // The link it answers is the connection's own (its connLinkInv, where this API version has that field).
    const connection = w.createConnection(num(user['userId']), undefined, false);
    return answer({ type: 'invitation', user, connLinkInvitation: w.connections.get(num(connection['pccConnId']))!.invitation!, connection });
  }),
  APIConnectPlan: withUser((w, p, user) => connectPlan(w, user, String(p['connectTarget'] ?? p['connectionLink'] ?? ''))),
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

  // A bot's own data on a contact or group (its state between runs): kept, and shown wherever the contact or group is.
  APISetContactCustomData: withUser((w, p, user) => {
    const chat = chatOf(w, { chatType: 'direct', chatId: p['contactId'] });
    if (!isChat(chat)) return chat;
    setCustomData(w, w.contacts.get(chat.id)!.contact, 'Contact', p['customData']);
    return answer({ type: 'cmdOk', user_: user });
  }),
  APISetGroupCustomData: withUser((w, p, user) => {
    const chat = chatOf(w, { chatType: 'group', chatId: p['groupId'] });
    if (!isChat(chat)) return chat;
    setCustomData(w, w.groups.get(chat.id)!.info, 'GroupInfo', p['customData']);
    return answer({ type: 'cmdOk', user_: user });
  }),
  APISetUserAutoAcceptMemberContacts: withUser((w, p, user) => userSetting(w, user, 'autoAcceptMemberContacts', p['onOff'])),
  APISetUserAutoAcceptGroupInvitations: withUser((w, p, user) => userSetting(w, user, 'autoAcceptGroupInvitations', p['onOff'])),
  APIListContacts: withUser((w, p, user) => answer({ type: 'contactsList', user, contacts: [...w.contacts.values()].filter((c) => c.userId === user['userId']).map((c) => c.contact) })),
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
  const known = contactWithAddress(w, num(user['userId']), link);
  if (known) return answer({ type: 'contactAlreadyExists', user, contact: known });
  const invitation = isInvitationLink(link);
  const connection = w.createConnection(num(user['userId']), link, !invitation);
  return answer({ type: invitation ? 'sentConfirmation' : 'sentInvitation', user, connection });
}

/**
 * What connecting to a link would do, as the chat core plans it from what it knows: the bot's own address, group
 * link or invitation (`ownLink`), a link it is already connecting to, the address of a contact it has (`known`),
 * else a new link of its kind (`ok`: an address, an invitation or a group link, as the link reads).
 */
function connectPlan(w: World, user: Json, link: string): Outcome {
  if (!link) return chatError({ type: 'invalidConnReq' });
  const userId = num(user['userId']);
  const names = (l: unknown) => typeof l === 'object' && l !== null && ((l as Json)['connFullLink'] === link || (l as Json)['connShortLink'] === link);
  const plan = (connectionPlan: Json, connLink: Json = { connFullLink: link }) => answer({ type: 'connectionPlan', user, connLink, connectionPlan });
  const address = w.addresses.get(userId);
  if (address && names(address['connLinkContact'])) return plan({ type: 'contactAddress', contactAddressPlan: { type: 'ownLink' } }, address['connLinkContact'] as Json);
  for (const g of w.groups.values())
    if (g.userId === userId && g.link && names(g.link['connLinkContact'])) return plan({ type: 'groupLink', groupLinkPlan: { type: 'ownLink', groupInfo: g.info } }, g.link['connLinkContact'] as Json);
  const invitation = isInvitationLink(link);
  for (const c of w.connections.values()) {
    if (c.userId !== userId) continue;
    if (c.invitation) {
      if (names(c.invitation)) return plan({ type: 'invitationLink', invitationLinkPlan: { type: 'ownLink' } }, c.invitation);
    } else if (c.link === link)
      return plan(invitation ? { type: 'invitationLink', invitationLinkPlan: { type: 'connecting' } } : { type: 'contactAddress', contactAddressPlan: { type: 'connectingConfirmReconnect' } });
  }
  const known = contactWithAddress(w, userId, link);
  if (known) return plan({ type: 'contactAddress', contactAddressPlan: { type: 'known', contact: known } });
  if (/\/group[#/?]|\/g#/.test(link)) return plan({ type: 'groupLink', groupLinkPlan: { type: 'ok' } });
  return plan(invitation ? { type: 'invitationLink', invitationLinkPlan: { type: 'ok' } } : { type: 'contactAddress', contactAddressPlan: { type: 'ok' } });
}

/** The user's contact whose profile gives `link` as its address, if any. */
function contactWithAddress(w: World, userId: number, link: string): Json | undefined {
  for (const c of w.contacts.values()) if (c.userId === userId && (c.contact['profile'] as Json)['contactLink'] === link) return c.contact;
  return undefined;
}

/** Whether a link is a one-time invitation (`…/invitation#…`, a short `…/i#…`), as connect reads it. */
function isInvitationLink(link: string): boolean {
  return /invitation|\/i#/.test(link);
}

/** Sets (or, with none given, clears) `customData` where this API version has it. */
function setCustomData(w: World, entity: Json, typeName: string, data: unknown): void {
  if (!w.shaper.hasField(typeName, 'customData')) return;
  if (data === undefined || data === null) delete entity['customData'];
  else entity['customData'] = w.shaper.value('object', data);
}

/** A user's on/off setting, where this API version's User has it. */
function userSetting(w: World, user: Json, field: string, on: unknown): Outcome {
  if (w.shaper.hasField('User', field)) user[field] = on === true;
  return answer({ type: 'cmdOk', user_: user });
}
