/**
 * The two ways to build a model give the same one: `buildModel` (from nothing) and a `SpecSession` kept across
 * builds (watch mode: parsed sections kept, only changed ones parsed again, the rest moved), on every era and
 * after an edit that moves every position below it; and what the emitters write from a session's models is what
 * they write from a cold build's, edit after edit, while the session shares what an edit did not touch. The cold
 * builds and their output are the test helpers' (model.ts, generate.ts): made once a run for the same documents
 * and options, however many tests ask.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, emitAll } from '../src/generate.js';
import { EmitMemo } from '../src/emit/memo.js';
import { loadTemplates } from '../src/emit/templates.js';
import type { SpecInput } from '../src/parse/loadSpec.js';
import { SpecSession } from '../src/pipeline.js';
import { CORPUS_MISSING, corpusPresent, ERA_NAMES, eraInput, REPO_ROOT } from './helpers/corpus.js';
import { emitOnce } from './helpers/generate.js';
import { buildModel } from './helpers/model.js';
import { eraSweep } from './helpers/tier.js';

describe('building a model once and in a session', () => {
  for (const era of eraSweep(ERA_NAMES))
    it(`${era} era: the same model and diagnostics, and again after a one-line edit of each document`, () => {
      if (!corpusPresent) throw new Error(CORPUS_MISSING);
      const input = eraInput(era);
      const session = new SpecSession();
      const original = buildModel(input);
      expect(isDeepStrictEqual(session.build(input), original)).toBe(true);
      for (const kind of ['COMMANDS', 'TYPES', 'EVENTS'] as const) {
        const text = input.texts[kind];
        if (text === undefined) continue;
        // A line added after the first heading moves every position below it.
        const edited = { ...input, texts: { ...input.texts, [kind]: text.replace('\n', '\n\nAn added line.\n') } };
        const fromSession = session.build(edited);
        expect(isDeepStrictEqual(fromSession, buildModel(edited)), kind).toBe(true);
        expect(isDeepStrictEqual(fromSession.model, original.model), kind).toBe(false);
      }
    });
});

describe('emitting from a session (watch mode)', () => {
  const texts = Object.fromEntries((['COMMANDS', 'TYPES', 'EVENTS'] as const).map((k) => [k, readFileSync(path.join(REPO_ROOT, 'spec', `${k}.md`), 'utf8')]));
  const input = (edit: Partial<Record<'COMMANDS' | 'TYPES' | 'EVENTS', string>> = {}): SpecInput => ({
    texts: { ...texts, ...edit },
    files: { COMMANDS: 'COMMANDS.md', TYPES: 'TYPES.md', EVENTS: 'EVENTS.md' },
  });
  // A value of an enum that a command's syntax spells (`/_delete item ... broadcast|internal|...`): renaming it
  // changes that command's bound syntax tree, though COMMANDS.md is the same text.
  const enumEdit = { TYPES: texts['TYPES']!.replace('- "broadcast"\n', '- "broadcastEdited"\n') };
  const descriptionEdit = { COMMANDS: texts['COMMANDS']!.replace('Create bot address.', 'Create bot address (edited).') };

  it('writes what a cold run writes, edit after edit, option after option', async () => {
    const edits: [string, Partial<Record<'COMMANDS' | 'TYPES' | 'EVENTS', string>>][] = [
      ['an enum value a command syntax spells, renamed in TYPES.md', enumEdit],
      ['a command description in COMMANDS.md', descriptionEdit],
      ['a type description in TYPES.md', { TYPES: texts['TYPES']!.replace('**Record type**:\n- chatInfo:', 'A chat with its items.\n\n**Record type**:\n- chatInfo:') }],
      ['an event description in EVENTS.md', { EVENTS: texts['EVENTS']!.replace('This event is sent after a user connects', 'Sent after a user connects') }],
      // No name changes, but what uses Profile does (the types page lists it).
      ['a field of an event given another type', { EVENTS: texts['EVENTS']!.replace('- userCustomProfile: [Profile](./TYPES.md#profile)?', '- userCustomProfile: [User](./TYPES.md#user)?') }],
      // Every position below moves: model.json with positions, the pages' "From COMMANDS.md, line N".
      ['a line added at the top of COMMANDS.md', { COMMANDS: texts['COMMANDS']!.replace('\n', '\n\nAn added line.\n') }],
      ['a type renamed (and every reference to it)', { COMMANDS: texts['COMMANDS']!.replaceAll('ChatDeleteMode', 'ChatRemoveMode'), TYPES: texts['TYPES']!.replaceAll('ChatDeleteMode', 'ChatRemoveMode').replaceAll('#chatdeletemode', '#chatremovemode') }],
      ['a command removed', { COMMANDS: texts['COMMANDS']!.replace(/### APIDeleteChat\n[\s\S]*?\n---\n/, '') }],
      ['back', {}],
    ];
    for (const [, edit] of edits.slice(0, -1)) expect(input(edit).texts, 'each edit changes something').not.toEqual(input().texts);
    // As watch mode emits: one session, one set of templates, one memo; options may change between runs (a
    // configuration file edited), and templates are loaded again after an edit of one.
    const session = new SpecSession();
    const memo = new EmitMemo();
    let templates = loadTemplates(undefined);
    const runs: [string, SpecInput, typeof DEFAULT_OPTIONS][] = [['first run', input(), DEFAULT_OPTIONS]];
    for (const [label, edit] of edits) runs.push([label, input(edit), DEFAULT_OPTIONS]);
    // Options alone changed (the documents as in the run before): what they reach is written again.
    const other = { ...DEFAULT_OPTIONS, openUnions: true, modelPositions: true, era: 'seed' as const };
    runs.push(['options changed: openUnions, positions in model.json, another era', input(), other]);
    runs.push(['the same options again, with templates loaded again', input(), other]);
    runs.push(['the defaults again', input(), DEFAULT_OPTIONS]);
    let coldModelJson: string | undefined;
    // A cold run's output for each distinct input and options (the first, "back" and the last runs ask the same).
    const cold = new Map<string, Promise<Map<string, string>>>();
    const coldOutput = (spec: SpecInput, options: typeof DEFAULT_OPTIONS) => {
      const key = JSON.stringify([spec, options]);
      if (!cold.has(key)) cold.set(key, emitOnce(buildModel(spec), options).then((e) => e.files));
      return cold.get(key)!;
    };
    for (const [i, [label, spec, options]] of runs.entries()) {
      if (label.startsWith('the same options again')) templates = loadTemplates(undefined);
      const emitted = (await emitAll(session.build(spec), options, templates, memo)).files;
      memo.sweep();
      const expected = await coldOutput(spec, options);
      expect([...emitted.keys()], label).toEqual([...expected.keys()]);
      expect([...expected].filter(([file, text]) => emitted.get(file) !== text).map(([file]) => file), label).toEqual([]);
      // The enum edit reaches a command's bound syntax in model.json: what a cache keyed by the unchanged
      // COMMANDS.md would get wrong.
      if (i === 0) coldModelJson = expected.get('model.json');
      if (i === 1) expect(expected.get('model.json')).not.toBe(coldModelJson);
    }
  });

  it('shares the items an edit did not touch with the previous model, and makes new ones of those it did', () => {
    const session = new SpecSession();
    const before = session.build(input()).model;
    const after = session.build(input(descriptionEdit)).model;
    expect(after.types).toBe(before.types);
    expect(after.events).toBe(before.events);
    expect(after.sources).toBe(before.sources);
    const changed = after.commands.filter((c, i) => c !== before.commands[i]).map((c) => c.name);
    expect(changed).toEqual(['APICreateMyAddress']);
    // A command whose bound syntax names the renamed enum value is new; the others stay shared.
    const renamed = session.build(input({ ...descriptionEdit, ...enumEdit })).model;
    const rebound = renamed.commands.filter((c, i) => c !== after.commands[i]).map((c) => c.name);
    expect(rebound.length).toBeGreaterThan(0);
    expect(rebound.length).toBeLessThan(after.commands.length / 4);
    expect(renamed.commands.find((c) => c.name === rebound[0])!.syntax.ast).not.toEqual(after.commands.find((c) => c.name === rebound[0])!.syntax.ast);
  });
});
