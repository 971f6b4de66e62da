/**
 * Text from documents held one byte a character wherever it can be: a document with one character beyond Latin-1
 * (spec/COMMANDS.md has an em dash) must not make the model's names, nor the JSON the mock chat core writes with
 * them, two bytes a character (encoding that for a socket cost the mock about four times as much).
 * `v8.serialize` tells how V8 holds a string: tag `"` one byte a character, `c` two.
 */
import path from 'node:path';
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { MockCore } from '../../src/mock/core.js';
import { buildModelFromDir } from '../../src/pipeline.js';
import { buildModel } from '../helpers/model.js';
import { compactText } from '../../src/util/compactText.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { minimalInput } from '../helpers/fixtures.js';

const held = (s: string) => (v8.serialize(s)[2] === 0x22 ? 'one byte' : v8.serialize(s)[2] === 0x63 ? 'two bytes' : 'other');
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

  it('and so are the mock chat core\'s answers on spec/ (its COMMANDS.md has an em dash)', () => {
    const { model } = buildModelFromDir(path.join(REPO_ROOT, 'spec'));
    const core = new MockCore(model, 0);
    core.act({ action: 'connect', name: 'alice', via: 'direct' });
    for (const cmd of ['/user', '/_contacts 1', '/_send @2 json [{"msgContent":{"type":"text","text":"hi"},"mentions":{}}]']) {
      const { frames } = core.answerFrame(JSON.stringify({ corrId: '1', cmd }));
      const text = core.frameText(frames[0]!);
      expect(JSON.parse(text).resp.type, cmd).not.toBe('chatCmdError');
      expect(held(text), cmd).toBe('one byte');
    }
  });
});
