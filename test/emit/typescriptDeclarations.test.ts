/**
 * The TypeScript target prints its declarations itself (src/emit/typescript/declarations.ts), without loading the
 * TypeScript compiler. ts-morph's `printStructure` is the reference: both must give the same bytes for every
 * declaration of the corpus and of the fixtures, and for drawn declarations with awkward names, types and docs.
 */
import fc from 'fast-check';
import path from 'node:path';
import { ModuleDeclarationKind, printStructure, StructureKind, type StatementStructures } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { printDeclaration, toTsMorphStructure, type Declaration, type InterfaceDecl, type TypeAliasDecl } from '../../src/emit/typescript/declarations.js';
import { docCommentText } from '../../src/emit/identifiers.js';
import { emitTypeScript } from '../../src/emit/typescript/typescript.js';
import { readSpecDir, type SpecInput } from '../../src/parse/loadSpec.js';
import { buildModel } from '../helpers/model.js';
import { CORPUS_MISSING, corpusPresent, ERA_NAMES, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { DANGEROUS_NAMES, dangerousSpec } from '../helpers/dangerousNames.js';
import { minimalInput } from '../helpers/fixtures.js';
import { hostileSpec } from '../helpers/hostile.js';
import { eraSweep } from '../helpers/tier.js';

const KINDS = { Interface: StructureKind.Interface, TypeAlias: StructureKind.TypeAlias, Module: StructureKind.Module, Namespace: ModuleDeclarationKind.Namespace };
/** What the target wrote with ts-morph: `printStructure` with its options, without the final newlines. */
const byTsMorph = (d: Declaration) => printStructure(toTsMorphStructure(d, KINDS) as StatementStructures, { indentNumberOfSpaces: 2, useSingleQuote: false }).replace(/\n+$/, '');

const FILES = { COMMANDS: 'COMMANDS.md', TYPES: 'TYPES.md', EVENTS: 'EVENTS.md' };

/** Every TypeScript file of `input`, printed both ways, must be the same; returns how many files were compared. */
function expectSameFiles(input: SpecInput, label: string): number {
  const spec = buildModel(input);
  expect(hasErrors(spec.diagnostics), label).toBe(false);
  let compared = 0;
  for (const openUnions of [false, true]) {
    const ours = emitTypeScript(spec.model, spec.files, { openUnions });
    const reference = emitTypeScript(spec.model, spec.files, { openUnions }, byTsMorph);
    expect([...ours.files.keys()]).toEqual([...reference.files.keys()]);
    for (const [file, text] of reference.files) {
      expect(ours.files.get(file), `${label} ${file} (openUnions ${openUnions})`).toBe(text);
      compared++;
    }
  }
  return compared;
}

describe('TypeScript declarations print as ts-morph prints them', () => {
  it('spec/, the minimal fixture, the hostile fixture and every dangerous name', () => {
    expect(expectSameFiles(readSpecDir(path.join(REPO_ROOT, 'spec')).input, 'spec/')).toBe(10);
    expectSameFiles(minimalInput(), 'minimal');
    expectSameFiles({ texts: hostileSpec(), files: FILES }, 'hostile');
    for (const name of DANGEROUS_NAMES) expectSameFiles({ texts: dangerousSpec(name), files: FILES }, name);
  });

  for (const era of eraSweep(ERA_NAMES))
    it(`the ${era} era, with and without open unions`, () => {
      if (!corpusPresent) throw new Error(CORPUS_MISSING);
      expectSameFiles(eraInput(era), era);
    });

  it('drawn declarations: names, types over several lines, docs with blank, indented and trailing-space lines', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '*', '/', '\n', '\r\n', '"', "'", '`', '{', '}', '\\', 'é', '日', '\t', '|') , maxLength: 30 });
    // Docs as the target writes them: through docCommentText, which escapes `*/` (ts-morph's writer takes a
    // backtick after a raw `*/` for the start of a template string and stops indenting).
    const docs = fc.option(fc.array(text.map(docCommentText), { maxLength: 2 }), { nil: undefined });
    const ident = fc.stringMatching(/^[A-Za-z_$][A-Za-z0-9_$]{0,8}$/);
    const type = fc.oneof(
      fc.constantFrom('string', 'number | undefined', 'T.ChatType', '"a" | "b"', '{ a: 1 }', 'never'),
      fc.array(fc.constantFrom('"x"', 'A.B', 'string'), { minLength: 2, maxLength: 4 }).map((ms) => '\n' + ms.map((m) => `  | ${m}`).join('\n')),
    );
    const alias = fc.record({ kind: fc.constant('typeAlias' as const), name: ident, exported: fc.boolean(), docs, type });
    const iface = fc.record({
      kind: fc.constant('interface' as const),
      name: ident,
      exported: fc.boolean(),
      docs,
      extends: fc.option(fc.array(ident, { maxLength: 2 }), { nil: undefined }),
      indexSignature: fc.option(fc.record({ keyName: ident, keyType: fc.constant('string'), valueType: fc.constantFrom('unknown', 'number') }), { nil: undefined }),
      properties: fc.array(
        fc.record({ name: fc.oneof(ident, fc.constant('"with space"')), type, optional: fc.boolean(), trailing: fc.option(fc.constantFrom(' // non-empty', ' // int64'), { nil: undefined }), docs }),
        { maxLength: 3 },
      ),
    });
    const namespace = fc.record({ kind: fc.constant('namespace' as const), name: ident, docs, statements: fc.array(fc.oneof(alias, iface) as fc.Arbitrary<InterfaceDecl | TypeAliasDecl>, { maxLength: 4 }) });
    fc.assert(
      fc.property(fc.oneof(alias, iface, namespace) as fc.Arbitrary<Declaration>, (d) => {
        expect(printDeclaration(d)).toBe(byTsMorph(d));
      }),
      { numRuns: 3000, seed: 31 },
    );
  });
});
