/** Formatter commands as the config spells them. */
import { describe, expect, it } from 'vitest';
import { splitCommand } from '../../src/format/formatters.js';

describe('splitCommand', () => {
  it('splits words and quotes as a shell does, with no expansion', () => {
    expect(splitCommand('prettier --write')).toEqual(['prettier', '--write']);
    expect(splitCommand(`  ruff   format --config 'line-length = 120' `)).toEqual(['ruff', 'format', '--config', 'line-length = 120']);
    expect(splitCommand('fmt "a \\"b\\" c" $HOME *.ts')).toEqual(['fmt', 'a "b" c', '$HOME', '*.ts']);
    expect(splitCommand('a""b')).toEqual(['ab']);
    expect(splitCommand('""')).toEqual(['']);
  });

  it('refuses unbalanced quotes', () => {
    expect(splitCommand("prettier '--write")).toBeUndefined();
    expect(splitCommand('prettier "--write')).toBeUndefined();
  });
});
