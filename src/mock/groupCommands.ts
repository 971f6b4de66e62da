/** The mock's handlers of groups, their members and links. */
import type { Json } from './shape.js';
import { answer, chatError, chatOf, type Handler, inGroup, isChat, membersOf, num, ownerOnly, storeError, withUser } from './handlers.js';
export const GROUP_HANDLERS: Readonly<Record<string, Handler>> = {
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
};
