/**
 * Files that a generated `.gitignore` ignores (what building the Python distribution leaves beside it: `build/`,
 * `*.egg-info/`, `__pycache__/`) are the build's, not files someone put into the output: they are not named as
 * foreign. Patterns are read as git reads the simple ones: a name with `*` and `?`, matched at any depth below the
 * `.gitignore`, a trailing `/` for directories only; a pattern with another `/`, `!`, `**` or brackets is not
 * understood and ignores nothing (so a file is never hidden by a misreading).
 */
import path from 'node:path';

interface Rule {
  /** The directory of the `.gitignore`, relative to the output ("" for its root). */
  dir: string;
  name: RegExp;
  directoryOnly: boolean;
}

/** The rules of the generated `.gitignore` files: path relative to the output → text. */
export function gitignoreRules(gitignores: Iterable<[string, string]>): Rule[] {
  const rules: Rule[] = [];
  for (const [rel, text] of gitignores) {
    const dir = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const directoryOnly = line.endsWith('/');
      const pattern = directoryOnly ? line.slice(0, -1) : line;
      if (pattern === '' || /[/!\\[\]]|\*\*/.test(pattern)) continue;
      const source = pattern.replace(/[.+^${}()|]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
      rules.push({ dir, name: new RegExp(`^${source}$`), directoryOnly });
    }
  }
  return rules;
}

/** Whether a file (path relative to the output, with `/`) is ignored by one of the rules. */
export function isIgnored(rel: string, rules: readonly Rule[]): boolean {
  for (const rule of rules) {
    if (rule.dir !== '' && !rel.startsWith(`${rule.dir}/`)) continue;
    const parts = (rule.dir === '' ? rel : rel.slice(rule.dir.length + 1)).split('/');
    // A directory pattern matches a directory on the way; another pattern matches any part, the file's name too.
    const last = rule.directoryOnly ? parts.length - 1 : parts.length;
    for (let i = 0; i < last; i++) if (rule.name.test(parts[i]!)) return true;
  }
  return false;
}
