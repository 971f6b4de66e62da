import { describe, expect, it } from 'vitest';
import { formatTypeExpr, parseTypeExpr } from '../../src/parse/typeExpr.js';

describe('parseTypeExpr', () => {
  const good: [string, unknown][] = [
    ['int64', { kind: 'primitive', name: 'int64' }],
    ['bool?', { kind: 'optional', inner: { kind: 'primitive', name: 'bool' } }],
    ['[User](./TYPES.md#user)', { kind: 'ref', name: 'User', href: './TYPES.md#user' }],
    ['[[ChatItem](#chatitem)]?', { kind: 'optional', inner: { kind: 'list', element: { kind: 'ref', name: 'ChatItem', href: '#chatitem' } } }],
    ['[int64]', { kind: 'list', element: { kind: 'primitive', name: 'int64' } }],
    ['{string : int64}', { kind: 'map', key: { kind: 'primitive', name: 'string' }, value: { kind: 'primitive', name: 'int64' } }],
    ['{string : [GroupMember](#groupmember)}', { kind: 'map', key: { kind: 'primitive', name: 'string' }, value: { kind: 'ref', name: 'GroupMember', href: '#groupmember' } }],
    ['"chatCmdError"', { kind: 'literal', value: 'chatCmdError' }],
  ];
  for (const [text, want] of good)
    it(`parses ${text} and writes it back unchanged`, () => {
      const r = parseTypeExpr(text);
      expect(r).toEqual({ ok: true, type: want });
      if (r.ok) expect(formatTypeExpr(r.type)).toBe(text);
    });

  const bad: [string, number, RegExp][] = [
    ['', 0, /type name/],
    ['[int64', 6, /"]"/],
    ['{string: int64}', 7, /" : "/],
    ['"open', 0, /closing/],
    ['int64 extra', 5, /end of the type/],
    ['[User](#user', 7, /"\)"/],
    ['[['.repeat(40) + 'x' + ']]'.repeat(40), 33, /flatter/],
  ];
  for (const [text, offset, expected] of bad)
    it(`rejects ${JSON.stringify(text.slice(0, 20))} at offset ${offset}`, () => {
      const r = parseTypeExpr(text);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.offset).toBe(offset);
        expect(r.error.expected).toMatch(expected);
      }
    });
});
