import { describe, expect, it } from 'vitest';
import { formatSyntax } from '../../src/syntax/ast.js';
import { bindSyntax, type BindParam } from '../../src/syntax/bind.js';
import { parseSyntaxText } from '../../src/syntax/parse.js';

const prim = (name: string, optional = false): BindParam['type'] =>
  optional ? { kind: 'optional', inner: { kind: 'primitive', name } } : { kind: 'primitive', name };

function bind(text: string, params: BindParam[]) {
  const raw = parseSyntaxText(text);
  if (!raw.ok) throw new Error(raw.error.message);
  return bindSyntax(raw.node, params, 'Cmd');
}

describe('parseSyntaxText', () => {
  it('reads literal text, parameters, str/json forms, lists and optional parts', () => {
    const r = parseSyntaxText('/_send <str(sendRef)>[ live=on][ ttl=<ttl>] json <json(msgs)>');
    expect(r.ok && r.node).toMatchObject({
      kind: 'seq',
      items: [
        { kind: 'text', value: '/_send ' },
        { kind: 'param', name: 'sendRef', form: 'str' },
        { kind: 'optional', body: { kind: 'text', value: ' live=on' } },
        { kind: 'optional', body: { kind: 'seq', items: [{ kind: 'text', value: ' ttl=' }, { kind: 'param', name: 'ttl', form: 'plain' }] } },
        { kind: 'text', value: ' json ' },
        { kind: 'param', name: 'msgs', form: 'json' },
      ],
    });
  });

  it('reads a non-empty list with its separator', () => {
    const r = parseSyntaxText('/_remove #<groupId> <ids[0]>[,<ids[1]>...]');
    expect(r.ok && r.node).toMatchObject({ items: [{}, { kind: 'param', name: 'groupId' }, {}, { kind: 'join', name: 'ids', separator: ',' }] });
  });

  it('reads alternatives, the label of a named on/off, and empty alternatives', () => {
    expect(parseSyntaxText('/_start main=on|off')).toMatchObject({ ok: true, node: { items: [{ kind: 'text', value: '/_start' }, { kind: 'alternatives', options: ['on', 'off'], label: ' main=' }] } });
    expect(parseSyntaxText('@|#|*|')).toMatchObject({ ok: true, node: { kind: 'alternatives', options: ['@', '#', '*', ''], label: '' } });
    expect(parseSyntaxText('x a|b|internalMark')).toMatchObject({ ok: true, node: { items: [{ kind: 'text', value: 'x ' }, { kind: 'alternatives', options: ['a', 'b', 'internalMark'] }] } });
  });

  const bad: [string, number, RegExp][] = [
    ['/x <userId', 3, /">"/],
    ['/x [ live=on', 3, /"\]"/],
    ['/x ]', 3, /text/],
    ['/x <a b>', 3, /<name>/],
    ['/x <ids[0]>', 11, /\[,<ids\[1\]>\.\.\.\]/],
    ['/x <str(1a)>', 4, /parameter name/],
    ['['.repeat(20) + ']'.repeat(20), 17, /fewer/],
  ];
  for (const [text, offset, expected] of bad)
    it(`rejects ${JSON.stringify(text)} at offset ${offset}`, () => {
      const r = parseSyntaxText(text);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.offset).toBe(offset);
        expect(r.error.expected).toMatch(expected);
      }
    });
});

describe('bindSyntax', () => {
  it('binds on/off and flags to bool parameters in declared order', () => {
    const { node, problems } = bind('/_start main=on|off[ snd_files=off][ service=on]', [
      { name: 'mainApp', type: prim('bool') },
      { name: 'enableSndFiles', type: prim('bool') },
      { name: 'serviceRequests', type: prim('bool') },
    ]);
    expect(problems).toEqual([]);
    expect(node).toEqual({
      kind: 'seq',
      items: [
        { kind: 'text', value: '/_start' },
        { kind: 'bool', name: 'mainApp', label: ' main=' },
        { kind: 'flag', name: 'enableSndFiles', text: ' snd_files=off', when: false },
        { kind: 'flag', name: 'serviceRequests', text: ' service=on', when: true },
      ],
    });
    expect(formatSyntax(node)).toBe('/_start main=on|off[ snd_files=off][ service=on]');
  });

  it('binds an optional on/off to an optional bool', () => {
    const { node, problems } = bind('/_address <userId>[ pq=on|off]', [
      { name: 'userId', type: prim('int64') },
      { name: 'pq', type: prim('bool', true) },
    ]);
    expect(problems).toEqual([]);
    expect(node).toMatchObject({ items: [{}, {}, { kind: 'optional', name: 'pq', body: { kind: 'bool', name: 'pq', label: ' pq=' } }] });
  });

  it('binds alternatives to the enum whose values they are, or maps values to text', () => {
    const role: BindParam = { name: 'role', type: { kind: 'ref', name: 'Role', href: '' }, enumValues: ['member', 'admin'] };
    expect(bind('/x member|admin', [role]).node).toMatchObject({ items: [{}, { kind: 'enum', name: 'role', values: ['member', 'admin'] }] });
    const self: BindParam = { name: 'self', type: { kind: 'ref', name: 'ChatType', href: '' }, enumValues: ['direct', 'group'] };
    expect(bind('@|#|', [self]).node).toEqual({ kind: 'valueMap', name: 'self', cases: [{ value: 'direct', text: '@' }, { value: 'group', text: '#' }], fallback: '' });
  });

  it('guards parts that only some union members have', () => {
    const { node } = bind('full|messages[ notify=off]', [
      { name: 'type', type: { kind: 'literal', value: 'full' }, enumValues: ['full', 'messages'] },
      { name: 'notify', type: prim('bool'), absentIn: ['messages'], tagField: 'type' },
    ]);
    expect(node).toMatchObject({ items: [{ kind: 'enum', name: 'type' }, { kind: 'tagGuard', name: 'type', absent: ['messages'], body: { kind: 'flag', name: 'notify' } }] });
  });

  it('SYN002: names a parameter that is not declared', () => {
    const { problems } = bind('/x <userId> <chatId>', [{ name: 'userId', type: prim('int64') }]);
    expect(problems).toMatchObject([{ code: 'SYN002', offset: 12, severity: 'error' }]);
    expect(problems[0]!.expected).toContain('"userId"');
  });

  it('SYN003: leaves a required parameter unused (a warning: upstream documents do this)', () => {
    const { problems } = bind('/_start', [{ name: 'mainApp', type: prim('bool') }, { name: 'opt', type: prim('int', true) }]);
    expect(problems).toMatchObject([{ code: 'SYN003', severity: 'warning' }]);
    expect(problems[0]!.message).toContain('mainApp');
  });

  it('SYN004: a list syntax over a parameter that is not a list, and a required parameter inside [...]', () => {
    expect(bind('/x <ids[0]>[,<ids[1]>...]', [{ name: 'ids', type: prim('int64') }]).problems).toMatchObject([{ code: 'SYN004', offset: 3 }]);
    expect(bind('/x[ <n>]', [{ name: 'n', type: prim('int64') }]).problems).toMatchObject([{ code: 'SYN004', severity: 'error' }]);
  });
});
