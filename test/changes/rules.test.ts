/** The classification rules, on fixtures written for each, and the `changes` command's formats and gate. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareModels } from '../../src/changes/compare.js';
import { buildModel } from '../../src/pipeline.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli.js';
import { minimalInput, minimalTexts, tempDir, writeSpec } from '../helpers/fixtures.js';

/** ChatType without "group" (its syntax maps one value fewer). */
const dropGroup = (t: string) => t.replace('- "direct"\n- "group"', '- "direct"').replace('@|#|', '@|').replace(" : self == 'group' ? '#'", '').replace(" else '#' if str(self) == 'group'", '');

const model = (edits: Parameters<typeof minimalInput>[0] = {}) => buildModel(minimalInput(edits)).model;
const changesFor = (edits: Parameters<typeof minimalInput>[0]) => compareModels(model(), model(edits)).map((c) => `${c.level}: ${c.message}`);

describe('classification', () => {
  it('an enum value removed from a type the bot sends is breaking; one added is not', () => {
    // ChatType is sent (inside ChatRef, a command parameter).
    expect(changesFor({ TYPES: dropGroup })).toContain('breaking: type ChatType: value "group" was removed (bots may send it)');
    expect(changesFor({ TYPES: (t) => t.replace('- "direct"\n- "group"', '- "direct"\n- "group"\n- "local"') })).toEqual(['info: type ChatType: value "local" was added']);
  });

  it('a field of a received type made optional is breaking; made required, informational', () => {
    // ChatItem is received (NewChatItems response and event).
    expect(changesFor({ TYPES: (t) => t.replace('- text: string\n- meta', '- text: string?\n- meta') })).toEqual(['breaking: type ChatItem field text: is now optional (bots may no longer receive it)']);
    expect(changesFor({ TYPES: (t) => t.replace('- meta: {string : int64}?', '- meta: {string : int64}') })).toEqual(['info: type ChatItem field meta: is now required']);
  });

  it('a required field added to a sent type is breaking; to a received type, informational', () => {
    expect(changesFor({ TYPES: (t) => t.replace('- chatId: int64\n', '- chatId: int64\n- scope: string\n') })).toContain('breaking: type ChatRef: required field scope was added (bots must send it)');
    expect(changesFor({ TYPES: (t) => t.replace('- text: string\n- meta', '- text: string\n- html: string\n- meta') })).toEqual(['info: type ChatItem: required field html was added']);
  });

  it('a response field removed is breaking, a response added to a command is a warning', () => {
    expect(changesFor({ COMMANDS: (t) => t.replace('- contactId: int64\n', '') })).toEqual(['breaking: response ContactDeleted: field contactId was removed (bots reading it break)']);
    const more = changesFor({
      COMMANDS: (t) => t.replace('**Response**:\n\nContactDeleted: Contact deleted.\n- type: "contactDeleted"\n- contactId: int64\n', '**Responses**:\n\nContactDeleted: Contact deleted.\n- type: "contactDeleted"\n- contactId: int64\n\nChatCmdError: Command error.\n- type: "chatCmdError"\n- chatError: string\n'),
    });
    expect(more).toEqual(['warning: command APIDeleteChat: may now respond with ChatCmdError']);
  });

  it('a union member added to a received type is a warning', () => {
    const t = minimalTexts().TYPES;
    expect(t).toContain('Messages:\n- type: "messages"');
    // ChatDeleteMode is sent only: a new member is informational.
    expect(changesFor({ TYPES: (x) => x.replace('Messages:\n- type: "messages"', 'Messages:\n- type: "messages"\n\nEntity:\n- type: "entity"\n- notify: bool') })).toContain('info: type ChatDeleteMode: member Entity ("entity") was added');
  });

  it('a command removed, a required parameter added and a syntax change are breaking', () => {
    const removed = changesFor({ COMMANDS: (t) => t.slice(0, t.indexOf('### APIDeleteChat')) });
    expect(removed).toContain('breaking: command APIDeleteChat was removed');
    const param = changesFor({ COMMANDS: (t) => t.replace('- liveMessage: bool\n', '- liveMessage: bool\n- force: bool\n').replace('[ live=on]', '[ live=on][ force=on]') });
    expect(param.sort()).toEqual(['breaking: command APISendMessages: required parameter force was added', 'breaking: command APISendMessages: the command syntax changed']);
  });
});

describe('simplex-api-codegen changes', () => {
  const oldDir = writeSpec(tempDir(), minimalTexts());
  const newDir = writeSpec(tempDir(), { ...minimalTexts(), TYPES: dropGroup(minimalTexts().TYPES) });

  it('prints text, markdown and JSON', async () => {
    const text = await runCli(['changes', oldDir, newDir], REPO_ROOT);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('1 breaking, 0 warnings, 0 info');
    expect(text.stdout).toContain('BREAKING type ChatType: value "group" was removed (bots may send it)');
    const md = await runCli(['changes', oldDir, newDir, '--format', 'markdown'], REPO_ROOT);
    expect(md.stdout).toContain('### Breaking (1)\n\n- type ChatType: value "group" was removed (bots may send it)\n');
    const json = JSON.parse((await runCli(['changes', oldDir, newDir, '--format', 'json'], REPO_ROOT)).stdout);
    expect(json.summary).toEqual({ breaking: 1, warning: 0, info: 0 });
    expect(json.changes[0]).toMatchObject({ level: 'breaking', rule: 'enum-value-removed', subject: 'type ChatType', old: 'group' });
  });

  it('--fail-on breaking|warning gates CI', async () => {
    expect((await runCli(['changes', oldDir, newDir, '--fail-on', 'breaking'], REPO_ROOT)).code).toBe(1);
    expect((await runCli(['changes', oldDir, oldDir, '--fail-on', 'warning'], REPO_ROOT)).code).toBe(0);
    const warnOnly = writeSpec(tempDir(), { ...minimalTexts(), EVENTS: minimalTexts().EVENTS + '\n\n### Extra\n\nNew.\n\n**Record type**:\n- type: "extra"\n\n---\n' });
    expect((await runCli(['changes', oldDir, warnOnly, '--fail-on', 'breaking'], REPO_ROOT)).code).toBe(0);
    expect((await runCli(['changes', oldDir, warnOnly, '--fail-on', 'warning'], REPO_ROOT)).code).toBe(1);
  });

  it('reads a side from a git revision', async () => {
    const repo = tempDir('sac-git-');
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    git('init', '-q');
    writeSpec(path.join(repo, 'spec'), minimalTexts());
    git('add', '.');
    git('commit', '-qm', 'one');
    writeFileSync(path.join(repo, 'spec', 'TYPES.md'), dropGroup(minimalTexts().TYPES));
    git('commit', '-qam', 'two');
    const r = await runCli(['changes', 'HEAD~1:spec', 'HEAD:spec'], repo);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('API changes from HEAD~1:spec to HEAD:spec: 1 breaking');
    const bad = await runCli(['changes', 'HEAD~5:spec', 'spec'], repo);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error SPEC002: git cannot read HEAD~5:spec\/COMMANDS\.md/);
  });
});
