/**
 * Handlebars templates: the text shapes of the emitted files. Defaults live in the package's `templates/`;
 * a user directory overrides any of them by relative path. A broken template is a diagnostic, not a crash.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { DiagnosticCodes, diagnostic, DiagnosticsError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { lineCommentText } from './identifiers.js';

export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export type Render = (context: object) => string;

export interface TemplateSet {
  /** Renders the template at a relative path such as `docs/COMMANDS.md.hbs`. */
  render(name: string, context: object): string;
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    const rel = prefix ? `${prefix}/${entry}` : entry;
    if (statSync(full).isDirectory()) out.push(...listFiles(full, rel));
    else if (entry.endsWith('.hbs')) out.push(rel);
  }
  return out;
}

/**
 * Loads and compiles every template. Partials live in a `partials/` folder and are registered under their path
 * without that folder and the extension (`docs/partials/fields.hbs` → `docs/fields`).
 */
export function loadTemplates(overrideDir?: string, defaultsDir = DEFAULT_TEMPLATES_DIR): TemplateSet {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, { text: string; file: string }>();
  for (const rel of listFiles(defaultsDir)) sources.set(rel, { text: readFileSync(path.join(defaultsDir, rel), 'utf8'), file: path.join(defaultsDir, rel) });
  if (overrideDir !== undefined) {
    if (!existsSync(overrideDir) || !statSync(overrideDir).isDirectory()) {
      throw new DiagnosticsError([
        diagnostic(DiagnosticCodes.TEMPLATE_ERROR, overrideDir, undefined, `template directory "${overrideDir}" does not exist`, {
          expected: 'a directory of .hbs files named like those in the package templates/ directory',
        }),
      ]);
    }
    for (const rel of listFiles(overrideDir)) {
      if (!sources.has(rel))
        diagnostics.push(
          diagnostic(DiagnosticCodes.TEMPLATE_ERROR, path.join(overrideDir, rel), undefined, `template "${rel}" overrides nothing`, {
            expected: `one of: ${[...sources.keys()].join(', ')}`,
          }),
        );
      sources.set(rel, { text: readFileSync(path.join(overrideDir, rel), 'utf8'), file: path.join(overrideDir, rel) });
    }
  }

  const hb = Handlebars.create();
  registerHelpers(hb);
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  for (const [rel, { text, file }] of sources) {
    try {
      // Precompiling now surfaces syntax errors with the template's own line number.
      hb.precompile(text, { noEscape: true, strict: true });
      const template = hb.compile(text, { noEscape: true, strict: true });
      const dir = path.posix.dirname(rel);
      if (path.posix.basename(dir) === 'partials')
        hb.registerPartial(path.posix.join(path.posix.dirname(dir), path.posix.basename(rel, '.hbs')), template);
      else compiled.set(rel, template);
    } catch (e) {
      diagnostics.push(templateDiagnostic(file, e));
    }
  }
  if (diagnostics.some((d) => d.severity === 'error')) throw new DiagnosticsError(diagnostics);

  return {
    render(name, context) {
      const t = compiled.get(name);
      const file = sources.get(name)?.file ?? name;
      if (!t) throw new DiagnosticsError([diagnostic(DiagnosticCodes.TEMPLATE_ERROR, file, undefined, `template "${name}" is missing`)]);
      try {
        return t(context, { allowProtoPropertiesByDefault: false });
      } catch (e) {
        throw new DiagnosticsError([templateDiagnostic(file, e)]);
      }
    },
  };
}

function templateDiagnostic(file: string, e: unknown): Diagnostic {
  const message = e instanceof Error ? e.message : String(e);
  const line = /on line (\d+)/.exec(message)?.[1] ?? /^(\d+):/.exec(message)?.[1];
  const first = message.split('\n')[0] ?? message;
  return diagnostic(DiagnosticCodes.TEMPLATE_ERROR, file, { line: line ? Number(line) : 1, column: 1 }, `template error: ${first}`, {
    hint: 'fix or remove the overriding template',
  });
}

/** Helpers templates may use; each is a pure function of its arguments. */
function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''));
  hb.registerHelper('json', (value: unknown) => JSON.stringify(value));
  // A `#` comment block: one line of text per comment line, never breaking out of the comment.
  hb.registerHelper('comment', (text: unknown) =>
    String(text)
      .replace(/\r\n?|[\u2028\u2029]/g, '\n')
      .split('\n')
      .map((l) => lineCommentText(l))
      .map((l) => (l ? `# ${l}` : '#'))
      .join('\n'),
  );
}
