/** model.json and snippets.json: stable, complete, and the same for a CRLF document as for its LF twin. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpecInput } from '../../src/parse/loadSpec.js';
import { emitModelJson } from '../../src/emit/model.js';
import { emitSnippetsJson } from '../../src/emit/snippets.js';
import { buildModel } from '../helpers/model.js';
import { corpusPresent, eraInput } from '../helpers/corpus.js';
import { minimalInput, tempDir } from '../helpers/fixtures.js';

/**
 * Changed lines between two texts, and those that differ from their counterpart only in a `"line"` or `"column"`
 * number. GNU diff (part of every Debian system) does the diffing: it is fast on model.json's 40,000 lines.
 */
function positionOnlyLines(before: string, after: string): { changed: number; positionOnly: number } {
  const dir = tempDir('sac-modeldiff-');
  writeFileSync(path.join(dir, 'a'), before);
  writeFileSync(path.join(dir, 'b'), after);
  const r = spawnSync('diff', ['-U0', 'a', 'b'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`diff failed: ${r.stderr}`);
  let changed = 0;
  let positionOnly = 0;
  for (const hunk of r.stdout.split(/^@@.*@@$/m).slice(1)) {
    const lines = hunk.split('\n');
    const removed = lines.filter((l) => l.startsWith('-')).map((l) => l.slice(1));
    const added = lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1));
    changed += removed.length + added.length;
    removed.forEach((l, j) => {
      const m = added[j];
      if (m !== undefined && m !== l && /^\s*"(line|column)": \d+,?$/.test(l) && l.replace(/\d+/g, '#') === m.replace(/\d+/g, '#')) positionOnly += 2;
    });
  }
  return { changed, positionOnly };
}

describe('model.json', () => {
  it('has sorted keys and parsed types, and no source positions unless asked for', () => {
    const model = buildModel(minimalInput()).model;
    const text = emitModelJson(model).get('model.json')!;
    const json = JSON.parse(text);
    expect(Object.keys(json)).toEqual([...Object.keys(json)].sort());
    expect(json.schemaVersion).toBe(2);
    const send = json.commands[0];
    expect(send.source).toBeUndefined();
    expect(send.params[0]).toEqual({ name: 'sendRef', type: { href: './TYPES.md#chatref', kind: 'ref', name: 'ChatRef' } });
    expect(send.syntax.ast.kind).toBe('seq');
    expect(text).not.toMatch(/"(line|column)":/);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);

    const withPositions = JSON.parse(emitModelJson(model, { positions: true }).get('model.json')!);
    expect(withPositions.positions).toBe(true);
    expect(withPositions.commands[0].source).toEqual({ column: 1, doc: 'COMMANDS', line: 17 });
    expect(withPositions.commands[0].params[0].source).toEqual({ column: 3, doc: 'COMMANDS', line: 24 });
  });

  it.runIf(corpusPresent)('a sentence added to one description changes one line of model.json (with positions: every later one)', () => {
    const input = eraInput('latest');
    const edited: SpecInput = { texts: { ...input.texts }, files: input.files };
    const commands = input.texts.COMMANDS!;
    const at = commands.indexOf('Create bot address.');
    expect(at).toBeGreaterThan(0);
    edited.texts.COMMANDS = commands.slice(0, at) + 'Create bot address.\n\nA sentence added in review.' + commands.slice(at + 'Create bot address.'.length);
    const [a, b] = [input, edited].map((i) => buildModel(i).model);
    const plain = positionOnlyLines(emitModelJson(a!).get('model.json')!, emitModelJson(b!).get('model.json')!);
    expect(plain).toEqual({ changed: 2, positionOnly: 0 });
    const positioned = positionOnlyLines(emitModelJson(a!, { positions: true }).get('model.json')!, emitModelJson(b!, { positions: true }).get('model.json')!);
    expect(positioned.positionOnly).toBeGreaterThan(1000);
  });

  it.runIf(corpusPresent)('between adjacent versions of the corpus, no changed line only moves a position', () => {
    for (const [from, to] of [['seed', 'mid'], ['mid', 'latest']] as const) {
      const [a, b] = [from, to].map((e) => buildModel(eraInput(e)).model);
      const plain = positionOnlyLines(emitModelJson(a!).get('model.json')!, emitModelJson(b!).get('model.json')!);
      const positioned = positionOnlyLines(emitModelJson(a!, { positions: true }).get('model.json')!, emitModelJson(b!, { positions: true }).get('model.json')!);
      console.log(`model.json ${from} → ${to}: ${plain.changed} changed lines (with positions: ${positioned.changed}, of which ${positioned.positionOnly} only move a position)`);
      expect(plain.positionOnly).toBe(0);
      expect(positioned.positionOnly).toBeGreaterThan(0);
      expect(plain.changed).toBeLessThan(positioned.changed - positioned.positionOnly + 1);
    }
  });

  it.runIf(corpusPresent)('is the same bytes for the CRLF seed era as for its LF twin', () => {
    const lf = emitModelJson(buildModel(eraInput('seed')).model).get('model.json');
    const crlf = emitModelJson(buildModel(eraInput('seed-crlf')).model).get('model.json');
    expect(crlf).toBe(lf);
  });
});

describe('snippets.json', () => {
  it('lists every command and typed syntax with its syntax line and rendered snippets', () => {
    const json = JSON.parse(emitSnippetsJson(buildModel(minimalInput()).model).get('snippets.json')!);
    expect(json.commands.map((c: { name: string }) => c.name)).toEqual(['APISendMessages', 'APIDeleteChat']);
    expect(json.commands[0]).toEqual({
      kind: 'command',
      name: 'APISendMessages',
      syntax: '/_send <str(sendRef)>[ live=on][ ttl=<ttl>] json <json(composedMessages)>',
      javascript: "'/_send ' + ChatRef.cmdString(sendRef) + (liveMessage ? ' live=on' : '') + (ttl ? ' ttl=' + ttl : '') + ' json ' + JSON.stringify(composedMessages)",
      python: "'/_send ' + ChatRef_cmd_string(sendRef) + (' live=on' if liveMessage else '') + ((' ttl=' + str(ttl)) if ttl is not None else '') + ' json ' + json.dumps(composedMessages)",
    });
    expect(json.types.map((t: { name: string }) => t.name)).toEqual(['ChatDeleteMode', 'ChatRef', 'ChatType']);
  });

  it('takes the snippet convention as an option', () => {
    const json = JSON.parse(emitSnippetsJson(buildModel(minimalInput()).model, 'seed').get('snippets.json')!);
    expect(json.commands[1].javascript).toBe("'/_delete ' + chatRef.toString() + ' ' + chatDeleteMode.toString()");
    expect(json.commands[1].python).toBe("'/_delete ' + str(chatRef) + ' ' + str(chatDeleteMode)");
  });
});
