/**
 * `changes --ignore FILE`: known changes accepted by rule and name, as oasdiff's ignore files accept them, so
 * that a gate (`--fail-on breaking`) passes once a change has been reviewed. One entry per line:
 *
 *     # accepted in review of 6.4
 *     required-parameter-added APISendMessages.signMessages
 *     field-type-changed UserContactRequest.profile
 *     description-changed *
 *
 * The rule may be `*`; the name is the change's path (`Command`, `Command.parameter`, `Type.field`,
 * `Type.Member.field`) where `*` matches any run of characters.
 */
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics/diagnostic.js';
import { decodeUtf8, describeReadProblem, readRegularFile } from '../io/readInput.js';
import { suggest } from '../model/validate.js';
import { pathOf, type ApiChange } from './change.js';

export interface IgnoreEntry {
  rule: string;
  pattern: string;
  line: number;
  matches: (c: ApiChange) => boolean;
}

/** Every rule `compareModels` gives, for did-you-mean. */
export const CHANGE_RULES: ReadonlySet<string> = new Set([
  'command-removed', 'command-added', 'syntax-changed', 'parameter-removed', 'required-parameter-added', 'optional-parameter-added',
  'response-added', 'response-removed', 'error-added', 'network-usage-changed', 'description-changed', 'field-type-changed',
  'field-type-changed-same-code', 'made-required', 'made-optional', 'field-removed', 'required-field-added', 'optional-field-added',
  'event-removed', 'event-added', 'type-removed', 'type-added', 'type-kind-changed', 'enum-value-added', 'enum-value-removed',
  'union-member-added', 'union-member-removed',
]);

const MAX_IGNORE_BYTES = 1024 * 1024;
const EXPECTED = 'RULE NAME per line, as "required-parameter-added APISendMessages.signMessages" (either may be *; # starts a comment)';

export function readIgnoreFile(file: string, shown: string): { entries: IgnoreEntry[]; diagnostics: Diagnostic[] } {
  const fail = (line: number, column: number, message: string) => diagnostic(DiagnosticCodes.IGNORE_INVALID, shown, { line, column }, message, { expected: EXPECTED });
  const read = readRegularFile(file, MAX_IGNORE_BYTES);
  if ('problem' in read) return { entries: [], diagnostics: [fail(1, 1, `ignore file "${shown}" ${describeReadProblem(read.problem, MAX_IGNORE_BYTES)}`)] };
  const decoded = decodeUtf8(read.bytes);
  if ('invalidAt' in decoded) return { entries: [], diagnostics: [fail(decoded.invalidAt.line, decoded.invalidAt.column, 'the ignore file is not UTF-8')] };
  return parseIgnoreText(decoded.text, shown);
}

export function parseIgnoreText(text: string, shown: string): { entries: IgnoreEntry[]; diagnostics: Diagnostic[] } {
  const entries: IgnoreEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const words = line.split(/\s+/);
    const column = raw.indexOf(words[0]!) + 1;
    if (words.length !== 2) {
      diagnostics.push(diagnostic(DiagnosticCodes.IGNORE_INVALID, shown, { line: i + 1, column }, `expected a rule and a name, found ${words.length} word${words.length === 1 ? '' : 's'}`, { expected: EXPECTED }));
      return;
    }
    const [rule, pattern] = words as [string, string];
    if (rule !== '*' && !CHANGE_RULES.has(rule)) {
      const hint = suggest(rule, CHANGE_RULES);
      diagnostics.push(diagnostic(DiagnosticCodes.IGNORE_INVALID, shown, { line: i + 1, column }, `"${rule}" is not a rule of changes${hint ? `: ${hint}` : ''}`, { expected: `one of ${[...CHANGE_RULES].join(', ')}, or *` }));
      return;
    }
    const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    entries.push({ rule, pattern, line: i + 1, matches: (c) => (rule === '*' || c.rule === rule) && re.test(pathOf(c)) });
  });
  return { entries, diagnostics };
}

/** The changes no entry accepts, those it does, and the entries that accepted nothing (stale, worth removing). */
export function applyIgnore(changes: readonly ApiChange[], entries: readonly IgnoreEntry[]): { kept: ApiChange[]; ignored: ApiChange[]; unused: IgnoreEntry[] } {
  const used = new Set<IgnoreEntry>();
  const kept: ApiChange[] = [];
  const ignored: ApiChange[] = [];
  for (const c of changes) {
    const entry = entries.find((e) => e.matches(c));
    if (entry) {
      used.add(entry);
      ignored.push(c);
    } else kept.push(c);
  }
  return { kept, ignored, unused: entries.filter((e) => !used.has(e)) };
}
