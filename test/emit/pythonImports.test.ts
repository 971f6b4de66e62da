/** The unused-import pass over rendered Python modules, on cases written for it. */
import { describe, expect, it } from 'vitest';
import { pruneUnusedImports, pythonAllOf, pythonNamesUsed } from '../../src/emit/python/imports.js';

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

  it('pythonAllOf reads a rendered __all__ list', () => {
    expect(pythonAllOf('x = 1\n__all__ = [\n    "A",\n    "b_c",\n]\n')).toEqual(['A', 'b_c']);
    expect(pythonAllOf('x = 1\n')).toBeUndefined();
  });
});
