/**
 * `buildModel` for tests, built once per run for the same documents: the eras and spec/ are asked for by dozens
 * of test files. A worker runs many files one after another (isolate: false) and keeps the models it was handed;
 * one it does not have comes as JSON from another worker's build of this run (sharedCheck.ts: a model
 * round-trips through JSON exactly, as the generator's own model cache relies on), or with SAC_TEST_CACHE from an
 * earlier run of the same parser source (src/pipeline.ts and the modules it imports). A model handed out twice
 * must not change between the asks: it comes back deep-frozen, so a test or an emitter that writes to it fails
 * where it writes instead of corrupting another test.
 * Tests of the parser itself (loadSpec, limits, fuzz) call src/pipeline.js directly.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadedSpec, SpecInput } from '../../src/parse/loadSpec.js';
import { buildModel as buildFresh } from '../../src/pipeline.js';
import { REPO_ROOT } from './corpus.js';
import { sharedCheck } from './sharedCheck.js';

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

/**
 * The digest of a module and every module of src/ it imports, at any depth (static and dynamic imports, type-only
 * ones too): an edit to an emitter leaves the models of the parser's source as they were.
 */
function moduleGraphDigest(entry: string): string {
  const hash = createHash('sha256');
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    hash.update(`${path.relative(REPO_ROOT, file)}\0${text.length}\0`).update(text);
    for (const [, spec] of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) visit(path.resolve(path.dirname(file), spec!.replace(/\.js$/, '.ts')));
  };
  visit(entry);
  return hash.digest('hex');
}

let parser: string | undefined;
/** What a build reads besides its documents: src/pipeline.ts and what it imports (the libraries are in the kept key). */
function parserDigest(): string {
  return (parser ??= moduleGraphDigest(path.join(REPO_ROOT, 'src/pipeline.ts')));
}

/** The key of the documents each model handed out was built from. */
const keys = new WeakMap<LoadedSpec, string>();

/** The key of the documents `spec` was built from, if buildModel handed it out. */
export function inputKeyOf(spec: LoadedSpec): string | undefined {
  return keys.get(spec);
}

export function buildModel(input: SpecInput): LoadedSpec {
  const key = keyOf(input);
  const found = built.get(key);
  if (found) {
    built.delete(key); // most recently used last
    built.set(key, found);
    return found;
  }
  const spec = deepFreeze(sharedCheck(['buildModel', parserDigest(), key], [], () => buildFresh(input)));
  keys.set(spec, key);
  built.set(key, spec);
  if (built.size > KEPT) built.delete(built.keys().next().value!);
  return spec;
}
