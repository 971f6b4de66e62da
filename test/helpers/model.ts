/**
 * `buildModel` for tests, built once per worker for the same documents: the eras and spec/ are asked for by
 * dozens of test files, and a worker runs many files one after another (isolate: false), so most asks find the
 * model built. A model handed out twice must not change between the asks: it comes back deep-frozen, so a test
 * or an emitter that writes to it fails where it writes instead of corrupting another test.
 * Tests of the parser itself (loadSpec, limits, fuzz) call src/pipeline.js directly.
 */
import { createHash } from 'node:crypto';
import type { LoadedSpec, SpecInput } from '../../src/parse/loadSpec.js';
import { buildModel as buildFresh } from '../../src/pipeline.js';

/**
 * The most recent models, by the bytes of their documents. A model of the latest era holds about 1.4 MB; 32 of
 * them keep the eras and spec/ while a test builds dozens of small specs of its own (names.test.ts: 40).
 */
const built = new Map<string, LoadedSpec>();
const KEPT = 32;

function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
  return Object.freeze(value);
}

function keyOf(input: SpecInput): string {
  const hash = createHash('sha256');
  for (const kind of Object.keys(input.texts).sort()) hash.update(`${kind}\0${input.files[kind as keyof typeof input.files] ?? ''}\0${input.texts[kind as keyof typeof input.texts]}\0`);
  return hash.digest('hex');
}

export function buildModel(input: SpecInput): LoadedSpec {
  const key = keyOf(input);
  const found = built.get(key);
  if (found) {
    built.delete(key); // most recently used last
    built.set(key, found);
    return found;
  }
  const spec = deepFreeze(buildFresh(input));
  built.set(key, spec);
  if (built.size > KEPT) built.delete(built.keys().next().value!);
  return spec;
}
