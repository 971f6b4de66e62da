import { describe, expect, it } from 'vitest';
import { diagnostic, sortDiagnostics } from '../../src/diagnostics/diagnostic.js';
import { formatDiagnostics } from '../../src/diagnostics/format.js';

const d = diagnostic('FIELD001', 'spec/COMMANDS.md', { line: 12, column: 7 }, 'APIX parameter "a%b,c" does not parse\nsecond line', { expected: 'name: type', hint: 'see the docs' });
const w = diagnostic('SYN003', 'spec/COMMANDS.md', { line: 3, column: 1 }, 'unused', { severity: 'warning' });

describe('formatDiagnostics', () => {
  it('text: location, severity, code, one-line message, expected and hint, and a count', () => {
    expect(formatDiagnostics([d], 'text')).toBe(
      'spec/COMMANDS.md:12:7: error FIELD001: APIX parameter "a%b,c" does not parse\\nsecond line\n  expected: name: type\n  hint: see the docs\n1 error, 0 warnings\n',
    );
  });
  it('text is coloured only when asked (the CLI asks on a terminal)', () => {
    expect(formatDiagnostics([d], 'text', true)).toMatch(/\u001b\[31;1merror/);
    expect(formatDiagnostics([d], 'text', false)).not.toMatch(/\u001b/);
  });
  it('github: one annotation per diagnostic, with properties and data escaped', () => {
    expect(formatDiagnostics([d], 'github')).toBe(
      '::error file=spec/COMMANDS.md,line=12,col=7,title=FIELD001::APIX parameter "a%25b,c" does not parse%0Asecond line%0Aexpected: name: type%0Ahint: see the docs\n',
    );
    expect(formatDiagnostics([w], 'github')).toMatch(/^::warning /);
  });
  it('text and github: control and invisible characters from the spec reach the terminal only as escapes', () => {
    const hostile = { ...d, file: 'spec/\u001b[2JCOMMANDS.md', message: 'name "a\u001b]0;pwned\u0007b\u202ec\u0000" is not a name', expected: '\u009b31m' };
    for (const format of ['text', 'github'] as const) {
      const out = formatDiagnostics([hostile], format, false);
      expect(out, format).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
      expect(out, format).toContain('a\\u001b]0;pwned\\u0007b\\u202ec\\u0000');
    }
  });
  it('json: the diagnostics as they are', () => {
    expect(JSON.parse(formatDiagnostics([d, w], 'json'))).toEqual([d, w]);
  });
  it('sorts by file, position and code', () => {
    expect(sortDiagnostics([d, w]).map((x) => x.code)).toEqual(['SYN003', 'FIELD001']);
  });
});
