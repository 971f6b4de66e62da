/** Renders API changes as text, markdown (for a pull request) or JSON. */
import { LEVELS, type ApiChange, type ChangeLevel } from './compare.js';

export type ChangesFormat = 'text' | 'markdown' | 'json';

const TITLES: Record<ChangeLevel, string> = { breaking: 'Breaking', warning: 'Warnings', info: 'Info' };

export function sortChanges(changes: readonly ApiChange[]): ApiChange[] {
  const rank = (l: ChangeLevel) => LEVELS.indexOf(l);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...changes].sort((a, b) => rank(a.level) - rank(b.level) || cmp(a.subject, b.subject) || cmp(a.message, b.message));
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

export function formatChanges(changes: readonly ApiChange[], format: ChangesFormat, oldName: string, newName: string): string {
  const sorted = sortChanges(changes);
  const summary = summarize(sorted);
  if (format === 'json') return JSON.stringify({ old: oldName, new: newName, summary, changes: sorted }, null, 2) + '\n';
  const counts = `${summary.breaking} breaking, ${summary.warning} warning${summary.warning === 1 ? '' : 's'}, ${summary.info} info`;
  if (format === 'text') {
    let out = `API changes from ${oldName} to ${newName}: ${counts}\n`;
    for (const c of sorted) {
      out += `${c.level.toUpperCase().padEnd(8)} ${c.message}\n`;
      if (c.old !== undefined && c.new !== undefined && c.rule !== 'description-changed') out += `         old: ${c.old.replace(/\n/g, ' ')}\n         new: ${c.new.replace(/\n/g, ' ')}\n`;
    }
    return out;
  }
  let out = `## API changes: ${code(oldName)} → ${code(newName)}\n\n${counts}.\n`;
  for (const level of LEVELS) {
    const group = sorted.filter((c) => c.level === level);
    if (!group.length) continue;
    out += `\n### ${TITLES[level]} (${group.length})\n\n`;
    for (const c of group) {
      out += `- ${c.message.replace(/[\\`*_[\]<>|]/g, '\\$&')}\n`;
      if (c.old !== undefined && c.new !== undefined && c.rule !== 'description-changed') out += `  - old: ${code(c.old)}\n  - new: ${code(c.new)}\n`;
    }
  }
  return out;
}

export function failsOn(changes: readonly ApiChange[], level: 'breaking' | 'warning'): boolean {
  return changes.some((c) => (level === 'breaking' ? c.level === 'breaking' : c.level !== 'info'));
}
