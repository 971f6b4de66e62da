/** Renders diagnostics as text (for people), JSON (for tools) or GitHub Actions annotations. */
import { escapeInvisible } from '../emit/escape.js';
import type { Diagnostic } from './diagnostic.js';

export type DiagnosticFormat = 'text' | 'json' | 'github';
export const diagnosticFormats: readonly DiagnosticFormat[] = ['text', 'json', 'github'];

export function formatDiagnostics(diagnostics: readonly Diagnostic[], format: DiagnosticFormat, color = false): string {
  switch (format) {
    case 'json':
      return JSON.stringify(diagnostics, null, 2) + '\n';
    case 'github':
      return diagnostics.map(formatGithub).join('');
    case 'text':
      return diagnostics.map((d) => formatText(d, color)).join('') + (diagnostics.length ? summary(diagnostics) : '');
  }
}

function summary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`;
}

function formatText(d: Diagnostic, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sev = d.severity === 'error' ? paint('31;1', 'error') : paint('33;1', 'warning');
  let out = `${paint('1', `${oneLine(d.file)}:${d.line}:${d.column}`)}: ${sev} ${d.code}: ${oneLine(d.message)}\n`;
  if (d.expected !== undefined) out += `  expected: ${oneLine(d.expected)}\n`;
  if (d.hint !== undefined) out += `  hint: ${oneLine(d.hint)}\n`;
  return out;
}

/** GitHub workflow commands: properties and messages escape `%`, CR, LF (and `:`/`,` in properties). */
function formatGithub(d: Diagnostic): string {
  const text = [d.message, d.expected ? `expected: ${d.expected}` : '', d.hint ? `hint: ${d.hint}` : '']
    .filter(Boolean)
    .join('\n');
  return githubAnnotation(d.severity, { file: d.file, line: d.line, column: d.column, title: d.code }, text);
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** One GitHub Actions annotation (`::error file=…,line=…::message`); `line` and `column` when known. */
export function githubAnnotation(level: AnnotationLevel, at: { file?: string; line?: number; column?: number; title?: string }, message: string): string {
  const prop = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const props = [
    at.file !== undefined ? `file=${prop(at.file)}` : '',
    at.line !== undefined ? `line=${at.line}` : '',
    at.column !== undefined ? `col=${at.column}` : '',
    at.title !== undefined ? `title=${prop(at.title)}` : '',
  ].filter(Boolean);
  return `::${level}${props.length ? ` ${props.join(',')}` : ''}::${escapeData(message)}\n`;
}

function escapeData(s: string): string {
  return escapeInvisible(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** One line with every control and invisible character shown as an escape: spec text never drives the terminal. */
function oneLine(s: string): string {
  return escapeInvisible(s.replace(/\r?\n/g, '\\n').replace(/\r/g, '\\r'));
}
