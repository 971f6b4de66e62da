/** Fixtures written for the tests: a small, valid spec and ways to break it one thing at a time. */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, readdirSync, statSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DocKind } from '../../src/model/types.js';
import type { SpecInput } from '../../src/parse/loadSpec.js';
import { REPO_ROOT } from './corpus.js';

export const MINIMAL_DIR = path.join(REPO_ROOT, 'test/fixtures/minimal');

export function minimalTexts(): Record<DocKind, string> {
  const read = (k: DocKind) => readFileSync(path.join(MINIMAL_DIR, `${k}.md`), 'utf8');
  return { COMMANDS: read('COMMANDS'), TYPES: read('TYPES'), EVENTS: read('EVENTS') };
}

/** The minimal spec with `edit` applied to one document. */
export function minimalInput(edits: Partial<Record<DocKind, (text: string) => string>> = {}): SpecInput {
  const texts = minimalTexts();
  const input: SpecInput = { texts: {}, files: {} };
  for (const k of ['COMMANDS', 'TYPES', 'EVENTS'] as DocKind[]) {
    input.texts[k] = edits[k] ? edits[k]!(texts[k]) : texts[k];
    input.files[k] = `spec/${k}.md`;
  }
  return input;
}

/** 1-based line of the first occurrence of `needle` (throws when absent, so tests cannot pass vacuously). */
export function lineOf(text: string, needle: string, from = 0): number {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`fixture does not contain ${JSON.stringify(needle)}`);
  return text.slice(0, i).split('\n').length;
}

export function tempDir(prefix = 'sac-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a spec directory from texts (undefined texts are left out). */
export function writeSpec(dir: string, texts: Partial<Record<DocKind, string>>): string {
  mkdirSync(dir, { recursive: true });
  for (const [k, t] of Object.entries(texts)) if (t !== undefined) writeFileSync(path.join(dir, `${k}.md`), t);
  return dir;
}

/** Every file under `dir` with its content, for "nothing changed" assertions. */
export function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d).sort()) {
      const full = path.join(d, e);
      const rel = prefix ? `${prefix}/${e}` : e;
      if (statSync(full).isDirectory()) walk(full, rel);
      else out[rel] = readFileSync(full, 'utf8');
    }
  };
  try {
    walk(dir, '');
  } catch {
    return {};
  }
  return out;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
