/**
 * The mock chat core's state: users, the bot's address, contacts and contact requests, groups with their members
 * and links, chat items with increasing ids, reactions and files. Entities are kept as values of the model's
 * types (made by the Shaper, so valid in every API version) and changed in place as commands and simulated
 * peers act on them.
 */
import type { Schema } from '../runtime/decoder.js';
import { Sampler } from './sample.js';
import { Shaper, type Json } from './shape.js';
import { ChatItemMaker } from './chatItems.js';
import { isoTime } from './isoTime.js';
import type { ChatKey, FileEntry, GroupEntry, ItemEntry, SentMessage } from './worldEntries.js';

export type { ChatKey, FileEntry, GroupEntry, ItemEntry, SentMessage } from './worldEntries.js';

const START = Date.UTC(2026, 0, 1);

export class World {
  readonly shaper: Shaper;
  private readonly counters = new Map<string, number>();
  private clock = 0;
  readonly users = new Map<number, Json>();
  activeUserId = 0;
  readonly contacts = new Map<number, { userId: number; contact: Json }>();
  readonly requests = new Map<number, { userId: number; request: Json }>();
  /** Pending connections: to the `link` the bot connected to, or the bot's own one-time invitation (APIAddContact). */
  readonly connections = new Map<number, { userId: number; connection: Json } & ({ link: string; invitation?: undefined } | { invitation: Json; link?: undefined })>();
  readonly groups = new Map<number, GroupEntry>();
  readonly items = new Map<number, ItemEntry>();
  readonly files = new Map<number, FileEntry>();
  readonly addresses = new Map<number, Json>();
  readonly sent: SentMessage[] = [];
  private readonly itemMaker = new ChatItemMaker();
  /** The ChatInfo of each contact and group, by the entity. */
  private readonly chatInfos = new WeakMap<object, Json>();
  /** Moves on whenever a command or peer action may have changed an entity (what FrameText keys its cache by). */
  version = 0;

  /** `user`: the name of the active user the world starts with (default "bot"); null starts without one. */
  constructor(schema: Schema, seed: number, user: string | null = 'bot') {
    this.shaper = new Shaper(schema, new Sampler(schema, seed));
    if (user !== null) this.createUser(user);
  }

  /** The next id of a kind: 1, 2, 3, … per kind, as the chat core's tables give them. */
  id(kind: string): number {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return n;
  }

  /** A timestamp that only moves forward (one second per call), the same on every run. */
  now(): string {
    return isoTime(START + 1000 * this.clock++);
  }

  /** The active user, if there is one. */
  get user(): Json | undefined {
    return this.users.get(this.activeUserId);
  }

  profile(name: string, extra: Json = {}): Json {
    return this.shaper.make('Profile', { displayName: name, fullName: '', ...extra });
  }

  localProfile(name: string, extra: Json = {}): Json {
    return this.shaper.make('LocalProfile', { profileId: this.id('profile'), displayName: name, fullName: '', localAlias: '', ...extra });
  }

  createUser(name: string, profile: Json = {}): Json {
    const userId = this.id('user');
    for (const u of this.users.values()) u['activeUser'] = false;
    const user = this.shaper.make('User', {
      userId,
      agentUserId: userId,
      userContactId: this.id('contact'),
      localDisplayName: name,
      profile: this.localProfile(name, profile),
      activeUser: true,
      activeOrder: userId,
      showNtfs: true,
      sendRcptsContacts: true,
      sendRcptsSmallGroups: true,
      autoAcceptMemberContacts: false,
    });
    this.users.set(userId, user);
    this.activeUserId = userId;
    return user;
  }

  setActive(userId: number): void {
    for (const [id, u] of this.users) u['activeUser'] = id === userId;
    this.activeUserId = userId;
  }

  /** A name not yet taken by a contact or group of the user: `alice`, `alice_1`, … as the chat core does. */
  private freeName(userId: number, name: string): string {
    const taken = new Set<string>();
    for (const c of this.contacts.values()) if (c.userId === userId) taken.add(String(c.contact['localDisplayName']));
    for (const g of this.groups.values()) if (g.userId === userId) taken.add(String(g.info['localDisplayName']));
    let out = name;
    for (let i = 1; taken.has(out); i++) out = `${name}_${i}`;
    return out;
  }

  createContact(userId: number, name: string, profile: Json = {}): Json {
    const contactId = this.id('contact');
    const t = this.now();
    const contact = this.shaper.make('Contact', {
      contactId,
      localDisplayName: this.freeName(userId, name),
      profile: this.localProfile(name, profile),
      contactUsed: true,
      contactStatus: 'active',
      chatSettings: { enableNtfs: 'all', favorite: false },
      createdAt: t,
      updatedAt: t,
      contactGrpInvSent: false,
      chatTags: [],
      chatDeleted: false,
    });
    this.contacts.set(contactId, { userId, contact });
    return contact;
  }

  createRequest(userId: number, name: string, profile: Json = {}): Json {
    const contactRequestId = this.id('contactRequest');
    const t = this.now();
    const profileId = this.id('profile');
    const request = this.shaper.make('UserContactRequest', {
      contactRequestId,
      agentInvitationId: `inv-${contactRequestId}`,
      localDisplayName: this.freeName(userId, name),
      profileId,
      // A Profile in older versions, a LocalProfile (with its id and alias) since: the keys a version lacks are dropped.
      profile: { displayName: name, fullName: '', profileId, localAlias: '', ...profile },
      createdAt: t,
      updatedAt: t,
      pqSupport: true,
    });
    this.requests.set(contactRequestId, { userId, request });
    return request;
  }

  /**
   * A pending connection: to a link the bot connects to (`link`), or the bot's own one-time invitation
   * (`link` undefined), whose link is made here and is the connection's `connLinkInv`.
   */
  createConnection(userId: number, link: string | undefined, viaContactUri: boolean): Json {
    const pccConnId = this.id('connection');
    const t = this.now();
    const own = link === undefined ? this.link('invitation', pccConnId) : undefined;
    const connection = this.shaper.make('PendingContactConnection', {
      pccConnId,
      pccAgentConnId: `conn-${pccConnId}`,
      pccConnStatus: 'new',
      viaContactUri,
      localAlias: '',
      createdAt: t,
      updatedAt: t,
      ...(own ? { connLinkInv: own } : {}),
    });
    this.connections.set(pccConnId, own ? { userId, connection, invitation: own } : { userId, connection, link: link! });
    return connection;
  }

  /** A link the mock makes up: `https://simplex.chat/<kind>#/?mock=<n>`, short and full. */
  link(kind: 'contact' | 'invitation' | 'group', n: number | string): Json {
    return this.shaper.make('CreatedConnLink', { connFullLink: `https://simplex.chat/${kind}#/?mock=${n}`, connShortLink: `https://smp.mock/${kind[0]}#${n}` });
  }

  member(groupId: number, name: string, extra: Json): Json {
    const t = this.now();
    const groupMemberId = this.id('groupMember');
    return this.shaper.make('GroupMember', {
      groupMemberId,
      groupId,
      memberId: `member-${groupMemberId}`,
      memberSettings: { showMessages: true },
      blockedByAdmin: false,
      invitedBy: { type: 'user' },
      localDisplayName: name,
      memberProfile: this.localProfile(name),
      memberContactProfileId: this.id('profile'),
      createdAt: t,
      updatedAt: t,
      ...extra,
    });
  }

  createGroup(userId: number, groupProfile: Json, role: 'owner' | 'member' = 'owner'): GroupEntry {
    const groupId = this.id('group');
    const t = this.now();
    const user = this.users.get(userId)!;
    const membership = this.member(groupId, String(user['localDisplayName']), {
      memberRole: role,
      memberCategory: 'user',
      memberStatus: role === 'owner' ? 'creator' : 'invited',
      memberContactId: user['userContactId'],
    });
    const info = this.shaper.make('GroupInfo', {
      groupId,
      localDisplayName: this.freeName(userId, String(groupProfile['displayName'] ?? 'group')),
      groupProfile,
      localAlias: '',
      membership,
      chatSettings: { enableNtfs: 'all', favorite: false },
      createdAt: t,
      updatedAt: t,
      chatTags: [],
      membersRequireAttention: 0,
    });
    const entry: GroupEntry = { userId, info, members: new Map() };
    this.groups.set(groupId, entry);
    return entry;
  }

  chatInfo(chat: ChatKey): Json {
    const entity = chat.type === 'direct' ? this.contacts.get(chat.id)!.contact : this.groups.get(chat.id)!.info;
    // Shaped once per contact or group (which commands change in place), so that answers carry it whole and its
    // text is kept with the entity's.
    let info = this.chatInfos.get(entity);
    if (info === undefined) {
      info = this.shaper.make('ChatInfo', chat.type === 'direct' ? { type: 'direct', contact: entity } : { type: 'group', groupInfo: entity });
      this.chatInfos.set(entity, info);
    }
    return info;
  }

  /** The chat's name, as a test reads it. */
  chatName(chat: ChatKey): string {
    const json = chat.type === 'direct' ? this.contacts.get(chat.id)?.contact : this.groups.get(chat.id)?.info;
    return String(json?.['localDisplayName'] ?? '');
  }

  /** The item of a chat, if it is there and not deleted. */
  itemIn(chat: ChatKey, itemId: number): ItemEntry | undefined {
    const e = this.items.get(itemId);
    return e && !e.deleted && e.chat.type === chat.type && e.chat.id === chat.id ? e : undefined;
  }

  /**
   * A reaction counted on an item (its `reactions`): the bot's own (`byUser`: it marks `userReacted`, and taking
   * it back removes the count) or a peer's (it counts one up or down).
   */
  countReaction(item: Json, reaction: Json, added: boolean, byUser: boolean): void {
    const counts = item['reactions'] as Json[];
    const i = counts.findIndex((c) => JSON.stringify(c['reaction']) === JSON.stringify(reaction));
    const total = i < 0 ? 0 : Number(counts[i]!['totalReacted']);
    if (added && i < 0) counts.push({ reaction, userReacted: byUser, totalReacted: 1 });
    else if (added && byUser) counts[i] = { ...counts[i], userReacted: true, totalReacted: total + (counts[i]!['userReacted'] ? 0 : 1) };
    else if (added) counts[i] = { ...counts[i], totalReacted: total + 1 };
    else if (i >= 0 && (byUser || total <= 1)) counts.splice(i, 1);
    else if (i >= 0) counts[i] = { ...counts[i], totalReacted: total - 1 };
  }

  aChatItem(itemId: number): Json {
    const entry = this.items.get(itemId)!;
    return { chatInfo: this.chatInfo(entry.chat), chatItem: entry.item };
  }

  /** A new chat item in a chat: sent by the bot (`from` undefined) or received from a contact or member. */
  createItem(userId: number, chat: ChatKey, msgContent: Json, from?: number, file?: { name: string; size: number }): ItemEntry {
    return this.itemMaker.create(this, userId, chat, msgContent, from, file);
  }

}

/** A copy of a JSON value (objects and arrays anew, the rest as it is). */
