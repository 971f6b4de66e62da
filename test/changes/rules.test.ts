/** The classification rules, on fixtures written for each, and the `changes` command's formats and gate. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareModels } from '../../src/changes/compare.js';
import { buildModel } from '../helpers/model.js';
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
    // The syntax changed only by the part that writes the new parameter: one change, with the syntax shown.
    const edit = (t: string) => t.replace('- liveMessage: bool\n', '- liveMessage: bool\n- force: bool\n').replace('[ live=on]', '[ live=on][ force=on]');
    expect(changesFor({ COMMANDS: edit })).toEqual(['breaking: command APISendMessages: required parameter force was added']);
    const [param] = compareModels(model(), model({ COMMANDS: edit }));
    expect(param).toMatchObject({ kind: 'command', name: 'APISendMessages', parameter: 'force', rule: 'required-parameter-added', syntax: { old: expect.stringContaining('[ live=on][ ttl'), new: expect.stringContaining('[ live=on][ force=on][ ttl') } });
    // A change of the syntax beyond that is a change of its own.
    const both = changesFor({ COMMANDS: (t) => edit(t).replace('] json <json', '] jsonl <json') });
    expect(both.sort()).toEqual(['breaking: command APISendMessages: required parameter force was added', 'breaking: command APISendMessages: the command syntax changed']);
  });

  it('a type change that gives the same TypeScript and Python type (int → int64) is a warning', () => {
    expect(changesFor({ TYPES: (t) => t.replace('- chatId: int64\n', '- chatId: int\n') })).toEqual(['warning: type ChatRef field chatId: type changed (the same TypeScript and Python type)']);
    expect(changesFor({ TYPES: (t) => t.replace('- chatId: int64\n', '- chatId: string\n') })).toEqual(['breaking: type ChatRef field chatId: type changed']);
  });

  it('says what each change is about (kind, name, member, parameter, field) and where it is in both versions', () => {
    const [c] = compareModels(model(), model({ TYPES: (t) => t.replace('- text: string\n- meta', '- text: string?\n- meta') }), { old: { TYPES: 'old/TYPES.md' }, new: { TYPES: 'new/TYPES.md' } });
    const line = minimalTexts().TYPES.split('\n').indexOf('- text: string') + 1;
    expect(c).toEqual({
      level: 'breaking',
      rule: 'made-optional',
      kind: 'type',
      name: 'ChatItem',
      field: 'text',
      change: 'changed',
      message: 'type ChatItem field text: is now optional (bots may no longer receive it)',
      old: 'string',
      new: 'string?',
      oldAt: { file: 'old/TYPES.md', line, column: 3 },
      newAt: { file: 'new/TYPES.md', line, column: 3 },
    });
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
    expect(md.stdout).toContain('### Breaking (1)\n\n- type `ChatType`: value "group" was removed (bots may send it)\n');
    const json = JSON.parse((await runCli(['changes', oldDir, newDir, '--format', 'json'], REPO_ROOT)).stdout);
    expect(json.summary).toEqual({ breaking: 1, warning: 0, info: 0 });
    const line = (text: string, needle: string) => text.split('\n').indexOf(needle) + 1;
    expect(json.changes[0]).toEqual({
      kind: 'type',
      name: 'ChatType',
      rule: 'enum-value-removed',
      level: 'breaking',
      change: 'removed',
      message: 'type ChatType: value "group" was removed (bots may send it)',
      old: 'group',
      oldAt: { file: path.join(oldDir, 'TYPES.md'), line: line(minimalTexts().TYPES, '- "group"'), column: 3 },
      newAt: { file: path.join(newDir, 'TYPES.md'), line: line(minimalTexts().TYPES, '## ChatType'), column: 1 },
    });
  });

  it('--format github annotates the new documents at the changed lines; markdown folds info entries', async () => {
    const edited = writeSpec(tempDir(), { ...minimalTexts(), TYPES: minimalTexts().TYPES.replace('- text: string\n- meta', '- text: string?\n- meta').replace('- "direct"\n- "group"', '- "direct"\n- "group"\n- "local"') });
    const gh = await runCli(['changes', oldDir, edited, '--format', 'github'], REPO_ROOT);
    const line = minimalTexts().TYPES.split('\n').indexOf('- text: string') + 1;
    const file = path.join(edited, 'TYPES.md').replace(/:/g, '%3A').replace(/,/g, '%2C');
    expect(gh.stdout).toContain(`::error file=${file},line=${line},col=3,title=breaking%3A made-optional::type ChatItem field text: is now optional (bots may no longer receive it)%0Aold: string%0Anew: string?\n`);
    expect(gh.stdout).toMatch(/^::notice file=.*TYPES\.md,line=\d+,col=3,title=info%3A enum-value-added::type ChatType: value "local" was added$/m);
    const md = await runCli(['changes', oldDir, edited, '--format', 'markdown'], REPO_ROOT);
    expect(md.stdout).toContain('\n<details><summary>Info (1)</summary>\n\n- type `ChatType`: value "local" was added\n\n</details>\n');
    expect(md.stdout).toContain('- type `ChatItem` field `text`: is now optional (bots may no longer receive it)\n');
  });

  it('--ignore accepts reviewed changes by rule and name; entries that accept nothing are named', async () => {
    const dir = tempDir();
    const ignore = path.join(dir, 'accepted.txt');
    writeFileSync(ignore, '# reviewed\nenum-value-removed ChatType\nfield-removed Nothing.*\n');
    const r = await runCli(['changes', oldDir, newDir, '--ignore', ignore, '--fail-on', 'breaking'], REPO_ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 breaking, 0 warnings, 0 info (1 ignored)');
    expect(r.stderr).toContain(`note: ${ignore}:3: "field-removed Nothing.*" accepts no change any more (remove it?)`);
    expect(JSON.parse((await runCli(['changes', oldDir, newDir, '--ignore', ignore, '--format', 'json'], REPO_ROOT)).stdout).ignored).toBe(1);
    writeFileSync(ignore, '* Chat*\n');
    expect((await runCli(['changes', oldDir, newDir, '--ignore', ignore, '--fail-on', 'breaking'], REPO_ROOT)).code).toBe(0);
    writeFileSync(ignore, 'enum-value-removd ChatType\nfield-removed\n');
    const bad = await runCli(['changes', oldDir, newDir, '--ignore', ignore], REPO_ROOT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${ignore}:1:1: error IGN001: "enum-value-removd" is not a rule of changes: did you mean "enum-value-removed"?`);
    expect(bad.stderr).toContain(`${ignore}:2:1: error IGN001: expected a rule and a name, found 1 word`);
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
