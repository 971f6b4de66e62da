/**
 * The real upstream documents in ../shared/corpus, by era. Tests that need them say clearly when the corpus is
 * absent instead of passing silently.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocKind } from '../../src/model/types.js';
import type { SpecInput } from '../../src/parse/loadSpec.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS_DIR = path.resolve(REPO_ROOT, '../shared/corpus');
export const corpusPresent = existsSync(path.join(CORPUS_DIR, 'MANIFEST.tsv'));
export const CORPUS_MISSING = `the corpus is missing: expected ${CORPUS_DIR}/MANIFEST.tsv (clone this repository beside ../shared)`;

export interface CorpusDoc {
  dir: string;
  kind: DocKind;
  path: string;
  lineEndings: 'LF' | 'CRLF';
  sha256: string;
}

/** Every COMMANDS, TYPES and EVENTS document the manifest lists. */
export function corpusDocs(): CorpusDoc[] {
  if (!corpusPresent) return [];
  const rows = readFileSync(path.join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  return rows
    .map((r) => r.split('\t'))
    .filter(([, file]) => /^(COMMANDS|TYPES|EVENTS)\.md$/.test(file!))
    .map(([dir, file, , , , sha256, endings]) => ({
      dir: dir!,
      kind: file!.replace('.md', '') as DocKind,
      path: path.join(CORPUS_DIR, dir!, file!),
      lineEndings: endings as 'LF' | 'CRLF',
      sha256: sha256!,
    }));
}

export function readCorpusDoc(doc: CorpusDoc): string {
  const bytes = readFileSync(doc.path);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== doc.sha256) throw new Error(`${doc.path} does not match MANIFEST.tsv (sha256 ${sha})`);
  return bytes.toString('utf8');
}

/** Complete API versions (COMMANDS + TYPES + EVENTS of one era), as ../shared/corpus/README.md lists them. */
export const ERAS = {
  seed: { COMMANDS: 'simplex-chat__simplex-chat@7089e52973', TYPES: 'TheHealer28__Inqalaab@440f27007b', EVENTS: 'simplex-chat__simplex-chat@ee7942e654' },
  'seed-crlf': { COMMANDS: 'TheHealer28__Inqalaab@440f27007b', TYPES: 'TheHealer28__Inqalaab@440f27007b', EVENTS: 'TheHealer28__Inqalaab@440f27007b' },
  mid: { COMMANDS: 'simplex-chat__simplex-chat@d74a21dfab', TYPES: 'simplex-chat__simplex-chat@088a33e09c', EVENTS: 'simplex-chat__simplex-chat@d74a21dfab' },
  latest: { COMMANDS: 'simplex-chat__simplex-chat@03c8bf5add', TYPES: 'simplex-chat__simplex-chat@03c8bf5add', EVENTS: 'simplex-chat__simplex-chat@088a33e09c' },
} as const satisfies Record<string, Record<DocKind, string>>;
export type EraName = keyof typeof ERAS;
export const ERA_NAMES = Object.keys(ERAS) as EraName[];

export function eraInput(era: EraName): SpecInput {
  const input: SpecInput = { texts: {}, files: {} };
  for (const [kind, dir] of Object.entries(ERAS[era]) as [DocKind, string][]) {
    const p = path.join(CORPUS_DIR, dir, `${kind}.md`);
    input.texts[kind] = readFileSync(p, 'utf8');
    input.files[kind] = `${dir}/${kind}.md`;
  }
  return input;
}
