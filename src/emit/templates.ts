/**
 * Handlebars templates: the text shapes of the emitted files. Defaults live in the package's `templates/`;
 * a user directory overrides any of them by relative path. A broken template is a diagnostic, not a crash.
 */
import { existsSync, statSync } from 'node:fs';
import { decodeUtf8, describeReadProblem, readRegularFile } from '../io/readInput.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { DiagnosticCodes, diagnostic, DiagnosticsError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { jsonString } from './escape.js';
import { lineCommentText } from './identifiers.js';
import { handlebars, PRECOMPILED_FILE, precompiledSpec, TEMPLATE_OPTIONS, templateOfSpec } from './precompiledTemplates.js';
import { listTemplateFiles as listFiles } from './templateFiles.js';

export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export type Render = (context: object) => string;

export interface TemplateSet {
  /** Renders the template at a relative path such as `docs/COMMANDS.md.hbs`. */
  render(name: string, context: object): string;
}

/** A template's text; a FIFO, device or huge file in a template directory is a diagnostic, not a hang. */
function readTemplate(file: string, diagnostics: Diagnostic[]): string | undefined {
  const read = readRegularFile(file, MAX_TEMPLATE_BYTES);
  if ('problem' in read) {
    diagnostics.push(diagnostic(DiagnosticCodes.TEMPLATE_ERROR, file, undefined, `template "${file}" ${describeReadProblem(read.problem, MAX_TEMPLATE_BYTES)}`, { expected: 'a regular UTF-8 .hbs file' }));
    return undefined;
  }
  const decoded = decodeUtf8(read.bytes);
  if ('invalidAt' in decoded) {
    diagnostics.push(diagnostic(DiagnosticCodes.TEMPLATE_ERROR, file, decoded.invalidAt, `template is not UTF-8: byte 0x${decoded.invalidAt.byte.toString(16).padStart(2, '0')}`, { expected: 'a UTF-8 .hbs file' }));
    return undefined;
  }
  return decoded.text;
}

const MAX_TEMPLATE_BYTES = 4 * 1024 * 1024;

/**
 * Loads and compiles every template (the package's own from `precompiled`, see precompiledTemplates.ts). Partials live in a `partials/` folder and are registered under their path
 * without that folder and the extension (`docs/partials/fields.hbs` → `docs/fields`).
 */
export function loadTemplates(overrideDir?: string, defaultsDir = DEFAULT_TEMPLATES_DIR, precompiled = PRECOMPILED_FILE): TemplateSet {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, { text: string; file: string }>();
  const loop = (at: string) =>
    diagnostics.push(
      diagnostic(DiagnosticCodes.TEMPLATE_ERROR, at, undefined, `template directory "${at}" links back to a directory that contains it`, {
        expected: 'a template directory without link loops',
        hint: 'remove the link',
      }),
    );
  const add = (dir: string, rel: string) => {
    const file = path.join(dir, rel);
    const text = readTemplate(file, diagnostics);
    if (text !== undefined) sources.set(rel, { text, file });
  };
  for (const rel of listFiles(defaultsDir, loop)) add(defaultsDir, rel);
  if (overrideDir !== undefined) {
    if (!existsSync(overrideDir) || !statSync(overrideDir).isDirectory()) {
      throw new DiagnosticsError([
        diagnostic(DiagnosticCodes.TEMPLATE_ERROR, overrideDir, undefined, `template directory "${overrideDir}" does not exist`, {
          expected: 'a directory of .hbs files named like those in the package templates/ directory',
        }),
      ]);
    }
    for (const rel of listFiles(overrideDir, loop)) {
      if (!sources.has(rel))
        diagnostics.push(
          diagnostic(DiagnosticCodes.TEMPLATE_ERROR, path.join(overrideDir, rel), undefined, `template "${rel}" overrides nothing`, {
            expected: `one of: ${[...sources.keys()].join(', ')}`,
          }),
        );
      add(overrideDir, rel);
    }
  }

  // The package's own text was compiled when the package was built; the compiler is loaded only when a
  // template's text is not that text.
  const specs = new Map([...sources].map(([rel, { text }]) => [rel, precompiledSpec(rel, text, precompiled)]));
  const hb = handlebars([...specs.values()].includes(undefined)).create();
  registerHelpers(hb);
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  const pure = contextPurePartials(sources);
  for (const [rel, { text, file }] of sources) {
    try {
      // Other text than the package's is parsed now, which surfaces syntax errors with the template's own line
      // number, and compiled once, when first rendered.
      const spec = specs.get(rel);
      const template = spec !== undefined ? templateOfSpec(hb, spec) : hb.compile(hb.parse(text), TEMPLATE_OPTIONS);
      if (isPartialFile(rel)) {
        const name = partialName(rel);
        hb.registerPartial(name, pure.has(name) ? memoizedByContext(template) : template);
      } else compiled.set(rel, template);
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

/** Partials live in a `partials/` folder. */
const isPartialFile = (rel: string) => path.posix.basename(path.posix.dirname(rel)) === 'partials';

/** `docs/partials/fields.hbs` → `docs/fields`. */
const partialName = (rel: string) => path.posix.join(path.posix.dirname(path.posix.dirname(rel)), path.posix.basename(rel, '.hbs'));

/**
 * What in a partial's text may read more than its context: `@` data (`@index`, `@root`, `@partial-block`), and,
 * to be safe, `../` (which in Handlebars 4 reaches no further than the partial's own context).
 */
const READS_BEYOND_CONTEXT = /@|\.\.\//;
const PARTIAL_CALL = /\{\{~?#?>\s*([^\s}~]+)/g;

/**
 * The partials whose output is a function of their context object alone: nothing in them reads data or a
 * partial block, and every partial they call is such a partial too (a dynamic one is not).
 */
function contextPurePartials(sources: ReadonlyMap<string, { text: string }>): Set<string> {
  const texts = new Map<string, string>();
  for (const [rel, { text }] of sources) if (isPartialFile(rel)) texts.set(partialName(rel), text);
  const pure = new Set<string>();
  const verdicts = new Map<string, boolean>();
  const isPure = (name: string): boolean => {
    const known = verdicts.get(name);
    if (known !== undefined) return known;
    verdicts.set(name, false); // a partial that calls itself is taken as impure
    const text = texts.get(name);
    const ok = text !== undefined && !READS_BEYOND_CONTEXT.test(text) && [...text.matchAll(PARTIAL_CALL)].every((m) => !m[1]!.startsWith('(') && isPure(m[1]!));
    verdicts.set(name, ok);
    return ok;
  };
  for (const name of texts.keys()) if (isPure(name)) pure.add(name);
  return pure;
}

/**
 * A partial that gives again, for the same context object, what it gave before. The emitters keep an unchanged
 * item's view object between the emits of a watch session, so a file of many items (docs/COMMANDS.md: 3.7 ms to
 * render) is rendered again only for the items that changed; a single run renders each item once anyway.
 */
function memoizedByContext(template: Handlebars.TemplateDelegate): Handlebars.TemplateDelegate {
  const rendered = new WeakMap<object, string>();
  return (context: unknown, options?: Handlebars.RuntimeOptions) => {
    if (typeof context !== 'object' || context === null) return template(context, options);
    let text = rendered.get(context);
    if (text === undefined) rendered.set(context, (text = template(context, options)));
    return text;
  };
}

/**
 * A handlebars error as a diagnostic. Handlebars puts the position on the error (`lineNumber`, a 0-based
 * `column`) or in the message (`Parse error on line 5:`, `… - 4:2`), and says what a parse expected on a line
 * of its own (`Expecting 'OPEN_ENDBLOCK', got 'EOF'`).
 */
function templateDiagnostic(file: string, e: unknown): Diagnostic {
  const raw = e instanceof Error ? e.message : String(e);
  const at = e as { lineNumber?: unknown; column?: unknown };
  const first = raw.split('\n')[0] ?? raw;
  const trailing = / - (\d+):(\d+)$/.exec(first);
  const line = typeof at.lineNumber === 'number' ? at.lineNumber : Number(/^Parse error on line (\d+):/.exec(first)?.[1] ?? trailing?.[1] ?? 1);
  const column = (typeof at.column === 'number' ? at.column : Number(trailing?.[2] ?? 0)) + 1;
  const expecting = /^Expecting (.*), got (.*)$/m.exec(raw);
  const message = expecting
    ? `template does not parse: unexpected ${expecting[2] === "'EOF'" ? 'end of template' : expecting[2]}`
    : first.replace(/ - \d+:\d+$/, '').replace(/ in \[object Object\]$/, '');
  return diagnostic(DiagnosticCodes.TEMPLATE_ERROR, file, { line, column }, `template error: ${message}`, {
    ...(expecting ? { expected: `one of ${expecting[1]}` } : {}),
    hint: /not defined/.test(message)
      ? 'templates are compiled in strict mode: a field the context does not have is an error (see the default templates for the fields)'
      : 'fix or remove the overriding template',
  });
}

/** Helpers templates may use; each is a pure function of its arguments. */
function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''));
  hb.registerHelper('json', (value: unknown) => (typeof value === 'string' ? jsonString(value) : JSON.stringify(value)));
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
