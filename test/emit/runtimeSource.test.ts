/**
 * A runtime module kept in parts (src/runtime/commandParser.ts and src/runtime/commandParser/*.ts) is carried by
 * one generated module: every part, no import between them, and exported only what the module itself exports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeSource } from '../../src/emit/runtimeTables.js';
import * as parser from '../../src/runtime/commandParser.js';
import { REPO_ROOT } from '../helpers/corpus.js';

const PARTS = path.join(REPO_ROOT, 'src/runtime/commandParser');

describe('the command parser as the generated module carries it', () => {
  const text = runtimeSource('commandParser');

  it('holds every part, and no import', () => {
    expect(text).not.toMatch(/^import\b/m);
    expect(text).not.toMatch(/^export .* from /m);
    const parts = readdirSync(PARTS).filter((f) => f.endsWith('.ts'));
    expect(parts.length).toBeGreaterThanOrEqual(5);
    for (const part of parts) {
      // Every declaration of the part is in the module.
      const declared = [...readFileSync(path.join(PARTS, part), 'utf8').matchAll(/^export (?:function|const|let|class|interface|type) (\w+)/gm)].map((m) => m[1]!);
      expect(declared.length, part).toBeGreaterThan(0);
      for (const name of declared) expect(text, `${part}: ${name}`).toMatch(new RegExp(`^(?:export )?(?:function|const|let|class|interface|type) ${name}\\b`, 'm'));
    }
  });

  it('exports exactly what src/runtime/commandParser.ts exports (values and types)', () => {
    const exported = [...text.matchAll(/^export (?:function|const|let|class|interface|type) (\w+)/gm)].map((m) => m[1]!).sort();
    // The values the module exports at run time are among them; the rest are its exported types.
    for (const name of Object.keys(parser)) expect(exported).toContain(name);
    expect(exported).toEqual(
      ['CommandParseError', 'CommandTable', 'DirectConv', 'DirectOp', 'DirectPath', 'MAX_JSON_DEPTH', 'ParamSpec', 'ParsedCommandValue', 'ParseOptions', 'SyntaxOwner', 'SyntaxTree', 'TypeEntry', 'directPathsOf', 'parseCommandBySearch', 'parseCommandDirectly', 'parseCommandWith', 'withinDepth'].sort(),
    );
  });
});
