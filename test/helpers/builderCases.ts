/**
 * Hand-written command strings for the latest era, pinning the builders' intended behaviour, including the
 * deliberate departures from upstream's JavaScript snippets (see README, "Builder decisions").
 */
export interface BuilderCase {
  command: string;
  params: Record<string, unknown>;
  /** The expected string, or `{ throws }` with a fragment of the error message. */
  want: string | { throws: string };
  why?: string;
}

const direct5 = { chatType: 'direct', chatId: 5 };
const msg = [{ msgContent: { type: 'text', text: 'hi' }, mentions: {} }];
const msgJson = '[{"msgContent":{"type":"text","text":"hi"},"mentions":{}}]';

export const BUILDER_CASES: BuilderCase[] = [
  { command: 'APICreateMyAddress', params: { userId: 1 }, want: '/_address 1' },
  { command: 'APICreateMyAddress', params: { userId: 1, pqRatchet: true }, want: '/_address 1 pq_ratchet=on' },
  { command: 'APICreateMyAddress', params: { userId: 1, pqRatchet: false }, want: '/_address 1 pq_ratchet=off', why: 'optional bool: false is written, absent is not' },
  { command: 'APIDeleteMyAddress', params: { userId: 7 }, want: '/_delete_address 7' },
  { command: 'APISetProfileAddress', params: { userId: 1, enable: false }, want: '/_profile_address 1 off' },
  { command: 'APISetAddressSettings', params: { userId: 1, settings: { businessAddress: false } }, want: '/_address_settings 1 {"businessAddress":false}' },
  { command: 'APISendMessages', params: { sendRef: direct5, liveMessage: false, signMessages: false, composedMessages: msg }, want: `/_send @5 json ${msgJson}` },
  { command: 'APISendMessages', params: { sendRef: direct5, liveMessage: false, ttl: 0, signMessages: false, composedMessages: msg }, want: `/_send @5 ttl=0 json ${msgJson}`, why: 'ttl=0 is kept (upstream JavaScript drops it)' },
  { command: 'APISendMessages', params: { sendRef: direct5, liveMessage: true, ttl: 30, signMessages: true, composedMessages: msg }, want: `/_send @5 live=on ttl=30 sign=on json ${msgJson}` },
  { command: 'APISendMessages', params: { sendRef: { chatType: 'group', chatId: 5, chatScope: { type: 'memberSupport', groupMemberId_: 3 } }, liveMessage: false, signMessages: false, composedMessages: [] }, want: '/_send #5(_support:3) json []' },
  { command: 'APISendMessages', params: { sendRef: { chatType: 'group', chatId: 5, chatScope: { type: 'memberSupport' } }, liveMessage: false, signMessages: false, composedMessages: [] }, want: '/_send #5(_support) json []' },
  { command: 'APISendMessages', params: { sendRef: { chatType: 'group', chatId: 5, chatScope: { type: 'memberSupport', groupMemberId_: 0 } }, liveMessage: false, signMessages: false, composedMessages: [] }, want: '/_send #5(_support:0) json []', why: 'member id 0 is kept' },
  { command: 'APISendMessages', params: { sendRef: { chatType: 'feed', chatId: 1 }, liveMessage: false, signMessages: false, composedMessages: [{ msgContent: { type: 'text', text: 'é "q" \\ 日' } }] }, want: '/_send %1 json [{"msgContent":{"type":"text","text":"é \\"q\\" \\\\ 日"}}]' },
  { command: 'APIUpdateChatItem', params: { chatRef: direct5, chatItemId: 9, liveMessage: true, updatedMessage: { msgContent: { type: 'text', text: 'x' }, mentions: {} } }, want: '/_update item @5 9 live=on json {"msgContent":{"type":"text","text":"x"},"mentions":{}}' },
  { command: 'APIDeleteChatItem', params: { chatRef: { chatType: 'local', chatId: 2 }, chatItemIds: [1, 2, 3], deleteMode: 'internalMark' }, want: '/_delete item *2 1,2,3 internalMark' },
  { command: 'APIDeleteChatItem', params: { chatRef: direct5, chatItemIds: [], deleteMode: 'broadcast' }, want: { throws: 'chatItemIds must not be empty' }, why: 'the syntax needs at least one id' },
  { command: 'APIDeleteMemberChatItem', params: { groupId: 1, chatItemIds: [9] }, want: '/_delete member item #1 9' },
  { command: 'APIChatItemReaction', params: { chatRef: direct5, chatItemId: 4, add: true, reaction: { type: 'emoji', emoji: '👍' } }, want: '/_reaction @5 4 on {"type":"emoji","emoji":"👍"}' },
  { command: 'ReceiveFile', params: { fileId: 1, userApprovedRelays: false }, want: '/freceive 1' },
  { command: 'ReceiveFile', params: { fileId: 1, userApprovedRelays: true, storeEncrypted: false, fileInline: true, filePath: '/tmp/f' }, want: '/freceive 1 approved_relays=on encrypt=off inline=on /tmp/f' },
  { command: 'ReceiveFile', params: { fileId: 1, userApprovedRelays: false, filePath: '' }, want: '/freceive 1 ', why: 'a present empty path is written, as Python does' },
  { command: 'CancelFile', params: { fileId: 3 }, want: '/fcancel 3' },
  { command: 'APIAddMember', params: { groupId: 1, contactId: 2, memberRole: 'admin' }, want: '/_add #1 2 admin' },
  { command: 'APIMembersRole', params: { groupId: 1, groupMemberIds: [4, 5], memberRole: 'observer' }, want: '/_member role #1 4,5 observer' },
  { command: 'APIBlockMembersForAll', params: { groupId: 1, groupMemberIds: [4], blocked: true }, want: '/_block #1 4 blocked=on' },
  { command: 'APIRemoveMembers', params: { groupId: 1, groupMemberIds: [4], withMessages: true }, want: '/_remove #1 4 messages=on' },
  { command: 'APIRemoveMembers', params: { groupId: 1, groupMemberIds: [], withMessages: false }, want: { throws: 'groupMemberIds must not be empty' } },
  { command: 'APINewGroup', params: { userId: 1, incognito: true, groupProfile: { displayName: 'g', fullName: '' } }, want: '/_group 1 incognito=on {"displayName":"g","fullName":""}' },
  { command: 'APIConnectPlan', params: { userId: 1, connectTarget: "https://x/a'b", resolveMode: 'never' }, want: "/_connect plan 1 https://x/a'b" },
  { command: 'APIConnectPlan', params: { userId: 1, resolveMode: 'never' }, want: { throws: 'connectTarget is required by the syntax' }, why: 'optional in the parameters, yet the syntax needs it' },
  { command: 'APIConnect', params: { userId: 1, incognito: false }, want: '/_connect 1', why: 'absent optional link' },
  { command: 'APIConnect', params: { userId: 1, incognito: false, preparedLink_: { connFullLink: 'full', connShortLink: 'short' } }, want: '/_connect 1 full short' },
  { command: 'APIConnect', params: { userId: 1, incognito: false, preparedLink_: { connFullLink: 'full' } }, want: '/_connect 1 full' },
  { command: 'Connect', params: { incognito: false }, want: '/connect' },
  { command: 'Connect', params: { incognito: false, connTarget_: 'simplex:/x' }, want: '/connect simplex:/x' },
  { command: 'APIDeleteChat', params: { chatRef: { chatType: 'direct', chatId: 1 }, chatDeleteMode: { type: 'full', notify: false } }, want: '/_delete @1 full notify=off' },
  { command: 'APIDeleteChat', params: { chatRef: { chatType: 'group', chatId: 1 }, chatDeleteMode: { type: 'entity', notify: true } }, want: '/_delete #1 entity' },
  { command: 'APIDeleteChat', params: { chatRef: { chatType: 'direct', chatId: 1 }, chatDeleteMode: { type: 'messages' } }, want: '/_delete @1 messages' },
  { command: 'APIGetChats', params: { userId: 1, pendingConnections: true, pagination: { type: 'last', count: 20 }, query: { type: 'filters', favorite: false, unread: true } }, want: '/_get chats 1 pcc=on count=20 {"type":"filters","favorite":false,"unread":true}' },
  { command: 'StartChat', params: { mainApp: true, enableSndFiles: false, serviceRequests: false }, want: '/_start main=on snd_files=off' },
  { command: 'StartChat', params: { mainApp: false, enableSndFiles: true, serviceRequests: true }, want: '/_start main=off service_requests=on' },
  { command: 'APIStopChat', params: {}, want: '/_stop' },
  { command: 'ShowActiveUser', params: {}, want: '/user' },
  { command: 'APIDeleteUser', params: { userId: 1, delSMPQueues: true }, want: '/_delete user 1 del_smp=on' },
  { command: 'APIDeleteUser', params: { userId: 1, delSMPQueues: false, viewPwd: 'p"w' }, want: '/_delete user 1 del_smp=off "p\\"w"' },
  { command: 'APISetContactCustomData', params: { contactId: 2 }, want: '/_set custom @2' },
  { command: 'APISetContactCustomData', params: { contactId: 2, customData: {} }, want: '/_set custom @2 {}' },
  { command: 'APIShareChatMsgContent', params: { shareChatRef: { chatType: 'group', chatId: 3 }, toSendRef: direct5 }, want: '/_share chat content #3 @5' },
];
