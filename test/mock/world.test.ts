import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MockCore } from '../../src/mock/core.js';
import { loadScenario } from '../../src/mock/scenario.js';
import type { ApiModel } from '../../src/model/types.js';
import { buildModel } from '../helpers/model.js';
import { readSpecDir } from '../../src/parse/loadSpec.js';
import { decodeWith } from '../../src/runtime/decoder.js';
import { CORPUS_MISSING, corpusPresent, ERA_NAMES, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { tempDir } from '../helpers/fixtures.js';

type Resp = Record<string, any>;

let model: ApiModel;
beforeAll(() => {
  model = buildModel(readSpecDir(path.join(REPO_ROOT, 'spec')).input).model;
});

/** A core and a way to run commands on it; every reply and event is decoded strictly as it comes. */
function session(m: ApiModel = model, options: { user?: string | null } = {}) {
  const core = new MockCore(m, 5, undefined, options);
  const events: Resp[] = [];
  const strict = (start: 'ChatResponse' | 'ChatEvent', v: Resp) => decodeWith(core.schema, start, v, { strict: true });
  // The servers write frames with frameText, which keeps entities' text between changes: it must always say
  // what JSON.stringify says of the world as it is now.
  const written = (f: object) => expect(core.frameText(f as never)).toBe(JSON.stringify(f));
  core.subscribe((f) => {
    written(f);
    strict('ChatEvent', f.resp as Resp);
    events.push(structuredClone(f.resp as Resp));
  });
  let n = 0;
  const run = (cmd: string): Resp => {
    const sent = core.answerFrame(JSON.stringify({ corrId: String(++n), cmd })).frames;
    for (const f of sent) written(f);
    const frames = structuredClone(sent);
    expect(frames[0]!.corrId).toBe(String(n));
    strict('ChatResponse', frames[0]!.resp as Resp);
    for (const f of frames.slice(1)) {
      expect(f.corrId).toBeUndefined();
      strict('ChatEvent', f.resp as Resp);
      events.push(f.resp as Resp);
    }
    return frames[0]!.resp as Resp;
  };
  return { core, run, events };
}

const send = (ref: string, text: string) => `/_send ${ref} json ${JSON.stringify([{ msgContent: { type: 'text', text }, mentions: {} }])}`;
const storeErrorOf = (r: Resp) => (r['type'] === 'chatCmdError' ? r['chatError']?.['storeError']?.['type'] ?? r['chatError']?.['errorType']?.['type'] : undefined);

describe('the mock world: commands change it and answer as it stands', () => {
  it('a read asked again is answered as the world stands: kept while only chat items change, made again after any other change', () => {
    const { core, run } = session();
    const names = () => run('/_contacts 1')['contacts'].map((c: Resp) => c['localDisplayName']);
    expect(names()).toEqual([]);
    core.act({ action: 'connect', name: 'alice', via: 'direct' });
    expect(names()).toEqual(['alice']);
    const first = run('/_contacts 1');
    run(send('@2', 'only an item'));
    // The same answer, as text and as value, while only chat items changed.
    expect(run('/_contacts 1')).toEqual(first);
    core.act({ action: 'connect', name: 'bob', via: 'direct' });
    expect(names()).toEqual(['alice', 'bob']);
    run('/_profile 1 {"displayName":"renamed","fullName":""}');
    expect(run('/user')['user']['localDisplayName']).toBe('renamed');
    run('/_profile 1 {"displayName":"again","fullName":""}');
    expect(run('/user')['user']['localDisplayName']).toBe('again');
  });

  it('users: the active user, create, list, switch, delete (and the errors for what does not exist)', () => {
    const { run } = session();
    expect(run('/user')).toMatchObject({ type: 'activeUser', user: { userId: 1, localDisplayName: 'bot', activeUser: true } });
    expect(run('/_create user {"profile":{"displayName":"second","fullName":""},"pastTimestamp":false}')).toMatchObject({ type: 'activeUser', user: { userId: 2, localDisplayName: 'second' } });
    expect(run('/users')['users'].map((u: Resp) => [u['user']['userId'], u['user']['activeUser']])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(storeErrorOf(run('/_user 9'))).toBe('userNotFound');
    expect(storeErrorOf(run('/_delete user 2 del_smp=off'))).toBe('cantDeleteActiveUser');
    expect(run('/_user 1')).toMatchObject({ type: 'activeUser', user: { userId: 1 } });
    expect(run('/_delete user 2 del_smp=off')['type']).toBe('cmdOk');
    expect(run('/users')['users']).toHaveLength(1);
    expect(run('/_profile 1 {"displayName":"bot","fullName":""}')['type']).toBe('userProfileNoChange');
    expect(run('/_profile 1 {"displayName":"helper","fullName":"A helper"}')).toMatchObject({ type: 'userProfileUpdated', toProfile: { displayName: 'helper' } });
    expect(run('/user')['user']['profile']['displayName']).toBe('helper');
  });

  it('a response drawn from the documents (no handler) carries the world\'s user, the one its userId names; an unknown userId is userNotFound', () => {
    const { run } = session();
    const plan = (userId: number) => `/_service_response ${userId} request-7 {"answer":42}`;
    expect(run(plan(1))['type']).toBe('serviceReplyAccepted');
    expect(run(plan(1))['user']).toEqual(run('/user')['user']);
    run('/_create user {"profile":{"displayName":"second","fullName":""},"pastTimestamp":false}');
    expect(run(plan(1))['user']).toMatchObject({ userId: 1, localDisplayName: 'bot', activeUser: false });
    expect(run(plan(2))['user']).toMatchObject({ userId: 2, localDisplayName: 'second', activeUser: true });
    // As the chat core answers a user it does not have, with or without a handler in the world.
    expect(run(plan(9))).toMatchObject({ type: 'chatCmdError', chatError: { type: 'errorStore', storeError: { type: 'userNotFound', userId: 9 } } });
    expect(run('/_set accept member contacts 9 on')).toMatchObject({ chatError: { storeError: { type: 'userNotFound', userId: 9 } } });
    expect(run('/_set accept member contacts 2 on')['type']).toBe('cmdOk');
  });

  it('the chat list (/_get chats): the user\'s chats, the most recently active first, each with its last item and unread count; filtered, cut at the count', () => {
    const { core, run } = session();
    const chats = (query: object = { type: 'filters', favorite: false, unread: false }, options = 'count=20', userId = 1) => run(`/_get chats ${userId} ${options} ${JSON.stringify(query)}`);
    const names = (r: Resp) =>
      r['chats'].map((c: Resp) => {
        const info = c['chatInfo'];
        return `${info['type']} ${info['contact']?.['localDisplayName'] ?? info['groupInfo']?.['localDisplayName'] ?? info['contactConnection']?.['pccConnId']}`;
      });
    expect(chats()).toMatchObject({ type: 'apiChats', chats: [] });
    const alice = core.act({ action: 'connect', name: 'alice', via: 'direct' })['contactId']!;
    const bob = core.act({ action: 'connect', name: 'bob', via: 'direct' })['contactId']!;
    run('/_group 1 {"displayName":"team","fullName":"The Team"}');
    expect(names(chats())).toEqual(['group team', 'direct bob', 'direct alice']);
    const hi = core.act({ action: 'send', from: 'alice', text: 'hi' })['itemId']!;
    const again = core.act({ action: 'send', from: 'alice', text: 'again' })['itemId']!;
    run(send(`@${bob}`, 'yo'));
    const list = chats();
    expect(names(list)).toEqual(['direct bob', 'direct alice', 'group team']);
    expect(list['user']).toEqual(run('/user')['user']);
    const [b, a, t] = list['chats'] as Resp[];
    expect(b).toMatchObject({ chatItems: [{ chatDir: { type: 'directSnd' }, content: { msgContent: { text: 'yo' } } }], chatStats: { unreadCount: 0, minUnreadItemId: 0 } });
    expect(a).toMatchObject({ chatInfo: { contact: { contactId: alice } }, chatItems: [{ meta: { itemId: again }, content: { msgContent: { text: 'again' } } }], chatStats: { unreadCount: 2, minUnreadItemId: hi } });
    expect(a!['chatItems']).toHaveLength(1);
    expect(t).toMatchObject({ chatItems: [], chatStats: { unreadCount: 0 } });
    // The pagination's count, the query's filters and search.
    expect(names(chats(undefined, 'count=2'))).toEqual(['direct bob', 'direct alice']);
    expect(names(chats({ type: 'filters', favorite: false, unread: true }))).toEqual(['direct alice']);
    expect(names(chats({ type: 'filters', favorite: true, unread: false }))).toEqual([]);
    expect(names(chats({ type: 'search', search: 'THE T' }))).toEqual(['group team']);
    expect(names(chats({ type: 'search', search: 'b' }))).toEqual(['direct bob']);
    // A deleted item is not the preview; pending connections only with pcc=on.
    run(`/_delete item @${bob} ${b!['chatItems'][0]['meta']['itemId']} internal`);
    expect(chats()['chats'][names(chats()).indexOf('direct bob')]['chatItems']).toEqual([]);
    const pending = run('/_connect 1')['connection']['pccConnId'];
    expect(names(chats())).not.toContain(`contactConnection ${pending}`);
    expect(names(chats(undefined, 'pcc=on count=20'))[0]).toBe(`contactConnection ${pending}`);
    // Another user's chats are its own; a user the world does not have is the chat core's store error.
    run('/_create user {"profile":{"displayName":"second","fullName":""},"pastTimestamp":false}');
    expect(chats(undefined, undefined, 2)).toMatchObject({ user: { userId: 2 }, chats: [] });
    expect(names(chats())).toContain('direct alice');
    expect(chats(undefined, undefined, 9)).toMatchObject({ chatError: { storeError: { type: 'userNotFound', userId: 9 } } });
    // As upstream's Python SDK writes it (api.py api_get_chats: json.dumps, with its spaces).
    expect(run('/_get chats 1 count=20 {"type": "filters", "favorite": false, "unread": true}')['chats']).toEqual(chats({ type: 'filters', favorite: false, unread: true })['chats']);
  });

  it('a connection plan as the chat core makes it from what it knows: its own links, links it is connecting to, known contacts, else a new link of its kind', () => {
    const { core, run } = session();
    const plan = (link: string) => run(`/_connect plan 1 ${link}`);
    const planOf = (r: Resp) => {
      const p = r['connectionPlan'];
      return `${p['type']} ${(p['contactAddressPlan'] ?? p['invitationLinkPlan'] ?? p['groupLinkPlan'])['type']}`;
    };
    const address = run('/_address 1')['connLinkContact'];
    expect(planOf(plan(address['connFullLink']))).toBe('contactAddress ownLink');
    expect(plan(address['connShortLink'])['connLink']).toEqual(address);
    const made = run('/_connect 1');
    const invitation = made['connLinkInvitation'];
    // The link answered is the pending connection's own, as the chat core keeps it.
    expect(made['connection']['connLinkInv']).toEqual(invitation);
    expect(planOf(plan(invitation['connFullLink']))).toBe('invitationLink ownLink');
    expect(planOf(plan(invitation['connShortLink']))).toBe('invitationLink ownLink');
    const group = run('/_group 1 {"displayName":"team","fullName":""}')['groupInfo']['groupId'];
    const groupLink = run(`/_create link #${group} member`)['groupLink']['connLinkContact'];
    expect(plan(groupLink['connShortLink'])).toMatchObject({ type: 'connectionPlan', user: { userId: 1 }, connLink: groupLink, connectionPlan: { type: 'groupLink', groupLinkPlan: { type: 'ownLink', groupInfo: { groupId: group } } } });
    // A contact's address (a peer's profile carries it), and links the bot is connecting to.
    const alice = core.act({ action: 'connect', name: 'alice', via: 'direct' })['contactId']!;
    const aliceLink = run('/_contacts 1')['contacts'][0]['profile']['contactLink'];
    expect(plan(aliceLink)).toMatchObject({ connectionPlan: { type: 'contactAddress', contactAddressPlan: { type: 'known', contact: { contactId: alice } } } });
    const theirs = 'https://simplex.chat/invitation#/?mock=theirs';
    expect(planOf(plan(theirs))).toBe('invitationLink ok');
    const joining = run(`/connect ${theirs}`);
    expect(joining['type']).toBe('sentConfirmation');
    // Joining someone else's invitation: the connection is not one the bot can share.
    expect(joining['connection']).not.toHaveProperty('connLinkInv');
    expect(planOf(plan(theirs))).toBe('invitationLink connecting');
    const shop = 'https://smp.example/a#shop';
    expect(planOf(plan(shop))).toBe('contactAddress ok');
    expect(run(`/connect ${shop}`)['type']).toBe('sentInvitation');
    expect(planOf(plan(shop))).toBe('contactAddress connectingConfirmReconnect');
    expect(planOf(plan('https://smp.example/g#club'))).toBe('groupLink ok');
    expect(planOf(plan('https://smp.example/i#once'))).toBe('invitationLink ok');
    expect(plan(theirs)['connLink']).toEqual({ connFullLink: theirs });
    // Every era that has the command (older ones name the link connectionLink), decoded strictly as it comes.
    if (!corpusPresent) throw new Error(CORPUS_MISSING);
    for (const era of ERA_NAMES) {
      const m = buildModel(eraInput(era)).model;
      if (!m.commands.some((c) => c.name === 'APIConnectPlan')) continue;
      expect(planOf(session(m).run(`/_connect plan 1 ${theirs}`)), era).toBe('invitationLink ok');
    }
  });

  it('custom data on a contact or group is kept and shown wherever it is (cleared when none is given); user settings show in /user', () => {
    const { core, run } = session();
    const alice = core.act({ action: 'connect', name: 'alice', via: 'direct' })['contactId']!;
    const group = run('/_group 1 {"displayName":"team","fullName":""}')['groupInfo']['groupId'] as number;
    expect(run(`/_set custom @${alice} {"state":"asked","n":2}`)).toMatchObject({ type: 'cmdOk', user_: { userId: 1 } });
    expect(run('/_contacts 1')['contacts'][0]['customData']).toEqual({ state: 'asked', n: 2 });
    const chats = () => run('/_get chats 1 count=20 {"type":"filters","favorite":false,"unread":false}')['chats'] as Resp[];
    expect(chats().find((c) => c['chatInfo']['type'] === 'direct')!['chatInfo']['contact']['customData']).toEqual({ state: 'asked', n: 2 });
    expect(run(send(`@${alice}`, 'hi'))['chatItems'][0]['chatInfo']['contact']['customData']).toEqual({ state: 'asked', n: 2 });
    run(`/_set custom @${alice}`);
    expect(run('/_contacts 1')['contacts'][0]).not.toHaveProperty('customData');
    expect(run(`/_set custom #${group} {"topic":"x"}`)['type']).toBe('cmdOk');
    expect(run('/_groups 1')['groups'].map((g: Resp) => (g['groupInfo'] ?? g)['customData'])).toEqual([{ topic: 'x' }]);
    expect(storeErrorOf(run('/_set custom @99 {}'))).toBe('contactNotFound');
    expect(storeErrorOf(run('/_set custom #99 {}'))).toBe('groupNotFound');
    expect(run('/_set accept member contacts 1 on')).toMatchObject({ type: 'cmdOk', user_: { autoAcceptMemberContacts: true } });
    expect(run('/_set accept group invitations 1 on')['user_']).toMatchObject({ autoAcceptMemberContacts: true, autoAcceptGroupInvitations: true });
    expect(run('/user')['user']).toMatchObject({ autoAcceptMemberContacts: true, autoAcceptGroupInvitations: true });
    run('/_set accept member contacts 1 off');
    expect(run('/users')['users'][0]['user']['autoAcceptMemberContacts']).toBe(false);
  });

  it('a new database has no user: /user is noActiveUser until one is created', () => {
    const { run } = session(model, { user: null });
    expect(storeErrorOf(run('/user'))).toBe('noActiveUser');
    expect(storeErrorOf(run('/_contacts 1'))).toBe('userNotFound');
    expect(run('/_create user {"profile":{"displayName":"bot","fullName":""},"pastTimestamp":false}')['user']['userId']).toBe(1);
    expect(run('/_contacts 1')).toMatchObject({ type: 'contactsList', contacts: [] });
  });

  it('the address: created once, shown, its settings kept, deleted', () => {
    const { run } = session();
    expect(storeErrorOf(run('/_show_address 1'))).toBe('userContactLinkNotFound');
    const created = run('/_address 1');
    expect(created['type']).toBe('userContactLinkCreated');
    expect(storeErrorOf(run('/_address 1'))).toBe('duplicateContactLink');
    run('/_address_settings 1 {"businessAddress":false,"autoAccept":{"acceptIncognito":false},"autoReply":{"type":"text","text":"hi"}}');
    expect(run('/_show_address 1')).toMatchObject({ type: 'userContactLink', contactLink: { connLinkContact: created['connLinkContact'], addressSettings: { autoAccept: { acceptIncognito: false } } } });
    expect(run('/_profile_address 1 on')).toMatchObject({ type: 'userProfileUpdated', toProfile: { contactLink: created['connLinkContact']['connFullLink'] } });
    expect(run('/_delete_address 1')['type']).toBe('userContactLinkDeleted');
    expect(storeErrorOf(run('/_delete_address 1'))).toBe('userContactLinkNotFound');
  });

  it('messages: item ids increase, updates answer changed or not changed, deletes and reactions need the item', () => {
    const { core, run } = session();
    const alice = core.act({ action: 'connect', name: 'alice', via: 'direct' })['contactId']!;
    const ids = [run(send(`@${alice}`, 'one')), run(send(`@${alice}`, 'two'))].map((r) => r['chatItems'][0]['chatItem']['meta']['itemId'] as number);
    expect(ids[1]).toBeGreaterThan(ids[0]!);
    expect(run(send(`@${alice}`, 'x'))['chatItems'][0]).toMatchObject({ chatInfo: { type: 'direct', contact: { contactId: alice, localDisplayName: 'alice' } }, chatItem: { chatDir: { type: 'directSnd' }, content: { type: 'sndMsgContent', msgContent: { text: 'x' } } } });
    expect(storeErrorOf(run(send('@99', 'nobody')))).toBe('contactNotFound');
    const update = (id: number, text: string) => `/_update item @${alice} ${id} json ${JSON.stringify({ msgContent: { type: 'text', text }, mentions: {} })}`;
    expect(run(update(ids[0]!, 'one'))['type']).toBe('chatItemNotChanged');
    expect(run(update(ids[0]!, 'uno'))).toMatchObject({ type: 'chatItemUpdated', chatItem: { chatItem: { meta: { itemText: 'uno', itemEdited: true } } } });
    expect(storeErrorOf(run(update(999, 'x')))).toBe('chatItemNotFound');
    const incoming = core.act({ action: 'send', from: 'alice', text: 'mine' })['itemId']!;
    expect(storeErrorOf(run(update(incoming, 'edited by the bot')))).toBe('invalidChatItemUpdate');
    expect(run(`/_reaction @${alice} ${ids[0]} on {"type":"emoji","emoji":"👍"}`)).toMatchObject({ type: 'chatItemReaction', added: true, reaction: { chatReaction: { chatItem: { reactions: [{ reaction: { emoji: '👍' }, userReacted: true, totalReacted: 1 }] } } } });
    expect(run(`/_delete item @${alice} ${ids[0]},${ids[1]} broadcast`)).toMatchObject({ type: 'chatItemsDeleted', byUser: true, chatItemDeletions: [{ deletedChatItem: { chatItem: { meta: { itemId: ids[0] } } } }, {}] });
    expect(storeErrorOf(run(`/_delete item @${alice} ${ids[0]} broadcast`))).toBe('chatItemNotFound');
    expect(storeErrorOf(run(`/_reaction @${alice} ${ids[1]} on {"type":"emoji","emoji":"👍"}`))).toBe('chatItemNotFound');
    expect(core.sent().map((m) => m.text)).toEqual(['one', 'two', 'x']);
  });

  it('files: received once (accepted, then started and completed as events), cancelled by either side, or not found', () => {
    const { core, run, events } = session();
    const alice = core.act({ action: 'connect', name: 'alice', via: 'direct' })['contactId']!;
    const { fileId } = core.act({ action: 'send', from: 'alice', file: { name: 'report.pdf', size: 2048 } });
    expect(events.at(-1)).toMatchObject({ type: 'newChatItems', chatItems: [{ chatItem: { file: { fileId, fileName: 'report.pdf', fileSize: 2048, fileStatus: { type: 'rcvInvitation' } } } }] });
    expect(run(`/freceive ${fileId} approved_relays=on`)).toMatchObject({ type: 'rcvFileAccepted', chatItem: { chatItem: { file: { fileId, fileStatus: { type: 'rcvAccepted' } } } } });
    expect(events.slice(-2).map((e) => [e['type'], e['chatItem']['chatItem']['file']['fileStatus']['type']])).toEqual([
      ['rcvFileStart', 'rcvAccepted'],
      ['rcvFileComplete', 'rcvComplete'],
    ]);
    expect(storeErrorOf(run(`/freceive ${fileId}`))).toBe('fileAlreadyReceiving');
    expect(storeErrorOf(run('/freceive 77'))).toBe('rcvFileNotFound');
    const second = core.act({ action: 'send', from: 'alice', file: { name: 'b.txt' } })['fileId']!;
    core.act({ action: 'cancelFile', from: 'alice', fileId: second });
    expect(events.at(-1)!['type']).toBe('rcvFileSndCancelled');
    expect(run(`/freceive ${second}`)['type']).toBe('rcvFileAcceptedSndCancelled');
    const third = core.act({ action: 'send', from: 'alice', file: { name: 'c.txt' } })['fileId']!;
    expect(run(`/fcancel ${third}`)['type']).toBe('rcvFileCancelled');
    const sent = run(`/_send @${alice} json ${JSON.stringify([{ fileSource: { filePath: '/tmp/out.png' }, msgContent: { type: 'file', text: '' }, mentions: {} }])}`);
    const sentFile = sent['chatItems'][0]['chatItem']['file'];
    expect(sentFile).toMatchObject({ fileName: 'out.png', fileStatus: { type: 'sndStored' } });
    expect(run(`/fcancel ${sentFile['fileId']}`)['type']).toBe('sndFileCancelled');
    expect(storeErrorOf(run(`/fcancel ${sentFile['fileId']}`))).toBe('fileCancel');
    expect(storeErrorOf(run('/fcancel 500'))).toBe('fileNotFound');
  });

  it('groups: created, listed, members added, roles, blocks and removals, links; a group delete answers as a group delete', () => {
    const { core, run } = session();
    const alice = core.act({ action: 'connect', name: 'alice', via: 'direct' })['contactId']!;
    const created = run('/_group 1 {"displayName":"team","fullName":""}');
    expect(created).toMatchObject({ type: 'groupCreated', groupInfo: { localDisplayName: 'team', membership: { memberRole: 'owner' } } });
    const g = created['groupInfo']['groupId'] as number;
    // A GroupInfoSummary in older versions, the GroupInfo itself since.
    expect(run('/_groups 1')['groups'].map((s: Resp) => (s['groupInfo'] ?? s)['groupId'])).toEqual([g]);
    expect(run('/_groups 1 nomatch')['groups']).toEqual([]);
    const added = run(`/_add #${g} ${alice} member`);
    expect(added).toMatchObject({ type: 'sentGroupInvitation', contact: { contactId: alice }, member: { memberStatus: 'invited', memberRole: 'member' } });
    expect(storeErrorOf(run(`/_add #${g} ${alice} member`))).toBe('groupDuplicateMember');
    expect(run(`/_groups 1 @${alice}`)['groups']).toHaveLength(1);
    core.act({ action: 'joinGroup', name: 'alice', group: g });
    const member = added['member']['groupMemberId'] as number;
    expect(run(`/_members #${g}`)['group']['members'].map((m: Resp) => [m['groupMemberId'], m['memberStatus']])).toEqual([[member, 'connected']]);
    expect(run(`/_member role #${g} ${member} admin`)).toMatchObject({ type: 'membersRoleUser', toRole: 'admin', members: [{ memberRole: 'admin' }] });
    expect(run(`/_block #${g} ${member} blocked=on`)).toMatchObject({ type: 'membersBlockedForAllUser', blocked: true, members: [{ blockedByAdmin: true }] });
    expect(storeErrorOf(run(`/_remove #${g} 999`))).toBe('groupMemberNotFound');
    expect(storeErrorOf(run(`/_get link #${g}`))).toBe('groupLinkNotFound');
    const link = run(`/_create link #${g} member`);
    expect(link['type']).toBe('groupLinkCreated');
    expect(storeErrorOf(run(`/_create link #${g} member`))).toBe('duplicateGroupLink');
    expect(run(`/_set link role #${g} observer`)).toMatchObject({ type: 'groupLink', groupLink: { acceptMemberRole: 'observer' } });
    expect(run(`/_get link #${g}`)['groupLink']['connLinkContact']).toEqual(link['groupLink']['connLinkContact']);
    expect(run(`/_remove #${g} ${member}`)).toMatchObject({ type: 'userDeletedMembers', members: [{ groupMemberId: member }] });
    expect(run(`/_members #${g}`)['group']['members']).toEqual([]);
    expect(run(`/_group_profile #${g} {"displayName":"team2","fullName":""}`)).toMatchObject({ type: 'groupUpdated', toGroup: { groupProfile: { displayName: 'team2' } } });
    expect(run(`/_delete link #${g}`)['type']).toBe('groupLinkDeleted');
    expect(run(`/_delete #${g} full notify=off`)).toMatchObject({ type: 'groupDeletedUser', groupInfo: { groupId: g } });
    expect(storeErrorOf(run(`/_delete #${g} full notify=off`))).toBe('groupNotFound');
    expect(run('/_groups 1')['groups']).toEqual([]);
    expect(run(`/_delete @${alice} full notify=off`)).toMatchObject({ type: 'contactDeleted', contact: { contactId: alice } });
    expect(run('/_contacts 1')['contacts']).toEqual([]);
  });

  it('a group the bot was invited to: joined once (userAcceptedGroupSent, then userJoinedGroup), left; an owner-only change is refused', () => {
    const { core, run, events } = session();
    core.act({ action: 'connect', name: 'carol', via: 'direct' });
    const g = core.act({ action: 'inviteBot', from: 'carol', groupName: 'club' })['groupId']!;
    expect(events.at(-1)).toMatchObject({ type: 'receivedGroupInvitation', groupInfo: { groupId: g, membership: { memberStatus: 'invited' } }, contact: { localDisplayName: 'carol' } });
    expect(run(`/_join #${g}`)).toMatchObject({ type: 'userAcceptedGroupSent', hostContact: { localDisplayName: 'carol' } });
    expect(events.at(-1)).toMatchObject({ type: 'userJoinedGroup', hostMember: { localDisplayName: 'carol', memberCategory: 'host' } });
    expect(storeErrorOf(run(`/_join #${g}`))).toBe('groupAlreadyJoined');
    expect(storeErrorOf(run(`/_group_profile #${g} {"displayName":"mine","fullName":""}`))).toBe('groupUserRole');
    expect(run(`/_leave #${g}`)).toMatchObject({ type: 'leftMemberUser', groupInfo: { membership: { memberStatus: 'left' } } });
  });

  it('connections: an invitation link, and connecting to an invitation, an address, or a contact one already has', () => {
    const { core, run } = session();
    const inv = run('/_connect 1');
    expect(inv).toMatchObject({ type: 'invitation', connection: { pccConnId: expect.any(Number) } });
    core.act({ action: 'connect', name: 'dave', via: 'invitation' });
    expect(() => core.act({ action: 'connect', name: 'erin', via: 'invitation' })).toThrow(/made none/);
    expect(run('/connect https://simplex.chat/invitation#/?v=2&smp=x')['type']).toBe('sentConfirmation');
    expect(run('/connect https://simplex.chat/contact#/?v=2&smp=y')['type']).toBe('sentInvitation');
    expect(run('/connect https://simplex.chat/contact#/?mock=peer-dave')).toMatchObject({ type: 'contactAlreadyExists', contact: { localDisplayName: 'dave' } });
    expect(storeErrorOf(run('/_connect 7'))).toBe('userNotFound');
  });

  it('contact requests: an address without auto-accept gets a request; accepted (then contactConnected) or rejected', () => {
    const { core, run, events } = session();
    run('/_address 1');
    const { contactRequestId } = core.act({ action: 'connect', name: 'frank' });
    expect(events.at(-1)).toMatchObject({ type: 'receivedContactRequest', contactRequest: { contactRequestId, localDisplayName: 'frank' } });
    expect(run(`/_accept ${contactRequestId}`)).toMatchObject({ type: 'acceptingContactRequest', contact: { localDisplayName: 'frank' } });
    expect(events.at(-1)).toMatchObject({ type: 'contactConnected', contact: { localDisplayName: 'frank' } });
    expect(storeErrorOf(run(`/_accept ${contactRequestId}`))).toBe('contactRequestNotFound');
    const second = core.act({ action: 'connect', name: 'gina' })['contactRequestId'];
    expect(run(`/_reject ${second}`)).toMatchObject({ type: 'contactRequestRejected', contactRequest: { localDisplayName: 'gina' } });
    expect(run('/_contacts 1')['contacts'].map((c: Resp) => c['localDisplayName'])).toEqual(['frank']);
  });
});

describe('simulated peers', () => {
  it('a contact connects, writes, reacts and joins a group: the events a chat core sends, in order, with the world’s ids and objects', () => {
    const { core, run, events } = session();
    run('/_address 1');
    run('/_address_settings 1 {"businessAddress":false,"autoAccept":{"acceptIncognito":false},"autoReply":{"type":"text","text":"Hello! Send /help."}}');
    const g = run('/_group 1 {"displayName":"lobby","fullName":""}')['groupInfo']['groupId'] as number;
    run(`/_create link #${g} member`);
    const start = events.length;
    const { contactId } = core.act({ action: 'connect', name: 'alice' });
    const { itemId } = core.act({ action: 'send', from: 'alice', text: '/start' });
    const mine = run(send(`@${contactId}`, 'welcome'))['chatItems'][0]['chatItem']['meta']['itemId'];
    core.act({ action: 'react', from: 'alice', itemId: mine, emoji: '❤️' });
    core.act({ action: 'joinGroup', name: 'alice', group: 'lobby' });
    core.act({ action: 'send', from: 'alice', text: 'hi all', group: g });
    core.act({ action: 'leaveGroup', name: 'alice', group: g });
    const seen = events.slice(start);
    expect(seen.map((e) => e['type'])).toEqual(['contactConnected', 'newChatItems', 'newChatItems', 'chatItemReaction', 'joinedGroupMember', 'newChatItems', 'leftMember']);
    const contact = seen[0]!['contact'];
    expect(contact).toMatchObject({ contactId, localDisplayName: 'alice', contactStatus: 'active' });
    // The auto-reply, then alice's text: the same contact in both.
    expect(seen[1]!['chatItems'][0]).toMatchObject({ chatInfo: { contact: { contactId } }, chatItem: { chatDir: { type: 'directSnd' }, content: { msgContent: { text: 'Hello! Send /help.' } } } });
    expect(seen[2]!['chatItems'][0]).toMatchObject({ chatInfo: { type: 'direct', contact: { contactId, localDisplayName: 'alice' } }, chatItem: { chatDir: { type: 'directRcv' }, meta: { itemId, itemText: '/start' }, content: { type: 'rcvMsgContent', msgContent: { type: 'text', text: '/start' } } } });
    expect(seen[3]).toMatchObject({ added: true, reaction: { chatReaction: { chatDir: { type: 'directRcv' }, chatItem: { meta: { itemId: mine } }, reaction: { emoji: '❤️' } } } });
    const member = seen[4]!['member'];
    expect(member).toMatchObject({ localDisplayName: 'alice', memberStatus: 'connected', memberContactId: contactId, memberRole: 'member' });
    expect(seen[5]!['chatItems'][0]).toMatchObject({ chatInfo: { type: 'group', groupInfo: { groupId: g } }, chatItem: { chatDir: { type: 'groupRcv', groupMember: { groupMemberId: member['groupMemberId'] } } } });
    expect(seen[6]).toMatchObject({ type: 'leftMember', member: { groupMemberId: member['groupMemberId'] } });
    expect(core.sent({ to: 'alice' }).map((m) => m.text)).toEqual(['Hello! Send /help.', 'welcome']);
  });

  it('what cannot happen is a PeerError naming what is missing', () => {
    const { core, run } = session();
    expect(() => core.act({ action: 'connect', name: 'x' })).toThrow(/has no address \(APICreateMyAddress\)/);
    expect(() => core.act({ action: 'send', from: 'nobody', text: 'hi' })).toThrow(/no contact named "nobody"/);
    core.act({ action: 'connect', name: 'y', via: 'direct' });
    run('/_group 1 {"displayName":"closed","fullName":""}');
    expect(() => core.act({ action: 'joinGroup', name: 'y', group: 'closed' })).toThrow(/has no link \(APICreateGroupLink\) and y was not invited/);
    expect(() => core.act({ action: 'react', from: 'y', itemId: 42, emoji: '👍' })).toThrow(/no item 42/);
    // Control frames say the same to a client over a connection.
    expect(core.answer(JSON.stringify({ ctl: 1, act: { action: 'send', from: 'nobody', text: 'hi' } }))).toEqual([{ ctl: 1, error: 'no contact named "nobody": connect it first' }]);
  });

  it('every era: a session of commands and peer actions is answered with documented responses that decode strictly', () => {
    if (!corpusPresent) throw new Error(CORPUS_MISSING);
    for (const era of ERA_NAMES) {
      const m = buildModel(eraInput(era)).model;
      const { core, run } = session(m);
      const responses = new Map(m.commands.map((c) => [c.name, new Set(c.responses.map((r) => r.tag))]));
      const check = (name: string, cmd: string) => {
        const r = run(cmd);
        if (responses.has(name)) expect(responses.get(name), `${era}: ${cmd}`).toContain(r['type']);
        return r;
      };
      check('APICreateMyAddress', '/_address 1');
      core.act({ action: 'connect', name: 'alice', via: 'direct' });
      core.act({ action: 'send', from: 'alice', text: 'hello' });
      check('APISendMessages', send('@2', 'hi'));
      check('APINewGroup', '/_group 1 {"displayName":"g","fullName":""}');
      // Listings hold the world's own entities in every era's shape (a group alone, or with its summary).
      const names = (xs: Resp[]) => xs.map((x) => ((x['groupInfo'] as Resp | undefined) ?? x)['localDisplayName']);
      expect(names(check('APIListContacts', '/_contacts 1')['contacts']), era).toEqual(['alice']);
      expect(names(check('APIListGroups', '/_groups 1')['groups']), era).toEqual(['g']);
      check('APIDeleteChat', '/_delete @2 full notify=off');
    }
  });
});

describe('strict scenarios', () => {
  const load = (scenario: unknown) => {
    const file = path.join(tempDir(), 'scenario.json');
    writeFileSync(file, JSON.stringify(scenario, null, 2));
    return loadScenario(file, 'scenario.json', new MockCore(model));
  };
  const messages = (r: ReturnType<typeof load>) => r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}${d.expected ? ` | ${d.expected}` : ''}`);

  it('a misspelt match key, a nested unknown key, an undocumented response, an unknown peer action: each located, with did-you-mean', () => {
    const r = load({
      rules: [
        { command: 'APISendMessages', match: { composedMesages: [] } },
        { command: 'APISendMessages', match: { composedMessages: [{ msgContent: { type: 'text', txt: 'hi' } }] } },
        { command: 'APISendMessages', respond: { type: 'contactsList' } },
        { command: 'ShowActiveUser', respond: { type: 'activeUser', usr: {} } },
        { command: 'APICreateMyAddress', act: [{ action: 'conect', name: 'a' }, { action: 'send', from: 'a', txt: 'x' }] },
        { command: 'ShowActiveUser', respnd: {} },
      ],
    });
    expect(r.scenario).toBeUndefined();
    const m = messages(r);
    expect(m).toContainEqual(expect.stringMatching(/^\d+:\d+ \$\.rules\[0\]\.match\.composedMesages: APISendMessages has no parameter "composedMesages" \| did you mean "composedMessages"\?/));
    expect(m).toContainEqual(expect.stringMatching(/\$\.rules\[1\]\.match\.composedMessages\[0\]\.msgContent\.txt: unknown key "txt" \| did you mean "text"\?/));
    expect(m).toContainEqual(expect.stringMatching(/\$\.rules\[2\]\.respond\.type: APISendMessages does not document the response "contactsList" \| one of "newChatItems", "chatCmdError", or "undocumented": true/));
    expect(m).toContainEqual(expect.stringMatching(/\$\.rules\[3\]\.respond\.usr: unknown key "usr" \| did you mean "user"\?/));
    expect(m).toContainEqual(expect.stringMatching(/\$\.rules\[4\]\.act\[0\]\.action: "conect" is not a peer action/));
    expect(m).toContainEqual(expect.stringMatching(/\$\.rules\[4\]\.act\[1\]\.txt: unknown key "txt" of send/));
    expect(m).toContainEqual(expect.stringMatching(/\$\.rules\[5\]\.respnd: unknown key "respnd" \| did you mean "respond"\?/));
    expect(r.diagnostics.every((d) => d.line !== undefined && d.code === 'MOCK001')).toBe(true);
  });

  it('undocumented: true answers what upstream SDKs send beyond the documents (/_get chat, /_create member contact)', () => {
    const prefixWithout = load({ rules: [{ prefix: '/_get chat ', respond: { type: 'apiChat' } }] });
    expect(messages(prefixWithout)).toEqual([expect.stringMatching(/prefix: a prefix rule answers a command the documents do not list: it says "undocumented": true/)]);
    const r = load({
      rules: [
        { prefix: '/_get chat ', undocumented: true, respond: { type: 'apiChat', chat: { chatItems: [] } } },
        { prefix: '/_create member contact ', undocumented: true, respond: { type: 'newMemberContact', contact: { contactId: 3 } } },
        { command: 'APISendMessages', undocumented: true, respond: { type: 'contactsList' } },
      ],
    });
    expect(r.diagnostics).toEqual([]);
    const core = new MockCore(model, 0, r.scenario!);
    expect(core.answer('{"corrId":"1","cmd":"/_get chat #1 count=10"}')).toEqual([{ corrId: '1', resp: { type: 'apiChat', chat: { chatItems: [] } } }]);
    expect(core.answer('{"corrId":"2","cmd":"/_create member contact #1 2"}')[0]!.resp).toEqual({ type: 'newMemberContact', contact: { contactId: 3 } });
    expect(core.answer(JSON.stringify({ corrId: '3', cmd: send('@1', 'x') }))[0]!.resp!['type']).toBe('contactsList');
  });

  it('the scenario JSON Schema says the same: the scenarios above that the mock accepts validate, the ones it refuses do not', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema/scenario.schema.json'), 'utf8')));
    const good = [
      { rules: [{ prefix: '/_get chat ', undocumented: true, respond: { type: 'apiChat' } }] },
      { rules: [{ command: 'APICreateMyAddress', act: [{ action: 'connect', name: 'alice', via: 'direct' }, { action: 'send', from: 'alice', text: '/start' }] }] },
      { onConnect: [{ type: 'contactConnected' }], rules: [{ command: 'APISendMessages', undocumented: true, respond: { type: 'contactsList' } }] },
    ];
    for (const g of good) expect(validate(g), JSON.stringify(validate.errors)).toBe(true);
    const bad = [
      { rules: [{ prefix: '/_get chat ', respond: { type: 'apiChat' } }] },
      { rules: [{ command: 'ShowActiveUser', respnd: {} }] },
      { rules: [{ command: 'APICreateMyAddress', act: [{ action: 'conect', name: 'a' }] }] },
      { rules: [{ command: 'APICreateMyAddress', act: [{ action: 'send', from: 'a', txt: 'x' }] }] },
      { rules: [{ command: 'X', prefix: '/x', undocumented: true, respond: { type: 't' } }] },
    ];
    for (const b of bad) expect(validate(b), JSON.stringify(b)).toBe(false);
  });

  it('a rule’s peer actions run after its response: the bot creates its address, alice connects and says /start', () => {
    const r = load({ rules: [{ command: 'APICreateMyAddress', act: [{ action: 'connect', name: 'alice', via: 'direct' }, { action: 'send', from: 'alice', text: '/start' }] }] });
    expect(r.diagnostics).toEqual([]);
    const core = new MockCore(model, 0, r.scenario!);
    const frames = core.answer('{"corrId":"1","cmd":"/_address 1"}');
    expect(frames.map((f) => [f.corrId, f.resp!['type']])).toEqual([
      ['1', 'userContactLinkCreated'],
      [undefined, 'contactConnected'],
      [undefined, 'newChatItems'],
    ]);
  });
});
