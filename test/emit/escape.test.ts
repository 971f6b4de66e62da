/** String literals of the generated code: JSON's own escapes plus `\uXXXX` for every invisible character. */
import { describe, expect, it } from 'vitest';
import { escapeInvisible, INVISIBLE, jsonString, uEscape } from '../../src/emit/escape.js';

describe('jsonString', () => {
  it('writes every character of the Basic Multilingual Plane as JSON.stringify with invisible ones escaped', () => {
    const differ: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const text = `a${String.fromCharCode(c)}b`;
      if (jsonString(text) !== escapeInvisible(JSON.stringify(text))) differ.push(c.toString(16));
    }
    expect(differ).toEqual([]);
  });

  it('names as they are, quotes and backslashes escaped, invisible characters as \\u escapes', () => {
    expect(jsonString('chatItem_1')).toBe('"chatItem_1"');
    expect(jsonString('')).toBe('""');
    expect(jsonString('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
    expect(jsonString('a\u007fb\u200bc\u2028')).toBe('"a\\u007fb\\u200bc\\u2028"');
    expect(jsonString('line\nnext\ttab')).toBe('"line\\nnext\\ttab"');
    expect(jsonString('é — ok')).toBe('"é — ok"');
  });
});

describe('escapeInvisible', () => {
  it('escapes exactly the characters INVISIBLE lists, each as its \\u escape, and returns other text as it is', () => {
    const differ: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const text = `a${String.fromCharCode(c)}b`;
      if (escapeInvisible(text) !== text.replace(INVISIBLE, uEscape)) differ.push(c.toString(16));
    }
    expect(differ).toEqual([]);
    expect(escapeInvisible('x\u200by\u2028')).toBe('x\\u200by\\u2028');
    const plain = 'nothing to escape';
    expect(escapeInvisible(plain)).toBe(plain);
  });
});
