/** Bad input: each problem gets a stable code, file:line:column and what was expected. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { buildModel, buildModelFromDir } from '../../src/pipeline.js';
import { lineOf, minimalInput, minimalTexts, tempDir, writeSpec } from '../helpers/fixtures.js';

const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === 'error');

describe('the minimal fixture', () => {
  it('parses without diagnostics into the expected model', () => {
    const { model, diagnostics } = buildModel(minimalInput());
    expect(diagnostics).toEqual([]);
    expect(model.commands.map((c) => c.name)).toEqual(['APISendMessages', 'APIDeleteChat']);
    const send = model.commands[0]!;
    expect(send.networkUsage).toBe('background');
    expect(send.params?.map((p) => p.name)).toEqual(['sendRef', 'liveMessage', 'ttl', 'composedMessages']);
    expect(send.params?.[2]?.type).toEqual({ kind: 'optional', inner: { kind: 'primitive', name: 'int' } });
    expect(send.responses.map((r) => [r.name, r.tag])).toEqual([['NewChatItems', 'newChatItems'], ['ChatCmdError', 'chatCmdError']]);
    expect(send.errors?.map((e) => e.name)).toEqual(['ChatNotStarted']);
    expect(send.source).toEqual({ doc: 'COMMANDS', line: lineOf(minimalTexts().COMMANDS, '### APISendMessages'), column: 1 });
    expect(model.types.map((t) => `${t.kind}:${t.name}`)).toEqual(['union:ChatDeleteMode', 'record:ChatItem', 'record:ChatRef', 'enum:ChatType', 'record:ComposedMessage']);
    expect(model.eventCategories.map((c) => [c.name, c.mainEvents, c.otherEvents])).toEqual([
      ['Message events', ['NewChatItems'], ['ChatItemsDeleted']],
      ['Error events', [], ['ChatError']],
    ]);
  });
});

describe('bad input', () => {
  it('SPEC001: the spec directory does not exist', () => {
    const r = buildModelFromDir('/nonexistent/spec-dir', 'spec-dir');
    expect(r.diagnostics).toMatchObject([{ code: 'SPEC001', file: 'spec-dir', line: 1, column: 1 }]);
    expect(r.diagnostics[0]!.expected).toMatch(/COMMANDS\.md/);
  });

  it('SPEC002: COMMANDS.md is missing', () => {
    const dir = writeSpec(tempDir(), { TYPES: minimalTexts().TYPES });
    const r = buildModelFromDir(dir, 'my-spec');
    expect(errors(r.diagnostics)).toMatchObject([{ code: 'SPEC002', file: path.join('my-spec', 'COMMANDS.md') }]);
  });

  it('SPEC004: COMMANDS.md cannot be read', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'COMMANDS.md'));
    const r = buildModelFromDir(dir, 'spec');
    expect(errors(r.diagnostics)).toMatchObject([{ code: 'SPEC004', file: path.join('spec', 'COMMANDS.md') }]);
  });

  it('SPEC003: a document that is not one of the three kinds', () => {
    const r = buildModel(minimalInput({ TYPES: () => '# SimpleX Chat API types reference\n\n- [API Types](./TYPES.md)\n' }));
    expect(errors(r.diagnostics)).toMatchObject([{ code: 'SPEC003', file: 'spec/TYPES.md', line: 1, column: 1 }]);
    expect(r.diagnostics[0]!.expected).toBe('a document starting with "# API Types"');
  });

  it('CMD001: a command without a syntax block', () => {
    const text = minimalTexts().COMMANDS;
    const start = text.indexOf('**Syntax**:', text.indexOf('### APIDeleteChat'));
    const end = text.indexOf('**Response**:', start);
    const broken = text.slice(0, start) + text.slice(end);
    const r = buildModel(minimalInput({ COMMANDS: () => broken }));
    expect(errors(r.diagnostics)).toMatchObject([{ code: 'CMD001', file: 'spec/COMMANDS.md', line: lineOf(broken, '**Response**:'), column: 1 }]);
    expect(r.diagnostics[0]!.message).toMatch(/APIDeleteChat/);
  });

  it('FIELD001: a parameter line that does not parse', () => {
    const broken = minimalTexts().COMMANDS.replace('- liveMessage: bool', '- liveMessage bool');
    const r = buildModel(minimalInput({ COMMANDS: () => broken }));
    expect(r.diagnostics).toMatchObject([{ code: "FIELD001", line: lineOf(broken, "- liveMessage bool"), column: 3 }]);
    expect(r.diagnostics.find((d) => d.code === 'FIELD001')!.expected).toMatch(/name: type/);
  });

  it('FIELD001: a type expression that does not parse points at the offending column', () => {
    const broken = minimalTexts().COMMANDS.replace('- ttl: int?', '- ttl: [int?');
    const r = buildModel(minimalInput({ COMMANDS: () => broken }));
    const d = errors(r.diagnostics).find((x) => x.code === 'FIELD001')!;
    expect(d).toMatchObject({ line: lineOf(broken, '- ttl: [int?'), column: 13 });
    expect(d.expected).toMatch(/"\]"/);
  });

  it('REF001: an unknown type reference, with a suggestion', () => {
    const broken = minimalTexts().COMMANDS.replace('- sendRef: [ChatRef](./TYPES.md#chatref)', '- sendRef: [ChatRefs](./TYPES.md#chatrefs)');
    const r = buildModel(minimalInput({ COMMANDS: () => broken }));
    const d = errors(r.diagnostics).find((x) => x.code === 'REF001')!;
    expect(d).toMatchObject({ file: 'spec/COMMANDS.md', line: lineOf(broken, '- sendRef:'), column: 3 });
    expect(d.hint).toMatch(/ChatRef/);
  });

  it('DUP001: a duplicate command name, pointing at both definitions', () => {
    const broken = minimalTexts().COMMANDS.replace('### APIDeleteChat', '### APISendMessages');
    const r = buildModel(minimalInput({ COMMANDS: () => broken }));
    const d = errors(r.diagnostics).find((x) => x.code === 'DUP001')!;
    const second = broken.indexOf('### APISendMessages', broken.indexOf('### APISendMessages') + 1);
    expect(d).toMatchObject({ line: lineOf(broken, '### APISendMessages', second), column: 1 });
    expect(d.message).toContain(`spec/COMMANDS.md:${lineOf(broken, '### APISendMessages')}:1`);
  });

  it('DUP002: a duplicate type name', () => {
    const broken = minimalTexts().TYPES.replace('## ComposedMessage', '## ChatItem');
    const r = buildModel(minimalInput({ TYPES: () => broken }));
    expect(errors(r.diagnostics).find((x) => x.code === 'DUP002')).toMatchObject({ file: 'spec/TYPES.md', line: lineOf(broken, '## ChatItem', broken.indexOf('## ChatRef')) });
  });

  it('reports every problem of a run together, sorted by position', () => {
    const broken = minimalTexts()
      .COMMANDS.replace('- liveMessage: bool', '- liveMessage bool')
      .replace('### APIDeleteChat', '### APISendMessages');
    const r = buildModel(minimalInput({ COMMANDS: () => broken }));
    const codes = errors(r.diagnostics).map((d) => d.code);
    expect(codes).toContain('FIELD001');
    expect(codes).toContain('DUP001');
    const lines = r.diagnostics.map((d) => d.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
