/**
 * Watch mode's memo (EmitMemo over a SpecSession's shared models) never writes other bytes than a cold run: over
 * seeded random edits of spec/'s documents, one after another in one session as an editor makes them (some leave
 * errors, which the session builds and the next edit fixes), every emit equals a fresh build's emit.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { EmitMemo } from '../../src/emit/memo.js';
import { loadTemplates } from '../../src/emit/templates.js';
import { DEFAULT_OPTIONS, emitAll } from '../../src/generate.js';
import type { DocKind } from '../../src/model/types.js';
import type { SpecInput } from '../../src/parse/loadSpec.js';
import { buildModel, SpecSession } from '../../src/pipeline.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { MUTATIONS, rng, type Mutation } from '../helpers/mutate.js';

const KINDS: readonly DocKind[] = ['COMMANDS', 'TYPES', 'EVENTS'];
const RUNS = 30;
/** A word added to a line of prose (a description): the edit made most often, and one that always builds. */
const editProse: Mutation = (lines, random) => {
  const prose = lines.flatMap((l, i) => (/^[A-Za-z]/.test(l) && !l.startsWith('**') ? [i] : []));
  const i = prose[Math.floor(random() * prose.length)];
  return i === undefined ? lines : lines.map((l, j) => (j === i ? `${l} (edited ${Math.floor(random() * 1000)})` : l));
};
/** Prose edits and the fuzz tests' mutations that an editor makes (the hostile ones mostly end in errors, which build nothing). */
const EDITS: Record<string, Mutation> = {
  editProse,
  ...Object.fromEntries(['dropLine', 'duplicateLine', 'swapLines', 'randomBytes', 'crlf', 'injectedName', 'dangerousName'].map((name) => [name, MUTATIONS[name]!])),
};
/** Which edit each draw makes: prose three times in ten. */
const EDIT_NAMES = ['editProse', 'editProse', ...Object.keys(EDITS)];

const TYPE_LINK = /\[([A-Za-z0-9_]+)\]\((\.\/TYPES\.md)?#([a-z0-9_-]+)\)/;

/** A field given another type the documents link to: what uses each type changes, the names do not. */
function retargetField(texts: Record<DocKind, string>, kind: DocKind, random: () => number): Record<DocKind, string> {
  const lines = texts[kind].split('\n');
  const fields = lines.flatMap((l, i) => (/^- \w+: \[/.test(l) && TYPE_LINK.test(l) ? [i] : []));
  const names = [...texts.TYPES.matchAll(/^## (\w+)$/gm)].map((m) => m[1]!);
  const i = fields[Math.floor(random() * fields.length)];
  const name = names[Math.floor(random() * names.length)];
  if (i === undefined || name === undefined) return texts;
  lines[i] = lines[i]!.replace(TYPE_LINK, (_m, _old, file: string | undefined) => `[${name}](${file ?? ''}#${name.toLowerCase()})`);
  return { ...texts, [kind]: lines.join('\n') };
}

/** A type renamed in every document (its heading, links and anchors): every target's names move. */
function renameType(texts: Record<DocKind, string>, random: () => number): Record<DocKind, string> {
  const names = [...texts.TYPES.matchAll(/^## (\w+)$/gm)].map((m) => m[1]!);
  const name = names[Math.floor(random() * names.length)]!;
  const word = new RegExp(`\\b${name}\\b`, 'g');
  const anchor = new RegExp(`#${name.toLowerCase()}\\b`, 'g');
  return Object.fromEntries(KINDS.map((k) => [k, texts[k].replace(word, `${name}Renamed`).replace(anchor, `#${name.toLowerCase()}renamed`)])) as Record<DocKind, string>;
}

describe('watch mode emits what a cold run emits', () => {
  it(`over ${RUNS} seeded random edits of spec/'s documents in one session`, async () => {
    const base = Object.fromEntries(KINDS.map((k) => [k, readFileSync(path.join(REPO_ROOT, 'spec', `${k}.md`), 'utf8')])) as Record<DocKind, string>;
    const files = Object.fromEntries(KINDS.map((k) => [k, `${k}.md`]));
    const random = rng(20261205);
    const session = new SpecSession();
    const memo = new EmitMemo();
    const templates = loadTemplates(undefined);
    let compared = 0;
    const differences: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Each edit starts from spec/'s documents (an editor's buffer, edited and restored), one document at a
      // time, or every document for a rename.
      const kind = KINDS[Math.floor(random() * KINDS.length)]!;
      const draw = random();
      let texts: Record<DocKind, string>;
      const applied: string[] = [];
      if (draw < 0.15) {
        texts = renameType(base, random);
        applied.push('renameType');
      } else if (draw < 0.3) {
        texts = retargetField(base, kind, random);
        applied.push('retargetField');
      } else {
        let lines = base[kind].split('\n');
        for (let n = 1 + Math.floor(random() * 2); n > 0; n--) {
          const edit = EDIT_NAMES[Math.floor(random() * EDIT_NAMES.length)]!;
          applied.push(edit);
          lines = EDITS[edit]!(lines, random);
        }
        texts = { ...base, [kind]: lines.join('\n') };
      }
      const input: SpecInput = { texts, files };
      const warm = session.build(input);
      if (hasErrors(warm.diagnostics)) continue;
      const emitted = (await emitAll(warm, DEFAULT_OPTIONS, templates, memo)).files;
      memo.sweep();
      const cold = (await emitAll(buildModel(input), DEFAULT_OPTIONS)).files;
      compared++;
      const differ = [...new Set([...cold.keys(), ...emitted.keys()])].filter((f) => cold.get(f) !== emitted.get(f));
      if (differ.length) differences.push(`run ${run} (${kind}: ${applied.join('+')}): ${differ.join(', ')}`);
    }
    expect(differences).toEqual([]);
    // Most random edits leave a document that builds: the comparison ran on them.
    expect(compared).toBeGreaterThan(RUNS / 3);
  }, 600_000);
});
