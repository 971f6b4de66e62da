/**
 * Diagnostics: every problem found in the input, with a stable code and a `file:line:column` location.
 * Stages collect them instead of throwing, so one run reports every problem at once.
 */

export type Severity = 'error' | 'warning';

/** Stable codes. Their meaning never changes; retired codes are not reused. */
export const DiagnosticCodes = {
  SPEC_DIR_MISSING: 'SPEC001',
  COMMANDS_MISSING: 'SPEC002',
  UNKNOWN_DOCUMENT: 'SPEC003',
  UNREADABLE_FILE: 'SPEC004',
  NOT_UTF8: 'SPEC005',
  UNEXPECTED_STRUCTURE: 'DOC001',
  MARKDOWN_LIMIT: 'DOC002',
  MISSING_SYNTAX: 'CMD001',
  BAD_FIELD: 'FIELD001',
  BAD_NAME: 'NAME001',
  UNKNOWN_TYPE: 'REF001',
  DUPLICATE_COMMAND: 'DUP001',
  DUPLICATE_TYPE: 'DUP002',
  DUPLICATE_EVENT: 'DUP003',
  DUPLICATE_FIELD: 'DUP004',
  SYNTAX_PARSE: 'SYN001',
  SYNTAX_UNDECLARED: 'SYN002',
  SYNTAX_UNUSED: 'SYN003',
  SYNTAX_TYPE: 'SYN004',
  SNIPPET_JS_DIFFERS: 'LINT001',
  SNIPPET_PY_DIFFERS: 'LINT002',
  OPAQUE_TYPES: 'TYPES001',
  TEMPLATE_ERROR: 'TPL001',
  CONFIG_INVALID: 'CFG001',
  FORMAT_FAILED: 'FMT001',
  IGNORE_INVALID: 'IGN001',
  SCENARIO_INVALID: 'MOCK001',
  RECORD_PATH: 'MOCK002',
  CLIENT_NAME: 'CLIENT001',
  BOT_UNBOUND: 'BOT001',
  HISTORY_VERSION: 'HIST001',
  OUTPUT_NOT_OWNED: 'OUT001',
  WRITE_FAILED: 'OUT002',
  OUTPUT_LINK: 'OUT003',
  OUTPUT_LOCKED: 'OUT004',
  OUTPUT_CONFLICT: 'OUT005',
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** Display path of the file, as the user named it (relative to the working directory where possible). */
  file: string;
  line: number;
  column: number;
  /** One line saying what is wrong. */
  message: string;
  /** What the input should have had at this place. */
  expected?: string;
  hint?: string;
  /** The command, type or event it is about, where there is one (what `ignore` entries name). */
  subject?: string;
}

export function diagnostic(
  code: DiagnosticCode,
  file: string,
  pos: { line: number; column: number } | undefined,
  message: string,
  extra: { expected?: string; hint?: string; severity?: Severity; subject?: string } = {},
): Diagnostic {
  const d: Diagnostic = {
    code,
    severity: extra.severity ?? 'error',
    file,
    line: pos?.line ?? 1,
    column: pos?.column ?? 1,
    message,
  };
  if (extra.expected !== undefined) d.expected = extra.expected;
  if (extra.hint !== undefined) d.hint = extra.hint;
  if (extra.subject !== undefined) d.subject = extra.subject;
  return d;
}

/** A warning the config silences: by code, and by the command, type or event it is about when a name is given. */
export interface IgnoreRule {
  code: string;
  name?: string;
}

export function isIgnored(d: Diagnostic, rules: readonly IgnoreRule[]): boolean {
  return d.severity === 'warning' && rules.some((r) => r.code === d.code && (r.name === undefined || r.name === d.subject));
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorted by file, position and code, so that reports are stable whatever order the stages ran in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.code, b.code) || cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Thrown by the CLI's stages to stop with diagnostics; never escapes to the user as a stack trace. */
export class DiagnosticsError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.code} ${d.message}`).join('\n'));
  }
}
