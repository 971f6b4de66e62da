/**
 * The two ways to build a model give the same one: `buildModel` (from nothing) and a `SpecSession` kept across
 * builds (watch mode: parsed sections kept, only changed ones parsed again, the rest moved), on every era and
 * after an edit that moves every position below it; and what the emitters write from a session's models is what
 * they write from a cold build's, edit after edit, while the session shares what an edit did not touch.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, emitAll } from '../src/generate.js';
import { loadTemplates } from '../src/emit/templates.js';
import type { SpecInput } from '../src/parse/loadSpec.js';
import { buildModel, SpecSession } from '../src/pipeline.js';
import { CORPUS_MISSING, corpusPresent, ERA_NAMES, eraInput, REPO_ROOT } from './helpers/corpus.js';
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

  it('writes what a cold run writes, edit after edit (an enum value a command syntax spells, a description, and back)', async () => {
    expect(enumEdit.TYPES).not.toBe(texts['TYPES']);
    expect(descriptionEdit.COMMANDS).not.toBe(texts['COMMANDS']);
    const session = new SpecSession();
    const templates = loadTemplates(undefined);
    const cold = async (spec: SpecInput) => (await emitAll(buildModel(spec), DEFAULT_OPTIONS)).files;
    const base = await cold(input());
    const steps: [string, SpecInput, Map<string, string>][] = [
      ['base', input(), base],
      ['enum value renamed in TYPES.md', input(enumEdit), await cold(input(enumEdit))],
      ['back', input(), base],
      ['command description in COMMANDS.md', input(descriptionEdit), await cold(input(descriptionEdit))],
      ['back', input(), base],
    ];
    // The enum edit reaches a command's syntax in model.json: the case a cache keyed by the unchanged COMMANDS.md
    // would get wrong.
    expect(steps[1]![2].get('model.json')).not.toBe(base.get('model.json'));
    for (const [label, spec, expected] of steps) {
      const emitted = (await emitAll(session.build(spec), DEFAULT_OPTIONS, templates)).files;
      expect([...emitted.keys()], label).toEqual([...expected.keys()]);
      expect([...expected].filter(([file, text]) => emitted.get(file) !== text).map(([file]) => file), label).toEqual([]);
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
