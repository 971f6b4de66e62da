/** Renders API changes as text, markdown (for a pull request), JSON (for tools) or GitHub Actions annotations. */
import { githubAnnotation, type AnnotationLevel } from '../diagnostics/format.js';
import { LEVELS, subjectOf, type ApiChange, type ChangeLevel } from './change.js';

import type { ChangesFormat } from './formats.js';
export { CHANGES_FORMATS, type ChangesFormat } from './formats.js';

const TITLES: Record<ChangeLevel, string> = { breaking: 'Breaking', warning: 'Warnings', info: 'Info' };

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function sortChanges(changes: readonly ApiChange[]): ApiChange[] {
  const rank = (l: ChangeLevel) => LEVELS.indexOf(l);
  return [...changes].sort((a, b) => rank(a.level) - rank(b.level) || cmp(subjectOf(a), subjectOf(b)) || cmp(a.message, b.message));
}

export function summarize(changes: readonly ApiChange[]): Record<ChangeLevel, number> {
  return { breaking: changes.filter((c) => c.level === 'breaking').length, warning: changes.filter((c) => c.level === 'warning').length, info: changes.filter((c) => c.level === 'info').length };
}

/** A markdown code span that holds any text (backticks included). */
function code(text: string): string {
  const oneLine = text.replace(/\r?\n/g, ' ');
  const ticks = '`'.repeat(Math.max(0, ...[...oneLine.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${oneLine}${pad}${ticks}`;
}

const escapeMarkdown = (text: string) => text.replace(/[\\`*_[\]<>|#~]/g, '\\$&');

/** The message with the names it mentions (command, type, member, parameter, field, response) in code spans. */
function markdownMessage(c: ApiChange): string {
  const names = [c.name, c.member, c.parameter, c.field, ...(c.rule.startsWith('response-') || c.rule === 'error-added' ? [c.old, c.new] : [])].filter((n): n is string => !!n);
  const unique = [...new Set(names)].sort((a, b) => b.length - a.length);
  if (!unique.length) return escapeMarkdown(c.message);
  const pattern = new RegExp(`(?<![A-Za-z0-9_])(${unique.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![A-Za-z0-9_])`, 'g');
  let out = '';
  let last = 0;
  for (const m of c.message.matchAll(pattern)) {
    out += escapeMarkdown(c.message.slice(last, m.index)) + code(m[0]);
    last = m.index + m[0].length;
  }
  return out + escapeMarkdown(c.message.slice(last));
}

export interface ChangesReport {
  oldName: string;
  newName: string;
  changes: readonly ApiChange[];
  /** Changes an ignore file accepted (left out of `changes`). */
  ignored?: number;
}

/** Said under a change to a command the generated bot framework sends. */
const BOT_NOTE = 'the generated bot framework sends this command: its binding (botApi.ts, _bot_api.py) regenerates';

export function formatChanges(report: ChangesReport, format: ChangesFormat): string {
  const { oldName, newName } = report;
  const sorted = sortChanges(report.changes);
  const summary = summarize(sorted);
  const ignored = report.ignored ?? 0;
  if (format === 'json') return JSON.stringify({ old: oldName, new: newName, summary, ...(ignored ? { ignored } : {}), changes: sorted.map(jsonEntry) }, null, 2) + '\n';
  if (format === 'github') return sorted.map(annotation).join('');
  const counts = `${summary.breaking} breaking, ${summary.warning} warning${summary.warning === 1 ? '' : 's'}, ${summary.info} info${ignored ? ` (${ignored} ignored)` : ''}`;
  if (format === 'text') {
    let out = `API changes from ${oldName} to ${newName}: ${counts}\n`;
    for (const c of sorted) {
      out += `${c.level.toUpperCase().padEnd(8)} ${c.message}\n`;
      if (c.old !== undefined && c.new !== undefined && c.rule !== 'description-changed') out += `         old: ${c.old.replace(/\n/g, ' ')}\n         new: ${c.new.replace(/\n/g, ' ')}\n`;
      if (c.syntax) out += `         syntax was: ${c.syntax.old}\n         syntax now: ${c.syntax.new}\n`;
      if (c.usedByBot) out += `         ${BOT_NOTE}\n`;
    }
    return out;
  }
  let out = `## API changes: ${code(oldName)} → ${code(newName)}\n\n${counts}.\n`;
  for (const level of LEVELS) {
    const group = sorted.filter((c) => c.level === level);
    if (!group.length) continue;
    let items = '';
    for (const c of group) {
      items += `- ${markdownMessage(c)}\n`;
      if (c.old !== undefined && c.new !== undefined && c.rule !== 'description-changed') items += `  - old: ${code(c.old)}\n  - new: ${code(c.new)}\n`;
      if (c.syntax) items += `  - syntax was: ${code(c.syntax.old)}\n  - syntax now: ${code(c.syntax.new)}\n`;
      if (c.usedByBot) items += `  - ${BOT_NOTE}\n`;
    }
    // Informational entries are many and rarely need action: folded, so that the rest stays in view.
    if (level === 'info') out += `\n<details><summary>${TITLES[level]} (${group.length})</summary>\n\n${items}\n</details>\n`;
    else out += `\n### ${TITLES[level]} (${group.length})\n\n${items}`;
  }
  return out;
}

/** The JSON entry of a change: keys in a fixed order, absent ones left out. */
function jsonEntry(c: ApiChange): Record<string, unknown> {
  const entry: Record<string, unknown> = { kind: c.kind, name: c.name };
  if (c.member !== undefined) entry.member = c.member;
  if (c.parameter !== undefined) entry.parameter = c.parameter;
  if (c.field !== undefined) entry.field = c.field;
  Object.assign(entry, { rule: c.rule, level: c.level, change: c.change, message: c.message });
  if (c.old !== undefined) entry.old = c.old;
  if (c.new !== undefined) entry.new = c.new;
  if (c.syntax !== undefined) entry.syntax = c.syntax;
  if (c.oldAt !== undefined) entry.oldAt = c.oldAt;
  if (c.newAt !== undefined) entry.newAt = c.newAt;
  if (c.usedByBot) entry.usedByBot = true;
  return entry;
}

const ANNOTATION_LEVEL: Record<ChangeLevel, AnnotationLevel> = { breaking: 'error', warning: 'warning', info: 'notice' };

/** An annotation at the new document's line (a `REV:` prefix of a git side dropped: annotations name work-tree paths). */
function annotation(c: ApiChange): string {
  const at = c.newAt;
  const both = c.old !== undefined && c.new !== undefined && c.rule !== 'description-changed';
  const details = [both ? `old: ${c.old}\nnew: ${c.new}` : '', c.syntax ? `syntax was: ${c.syntax.old}\nsyntax now: ${c.syntax.new}` : '', c.usedByBot ? BOT_NOTE : '']
    .filter(Boolean)
    .join('\n');
  const where = at ? { file: at.file.replace(/^[^:]+:/, ''), line: at.line, column: at.column } : {};
  return githubAnnotation(ANNOTATION_LEVEL[c.level], { ...where, title: `${c.level}: ${c.rule}` }, details ? `${c.message}\n${details}` : c.message);
}

export function failsOn(changes: readonly ApiChange[], level: 'breaking' | 'warning'): boolean {
  return changes.some((c) => (level === 'breaking' ? c.level === 'breaking' : c.level !== 'info'));
}
