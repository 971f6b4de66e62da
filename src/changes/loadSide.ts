/** Reads one side of a comparison: a spec directory, or `REV:PATH` read from git (e.g. `HEAD~1:spec`). */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DocKind } from '../model/types.js';
import { MAX_INPUT_BYTES } from '../io/readInput.js';
import { decodeDocument, DOC_KINDS, readSpecDir, type SpecInput } from '../parse/loadSpec.js';

export function readSide(arg: string, cwd: string): { input: SpecInput; diagnostics: Diagnostic[] } {
  const dir = path.resolve(cwd, arg);
  if (existsSync(dir) && statSync(dir).isDirectory()) return readSpecDir(dir, arg);
  const m = /^([^:]+):(.*)$/.exec(arg);
  if (!m)
    return {
      input: { texts: {}, files: {} },
      diagnostics: [
        diagnostic(DiagnosticCodes.SPEC_DIR_MISSING, arg, undefined, `"${arg}" is neither a spec directory nor a git revision`, {
          expected: 'a directory such as spec/, or REV:PATH such as HEAD~1:spec',
        }),
      ],
    };
  const [, rev, sub] = m as unknown as [string, string, string];
  // git would read `--output=…` as an option: a revision never starts with "-".
  if (rev.startsWith('-'))
    return {
      input: { texts: {}, files: {} },
      diagnostics: [
        diagnostic(DiagnosticCodes.SPEC_DIR_MISSING, arg, undefined, `"${rev}" is not a git revision: revisions never start with "-"`, {
          expected: 'a directory such as spec/, or REV:PATH such as HEAD~1:spec',
        }),
      ],
    };
  const input: SpecInput = { texts: {}, files: {} };
  const diagnostics: Diagnostic[] = [];
  for (const kind of DOC_KINDS) {
    const object = `${rev}:${path.posix.join(sub.replace(/\/+$/, '') || '.', `${kind}.md`)}`;
    const r = spawnSync('git', ['show', '--end-of-options', object], { cwd, maxBuffer: MAX_INPUT_BYTES });
    if (r.status === 0) {
      const decoded = decodeDocument(r.stdout, object);
      if ('diagnostic' in decoded) diagnostics.push(decoded.diagnostic);
      else {
        input.texts[kind as DocKind] = decoded.text;
        input.files[kind as DocKind] = object;
      }
    } else if (kind === 'COMMANDS')
      diagnostics.push(
        diagnostic(DiagnosticCodes.COMMANDS_MISSING, object, undefined, `git cannot read ${object}: ${(r.stderr?.toString('utf8') || r.error?.message || '').trim().split('\n')[0]}`, {
          expected: 'a revision and a path, relative to the repository root, holding COMMANDS.md',
        }),
      );
  }
  return { input, diagnostics };
}
