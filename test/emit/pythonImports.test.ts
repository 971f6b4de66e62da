/** The unused-import pass over rendered Python modules, on cases written for it and on the generated package. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneUnusedImports, pythonAllOf, pythonNamesSeen, pythonNamesUsed } from '../../src/emit/python/imports.js';
import { REPO_ROOT } from '../helpers/corpus.js';

describe('pruneUnusedImports', () => {
  it('drops names used nowhere, keeps those used in code, f-strings, string annotations and __all__', () => {
    const source = [
      '"""Doc: import os, Optional, Union are words here."""',
      '',
      'from __future__ import annotations',
      '',
      'import json',
      'import os',
      'from typing import Any, Literal, Optional, Union',
      'from . import _types as T',
      'from . import _events as E',
      '',
      '__all__ = ["Any"]',
      '',
      'X = TypedDict("X", {"a": "Literal[1]"})',
      'def f(v) -> str:',
      '    # Optional in a comment',
      '    return f"{json.dumps(v)}" + "Union"  # T.ChatType only in a comment',
      '',
    ].join('\n');
    const out = pruneUnusedImports(source);
    expect(out).toContain('import json\n');
    expect(out).not.toContain('\nimport os\n');
    expect(out).toContain('from typing import Any, Literal, Union\n');
    expect(out).not.toContain('_types as T');
    expect(out).not.toContain('_events as E');
    expect(out).toContain('from __future__ import annotations');
  });

  it('leaves re-exports (x as x), imports after the prelude and import-like lines inside the docstring alone', () => {
    const source = ['"""The module.', '', 'import os', '"""', '', 'from . import commands as commands', '', 'x = 1', 'import sys', ''].join('\n');
    expect(pruneUnusedImports(source)).toBe(source);
  });

  it('collapses the blank lines a dropped import leaves', () => {
    const source = ['import json', '', 'from . import _types as T', '', 'json.dumps(1)', ''].join('\n');
    expect(pruneUnusedImports(source)).toBe(['import json', '', 'json.dumps(1)', ''].join('\n'));
  });

  it('an import is used only where the name is a whole identifier, as the tokenizer reads them', () => {
    const kept = (code: string) => pruneUnusedImports(`import b\n\n${code}\n`).startsWith('import b\n');
    expect(kept('x = b')).toBe(true);
    expect(kept('x = b.c(1)')).toBe(true);
    // A run of digits starts no identifier: the tokenizer finds `b` in `12b`.
    expect(kept('x = 12b')).toBe(true);
    expect(kept('x = ab + b2 + _b + a1b')).toBe(false);
    expect(kept('x = "b c"  # b')).toBe(false);
    expect(kept('x = f"{b}"')).toBe(true);
    expect(kept('x: "b" = 1')).toBe(true);
  });

  it('reads names in code, f-string fields and type-shaped strings, not in other strings, comments or docstrings', () => {
    const used = pythonNamesUsed('a = b("c d") # e\n"""f"""\ng = rb"h[j]" + f"{i}" + \'k.l\'\n');
    expect([...used].sort()).toEqual(['a', 'b', 'g', 'h', 'i', 'j', 'k', 'l']);
  });

  it('finds where strings end: escaped quotes and line ends, even runs of backslashes, raw strings, one-line strings left open', () => {
    const cases: [string, string[]][] = [
      ['a = "x \\" y" + b', ['a', 'b']],
      ['a = "x \\\\" + b', ['a', 'b']],
      ['a = "x \\\nstill in x" + b', ['a', 'b']],
      ['a = "left open\nb = c', ['a', 'b', 'c']],
      ['a = r"x \\" + b', ['a', 'b']],
      ["a = '''x \\''' y\n''' + b", ['a', 'b']],
      ['a = """x "" y""" + b', ['a', 'b']],
      ['a = "un terminated', ['a']],
    ];
    for (const [source, names] of cases) expect([...pythonNamesUsed(source)].sort(), source).toEqual(names);
  });

  it('pythonNamesSeen finds of the names asked exactly those pythonNamesUsed reads, on every generated module', () => {
    const dir = path.join(REPO_ROOT, 'generated/python/simplex_api');
    const modules = readdirSync(dir).filter((f) => f.endsWith('.py'));
    expect(modules.length).toBeGreaterThan(20);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (const file of modules) {
      const source = readFileSync(path.join(dir, file), 'utf8');
      const used = pythonNamesUsed(source);
      // Names used in code, names only in strings, comments and docstrings, parts of longer names, absent ones.
      const words = [...new Set(source.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])];
      for (let round = 0; round < 8; round++) {
        const asked = [...words.filter(() => random() < 0.1), 'T', 'E', 'R', 'Dict', 'Optional', 'absent_name'];
        expect([...pythonNamesSeen(source, asked)].sort(), file).toEqual([...new Set(asked.filter((n) => used.has(n)))].sort());
      }
    }
    // A name whose only occurrences are in a string before its use in code, and one next to a string prefix.
    expect([...pythonNamesSeen('x = "T is here"\ny: T = 1\n', ['T'])]).toEqual(['T']);
    expect([...pythonNamesSeen('x = f"a" + rb"T" + T\n', ['f', 'rb', 'T'])]).toEqual(['T']);
  });

  it('pythonAllOf reads a rendered __all__ list', () => {
    expect(pythonAllOf('x = 1\n__all__ = [\n    "A",\n    "b_c",\n]\n')).toEqual(['A', 'b_c']);
    expect(pythonAllOf('x = 1\n')).toBeUndefined();
  });
});
