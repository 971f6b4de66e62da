/**
 * A runtime module kept in parts (src/runtime/NAME.ts and src/runtime/NAME/*.ts) is carried by one generated
 * module: every part, no import between them, and exported only what the module itself exports. The bot framework
 * keeps its imports of the generated package, once, at the top.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeSource } from '../../src/emit/runtimeTables.js';
import * as parser from '../../src/runtime/commandParser.js';
import { REPO_ROOT } from '../helpers/corpus.js';

const exportsOf = (text: string) => [...text.matchAll(/^export (?:(?:async )?function|const|let|class|interface|type) (\w+)/gm)].map((m) => m[1]!).sort();

function expectEveryPart(name: string, text: string): void {
  const dir = path.join(REPO_ROOT, 'src/runtime', name);
  const parts = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  expect(parts.length).toBeGreaterThanOrEqual(3);
  for (const part of parts) {
    // Every declaration of the part is in the module.
    const declared = [...readFileSync(path.join(dir, part), 'utf8').matchAll(/^(?:export )?(?:(?:async )?function|const|let|class|interface|type) (\w+)/gm)].map((m) => m[1]!);
    expect(declared.length, part).toBeGreaterThan(0);
    for (const n of declared) expect(text, `${part}: ${n}`).toMatch(new RegExp(`^(?:export )?(?:(?:async )?function|const|let|class|interface|type) ${n}\\b`, 'm'));
  }
  expect(text).not.toMatch(/^export .* from /m);
}

describe('the command parser as the generated module carries it', () => {
  const text = runtimeSource('commandParser');

  it('holds every part, and no import', () => {
    expectEveryPart('commandParser', text);
    expect(text).not.toMatch(/^import\b/m);
  });

  it('exports exactly what src/runtime/commandParser.ts exports (values and types)', () => {
    const exported = exportsOf(text);
    // The values the module exports at run time are among them; the rest are its exported types.
    for (const name of Object.keys(parser)) expect(exported).toContain(name);
    expect(exported).toEqual(
      ['CommandParseError', 'CommandTable', 'DirectConv', 'DirectOp', 'DirectPath', 'MAX_JSON_DEPTH', 'ParamSpec', 'ParsedCommandValue', 'ParseOptions', 'SyntaxOwner', 'SyntaxTree', 'TypeEntry', 'directPathsOf', 'parseCommandBySearch', 'parseCommandWith', 'parseCommandDirectly', 'withinDepth'].sort(),
    );
  });
});

describe('the chat client as the generated module carries it', () => {
  it('holds every part, and no import', () => {
    const text = runtimeSource('chatClient');
    expectEveryPart('chatClient', text);
    expect(text).not.toMatch(/^import\b/m);
  });
});

describe('the bot framework as the generated module carries it', () => {
  const text = runtimeSource('bot');

  it('holds every part, and imports only the generated package, once a module, at the top', () => {
    expectEveryPart('bot', text);
    const imports = [...text.matchAll(/^import .* from "(.*)";$/gm)].map((m) => m[1]!);
    expect(imports.sort()).toEqual(['./botApi.js', './client.js', './events.js', './types.js']);
    expect(text.split('\n').findIndex((l) => l.startsWith('import'))).toBeLessThan(text.split('\n').findIndex((l) => l.startsWith('export')));
    expect(text.match(/^import\b/gm)).toHaveLength(4);
  });

  it('exports what bot.ts declares as its own: the framework, its tester and their types', () => {
    expect(exportsOf(text)).toEqual(
      ['Bot', 'BotOptions', 'BotProfile', 'BotStartError', 'BotStartReport', 'BotTester', 'CommandHandler', 'EventHandler', 'Message', 'MessageFilter', 'MessageHandler', 'Middleware', 'MockChatCore', 'TestContact', 'parseBotCommand'].sort(),
    );
  });
});
