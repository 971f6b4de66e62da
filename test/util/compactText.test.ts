/**
 * Text from documents held one byte a character wherever it can be: a document with one character beyond Latin-1
 * (spec/COMMANDS.md has an em dash) must not make the model's names, nor the JSON the mock chat core writes with
 * them, two bytes a character (encoding that for a socket cost the mock about four times as much).
 * `v8.serialize` tells how V8 holds a string: tag `"` one byte a character, `c` two.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../helpers/model.js';
import { compactText } from '../../src/util/compactText.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { minimalInput } from '../helpers/fixtures.js';

const COMMANDS = ['/user', '/_contacts 1', '/_send @2 json [{"msgContent":{"type":"text","text":"hi"},"mentions":{}}]'];
/** How V8 holds a string, by the tag `v8.serialize` writes after its header. */
const heldAs = (tag: number) => (tag === 0x22 ? 'one byte' : tag === 0x63 ? 'two bytes' : 'other');
const held = (s: string) => heldAs(v8.serialize(s)[2]!);
const LATIN1 = /^[\x00-\xff]*$/;

/** Every string (keys too) of a value that is Latin-1 but held two bytes a character, by where it is. */
function twoByteLatin1(value: unknown): string[] {
  const found: string[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, at: string): void => {
    if (typeof v === 'string') {
      if (LATIN1.test(v) && held(v) === 'two bytes') found.push(`${at}: ${JSON.stringify(v).slice(0, 40)}`);
      return;
    }
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    for (const [k, x] of Object.entries(v)) {
      if (LATIN1.test(k) && held(k) === 'two bytes') found.push(`key ${at}.${k}`);
      walk(x, `${at}.${k}`);
    }
  };
  walk(value, '');
  return found;
}

describe('compactText', () => {
  it('holds Latin-1 text one byte a character, with the same characters; other text is left as it is', () => {
    const twoByte = 'α plain words \u00e9'.slice(2);
    expect(held(twoByte)).toBe('two bytes');
    expect(compactText(twoByte)).toBe(twoByte);
    expect(held(compactText(twoByte))).toBe('one byte');
    const beyond = 'a dash — here';
    expect(compactText(beyond)).toBe(beyond);
    expect(compactText('')).toBe('');
  });
});

describe('names from a document with a character beyond Latin-1', () => {
  it('are held one byte a character in the model', () => {
    const input = minimalInput({ COMMANDS: (t) => t.replace('## Message commands', '## Message commands\n\nCommands — to send and delete.') });
    expect(input.texts.COMMANDS).toContain('—');
    const { model } = buildModel(input);
    expect(model.commands.length).toBeGreaterThan(0);
    expect(twoByteLatin1(model)).toEqual([]);
  });

  it('as are those of a document all Latin-1, whose parts are parsed as they are (not copied)', () => {
    const input = minimalInput({ COMMANDS: (t) => t.replace('## Message commands', '## Message commands\n\nCommands \u00e0 la carte.') });
    expect(LATIN1.test(input.texts.COMMANDS!)).toBe(true);
    const { model } = buildModel(input);
    expect(model.commandCategories.map((c) => c.description).join()).toContain('\u00e0 la carte');
    expect(twoByteLatin1(model)).toEqual([]);
  });

  // In a process of its own, as the mock runs: V8 keeps one of equal names for the whole process, and a test
  // worker has met names from many documents before (a two-byte one among them makes every later use two-byte).
  it('and so are the mock chat core\'s answers on spec/ (its COMMANDS.md has an em dash)', () => {
    const dist = (rel: string) => JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'dist', rel)).href);
    const script = `import v8 from 'node:v8';
import { MockCore } from ${dist('mock/core.js')};
import { buildModelFromDir } from ${dist('pipeline.js')};
const core = new MockCore(buildModelFromDir(${JSON.stringify(path.join(REPO_ROOT, 'spec'))}).model, 0);
core.act({ action: 'connect', name: 'alice', via: 'direct' });
for (const cmd of ${JSON.stringify(COMMANDS)}) {
  const text = core.frameText(core.answerFrame(JSON.stringify({ corrId: '1', cmd })).frames[0]);
  console.log(JSON.stringify([cmd, JSON.parse(text).resp.type, v8.serialize(text)[2]]));
}`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const answers = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as [string, string, number]);
    expect(answers.map(([cmd]) => cmd)).toEqual(COMMANDS);
    for (const [cmd, type, tag] of answers) {
      expect(type, cmd).not.toBe('chatCmdError');
      expect(heldAs(tag), cmd).toBe('one byte');
    }
  });
});
