/** model.json and snippets.json: stable, complete, and the same for a CRLF document as for its LF twin. */
import { describe, expect, it } from 'vitest';
import { emitModelJson } from '../../src/emit/model.js';
import { emitSnippetsJson } from '../../src/emit/snippets.js';
import { buildModel } from '../../src/pipeline.js';
import { corpusPresent, eraInput } from '../helpers/corpus.js';
import { minimalInput } from '../helpers/fixtures.js';

describe('model.json', () => {
  it('has sorted keys, positions on every node, and parsed types', () => {
    const text = emitModelJson(buildModel(minimalInput()).model).get('model.json')!;
    const model = JSON.parse(text);
    expect(Object.keys(model)).toEqual([...Object.keys(model)].sort());
    expect(model.schemaVersion).toBe(1);
    const send = model.commands[0];
    expect(send.source).toEqual({ column: 1, doc: 'COMMANDS', line: 17 });
    expect(send.params[0]).toEqual({ name: 'sendRef', source: { column: 3, doc: 'COMMANDS', line: 24 }, type: { href: './TYPES.md#chatref', kind: 'ref', name: 'ChatRef' } });
    expect(send.syntax.ast.kind).toBe('seq');
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it.runIf(corpusPresent)('is the same bytes for the CRLF seed era as for its LF twin', () => {
    const lf = emitModelJson(buildModel(eraInput('seed')).model).get('model.json');
    const crlf = emitModelJson(buildModel(eraInput('seed-crlf')).model).get('model.json');
    expect(crlf).toBe(lf);
  });
});

describe('snippets.json', () => {
  it('lists every command and typed syntax with its syntax line and rendered snippets', () => {
    const json = JSON.parse(emitSnippetsJson(buildModel(minimalInput()).model).get('snippets.json')!);
    expect(json.commands.map((c: { name: string }) => c.name)).toEqual(['APISendMessages', 'APIDeleteChat']);
    expect(json.commands[0]).toEqual({
      kind: 'command',
      name: 'APISendMessages',
      syntax: '/_send <str(sendRef)>[ live=on][ ttl=<ttl>] json <json(composedMessages)>',
      javascript: "'/_send ' + ChatRef.cmdString(sendRef) + (liveMessage ? ' live=on' : '') + (ttl ? ' ttl=' + ttl : '') + ' json ' + JSON.stringify(composedMessages)",
      python: "'/_send ' + ChatRef_cmd_string(sendRef) + (' live=on' if liveMessage else '') + ((' ttl=' + str(ttl)) if ttl is not None else '') + ' json ' + json.dumps(composedMessages)",
    });
    expect(json.types.map((t: { name: string }) => t.name)).toEqual(['ChatDeleteMode', 'ChatRef', 'ChatType']);
  });

  it('takes the snippet convention as an option', () => {
    const json = JSON.parse(emitSnippetsJson(buildModel(minimalInput()).model, 'seed').get('snippets.json')!);
    expect(json.commands[1].javascript).toBe("'/_delete ' + chatRef.toString() + ' ' + chatDeleteMode.toString()");
    expect(json.commands[1].python).toBe("'/_delete ' + str(chatRef) + ' ' + str(chatDeleteMode)");
  });
});
