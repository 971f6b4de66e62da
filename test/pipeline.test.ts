/**
 * The two ways to build a model give the same one: `buildModel` (from nothing) and a `SpecSession` kept across
 * builds (watch mode: parsed sections kept, only changed ones parsed again, the rest moved), on every era and
 * after an edit that moves every position below it.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildModel, SpecSession } from '../src/pipeline.js';
import { CORPUS_MISSING, corpusPresent, ERA_NAMES, eraInput } from './helpers/corpus.js';
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
