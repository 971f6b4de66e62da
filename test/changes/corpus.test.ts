/**
 * The changes between consecutive corpus versions, checked against what a reader of both documents sees.
 * Each expectation names one change; `changes` must report it at the stated level.
 */
import { describe, expect, it } from 'vitest';
import { compareModels, type ApiChange, type ChangeLevel } from '../../src/changes/compare.js';
import { buildModel } from '../helpers/model.js';
import { corpusPresent, eraInput, type EraName } from '../helpers/corpus.js';

type Expectation = [level: ChangeLevel, message: string, old?: string, new_?: string];

const EXPECTED: Record<'seed → mid' | 'mid → latest', Expectation[]> = {
  'seed → mid': [
    // COMMANDS 7089e52973 → d74a21dfab
    ['info', 'command StartChat was added'],
    ['info', 'command APIStopChat was added'],
    ['info', 'command APINewPublicGroup was added'],
    ['breaking', 'response GroupsList field groups: type changed', '[[GroupInfoSummary]]', '[[GroupInfo]]'],
    ['info', 'command ShowActiveUser: description changed'],
    ['info', 'response ChatCmdError: description changed', 'Command error.', 'Command error (only used in WebSockets API).'],
    // TYPES 440f27007b → 088a33e09c
    ['breaking', 'type ConnStatus: changed from enum to union', 'enum', 'union'],
    ['breaking', 'type NewUser: required field userChatRelay was added (bots must send it)'],
    // int and int64 are the same number / int in the generated code: a warning, not breaking.
    ['warning', 'type GroupSummary field currentMembers: type changed (the same TypeScript and Python type)', 'int', 'int64'],
    ['breaking', 'type GroupInfoSummary was removed'],
    ['warning', 'type GroupMemberRole: value "relay" was added (bots may receive it)'],
    ['warning', 'type CIDirection: member ChannelRcv ("channelRcv") was added (bots may receive it)'],
    ['info', 'type ChatErrorType: member FileRead ("fileRead") was removed'],
    ['info', 'type GroupRelay was added'],
    ['info', 'type GroupInfo: required field useRelays was added'],
    // EVENTS ee7942e654 → d74a21dfab
    ['warning', 'event HostConnected was added: bots may receive it'],
    ['warning', 'event GroupLinkRelaysUpdated was added: bots may receive it'],
    ['warning', 'event SubscriptionStatus was added: bots may receive it'],
  ],
  'mid → latest': [
    // COMMANDS d74a21dfab → 03c8bf5add
    // One change, reported once: the parameter, with the syntax that now writes it.
    ['breaking', 'command APISendMessages: required parameter signMessages was added'],
    ['breaking', 'command APIConnectPlan: parameter connectionLink was removed'],
    ['info', 'command APIConnectPlan: optional parameter connectTarget was added'],
    ['breaking', 'command StartChat: the command syntax changed', '/_start', '/_start main=on|off[ snd_files=off][ service_requests=on]'],
    ['breaking', 'command APINewPublicGroup: the command syntax changed', '/_public group <userId>[ incognito=on] <relayIds> <json(groupProfile)>', '/_public group <userId>[ incognito=on] <relayIds[0]>[,<relayIds[1]>...] <json(groupProfile)>'],
    ['info', 'command APICreateMyAddress: optional parameter pqRatchet was added'],
    ['info', 'command ConnectRemoteCtrl was added'],
    ['info', 'command APISendServiceResponse was added'],
    ['warning', 'command APISetProfileAddress: may now respond with UserProfileNoChange'],
    // TYPES 088a33e09c → 03c8bf5add
    ['warning', 'type ChatType: value "feed" was added (bots may receive it)'],
    ['warning', 'type CIDeleteMode: value "history" was added (bots may receive it)'],
    ['breaking', 'type NewUser: required field clientService was added (bots must send it)'],
    ['breaking', 'type UserContactRequest field profile: type changed', '[Profile]', '[LocalProfile]'],
    ['info', 'type ChatListQuery was added'],
    // EVENTS d74a21dfab → 088a33e09c
    ['info', 'event GroupUpdated: optional field msgSigned was added'],
  ],
};

const NOT_EXPECTED: Record<keyof typeof EXPECTED, string[]> = {
  // Enum choices in a syntax are compared as enum values: adding "relay" is not a syntax change.
  'seed → mid': ['command APIAddMember: the command syntax changed'],
  // A value mapped to its own text ("feed" → "%") is an enum change, not a change of ChatType's syntax.
  'mid → latest': [
    'type ChatType: its syntax changed (command strings that include it change)',
    'command APIDeleteChatItem: the command syntax changed',
    // Explained by the parameters added with them: reported with those.
    'command APISendMessages: the command syntax changed',
    'command APICreateMyAddress: the command syntax changed',
  ],
};

const models = new Map<EraName, ReturnType<typeof buildModel>['model']>();
const modelOf = (era: EraName) => {
  if (!models.has(era)) models.set(era, buildModel(eraInput(era)).model);
  return models.get(era)!;
};

describe.runIf(corpusPresent)('changes between consecutive corpus versions', () => {
  for (const [pair, expectations] of Object.entries(EXPECTED) as [keyof typeof EXPECTED, Expectation[]][]) {
    const [from, to] = pair.split(' → ') as [EraName, EraName];
    let changes: ApiChange[] = [];
    it(`${pair}: compares`, () => {
      changes = compareModels(modelOf(from), modelOf(to));
      expect(changes.length).toBeGreaterThan(expectations.length);
    });
    for (const [level, message, old, new_] of expectations)
      it(`${pair}: ${level}: ${message}`, () => {
        const found = changes.filter((c) => c.message === message);
        expect(found, `not reported; ${changes.length} changes were`).toHaveLength(1);
        expect(found[0]!.level).toBe(level);
        if (old !== undefined) expect(found[0]!.old).toBe(old);
        if (new_ !== undefined) expect(found[0]!.new).toBe(new_);
      });
    for (const message of NOT_EXPECTED[pair])
      it(`${pair}: not reported: ${message}`, () => {
        expect(changes.map((c) => c.message)).not.toContain(message);
      });
  }

  it('the same version compared with itself has no changes', () => {
    expect(compareModels(modelOf('latest'), modelOf('latest'))).toEqual([]);
    expect(compareModels(modelOf('seed'), modelOf('seed-crlf'))).toEqual([]);
  });

  it('has at least 25 hand-written expectations', () => {
    expect(Object.values(EXPECTED).flat().length).toBeGreaterThanOrEqual(25);
  });
});
