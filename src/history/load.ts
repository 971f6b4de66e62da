/**
 * The history a configuration names (`history`: versions oldest first, each a spec directory or a `REV:PATH` git
 * revision; the last is the version being generated), read and built, and the generated model annotated with it.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { readSide } from '../changes/loadSide.js';
import { diagnostic, DiagnosticCodes, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ApiModel } from '../model/types.js';
import type { LoadedSpec, SpecInput } from '../parse/loadSpec.js';
import { buildModelCached } from '../cache/models.js';
import { withHistory } from './annotate.js';
import { computeSince, type HistoryModel } from './since.js';
import { isRevisionPath, type HistoryEntry } from './entry.js';

export { isRevisionPath, type HistoryEntry } from './entry.js';

/**
 * Versions built before, by their documents' text: a watch rebuilds on every edit of the current spec, while the
 * older versions stay as they were. A few are kept (the history of one project). With a cache directory, a
 * version built by an earlier run on this machine is read from its cache of built models instead of parsed.
 */
const builtVersions = new Map<string, LoadedSpec>();
const MAX_KEPT_VERSIONS = 16;

function builtVersion(input: SpecInput, cacheDir: string | undefined): LoadedSpec {
  const key = createHash('sha256').update(JSON.stringify([input.texts, input.files])).digest('hex');
  const kept = builtVersions.get(key);
  if (kept) return kept;
  const built = buildModelCached(input, cacheDir);
  if (builtVersions.size >= MAX_KEPT_VERSIONS) builtVersions.delete(builtVersions.keys().next().value!);
  builtVersions.set(key, built);
  return built;
}

export interface LoadedHistory {
  model?: ApiModel;
  diagnostics: Diagnostic[];
}

/**
 * `model` (the last version) with `since` on each item; errors when an earlier version cannot be read or has
 * errors. `cacheDir`: this machine's cache, where earlier versions' built models are kept (none: always parsed).
 */
export function applyHistory(model: ApiModel, entries: readonly HistoryEntry[], cwd: string, specDir: string, cacheDir?: string): LoadedHistory {
  const diagnostics: Diagnostic[] = [];
  const versions: HistoryModel[] = [];
  entries.forEach((entry, i) => {
    const where = entry.spec ?? entry.revision ?? '';
    const fail = (message: string, expected: string) =>
      diagnostics.push(diagnostic(DiagnosticCodes.HISTORY_VERSION, where || `history[${i}]`, undefined, `history version "${entry.label}": ${message}`, { expected }));
    if (i === entries.length - 1) {
      if (entry.revision !== undefined || (entry.spec !== undefined && path.resolve(cwd, entry.spec) !== path.resolve(cwd, specDir)))
        return fail('is the last version, the one being generated: it names no other spec', `{"label": "${entry.label}"} (the spec being generated)`);
      versions.push({ label: entry.label, model });
      return;
    }
    if ((entry.spec === undefined) === (entry.revision === undefined))
      return fail('needs a spec directory or a git revision, one of them', '{"label": "v6.4", "spec": "api/v6.4"} or {"label": "v6.4", "revision": "v6.4.0:bots/api"}');
    if (entry.revision !== undefined && !isRevisionPath(entry.revision)) return fail(`"${entry.revision}" is not REV:PATH`, 'a revision and a path, such as "v6.4.0:bots/api" or "HEAD~1:spec"');
    const side = readSide(entry.spec !== undefined ? path.resolve(cwd, entry.spec) : entry.revision!, cwd);
    if (hasErrors(side.diagnostics)) {
      diagnostics.push(...side.diagnostics.map((d) => ({ ...d, message: `history version "${entry.label}": ${d.message}` })));
      return;
    }
    const built = builtVersion(side.input, cacheDir);
    const errors = built.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      diagnostics.push(...errors.map((d) => ({ ...d, message: `history version "${entry.label}": ${d.message}` })));
      return;
    }
    versions.push({ label: entry.label, model: built.model });
  });
  if (hasErrors(diagnostics)) return { diagnostics };
  return { model: withHistory(model, entries.map((e) => e.label), computeSince(versions)), diagnostics };
}

/** The spec with `since` on its items when a history is configured (and without errors so far). */
export function withConfiguredHistory(spec: LoadedSpec, history: readonly HistoryEntry[] | undefined, cwd: string, specDir: string, cacheDir?: string): LoadedSpec {
  if (!history?.length || hasErrors(spec.diagnostics)) return spec;
  const h = applyHistory(spec.model, history, cwd, specDir, cacheDir);
  return { ...spec, model: h.model ?? spec.model, diagnostics: sortDiagnostics([...spec.diagnostics, ...h.diagnostics]) as Diagnostic[] };
}
