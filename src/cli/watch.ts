/**
 * `generate --watch`: regenerates whenever a spec document or a template changes (in the order regenerations.ts
 * keeps), and keeps running after a bad edit (reporting it and leaving the previous output in place).
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { DiagnosticsError, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { DEFAULT_TEMPLATES_DIR, loadTemplates, type TemplateSet } from '../emit/templates.js';
import { emitAll } from '../generate.js';
import { EmitMemo } from '../emit/memo.js';
import { ModelInterner } from '../model/intern.js';
import { readSpecDir } from '../parse/loadSpec.js';
import { SpecSession } from '../pipeline.js';
import { withConfiguredHistory } from '../history/load.js';
import { OutputMemory } from '../writer/compareOutput.js';
import { withManifest } from '../writer/manifest.js';
import { writeOutput, WriteCancelled } from '../writer/output.js';
import { inputsFingerprint } from '../cache/fingerprint.js';
import type { RunOptions } from './context.js';
import { Regenerations } from './regenerations.js';
import { runFormatters } from '../format/formatters.js';

export interface WatchHooks {
  report: (diagnostics: readonly Diagnostic[]) => void;
  say: (text: string) => void;
  stop: Promise<void>;
  /** Called after every regeneration (tests wait on it). */
  onRegenerated?: (ok: boolean) => void;
  lockTimeoutMs?: number;
  force?: boolean;
  /** Where formatter commands run (default: the process's working directory). */
  cwd?: string;
  /**
   * The configuration file to watch, and how to resolve the options again when it changes (it throws
   * DiagnosticsError on a bad config: the previous options are kept).
   */
  config?: { file: string; reload: () => RunOptions };
}

export async function watchAndGenerate(initial: RunOptions, hooks: WatchHooks): Promise<number> {
  let run = initial;
  const session = new SpecSession();
  const memory = new OutputMemory();
  let templates: TemplateSet | undefined;
  const memo = new EmitMemo();
  const historyInterner = new ModelInterner();

  /**
   * Regenerates; undefined when an edit that came in meanwhile superseded it (the regeneration it scheduled
   * follows): its output is not written, or its errors not reported, since they describe a text already gone.
   */
  const regenerate = async (changed: string[], superseded?: AbortSignal): Promise<boolean | undefined> => {
    const started = performance.now();
    try {
      // Taken before reading: an edit during the regeneration makes the record disagree, never wrongly agree.
      const fingerprint = inputsFingerprint(run);
      if (!templates || changed.some((c) => c.endsWith('.hbs'))) templates = loadTemplates(run.templatesDir);
      const read = readSpecDir(run.spec, run.specShown, run.specHint);
      const withHistory = withConfiguredHistory(session.build(read.input), run.history, hooks.cwd ?? process.cwd(), run.spec);
      // A history copies every item (to give it `since`): shared again here, so that the memo still holds.
      const spec = withHistory.model.history ? { ...withHistory, model: historyInterner.intern(withHistory.model) } : withHistory;
      const built = performance.now();
      const diagnostics = [...read.diagnostics, ...spec.diagnostics];
      if (hasErrors(diagnostics)) {
        // A save still in progress reads as broken: errors wait for one turn of the event loop, where its events land.
        if (superseded) await new Promise((r) => setImmediate(r));
        if (superseded?.aborted) return undefined;
        hooks.report(diagnostics);
        hooks.say(`${label(changed)}: the input has errors; ${run.outShown} kept as it was\n`);
        return false;
      }
      const emitted = await emitAll(spec, run, templates, memo);
      memo.sweep();
      const emittedAt = performance.now();
      hooks.report([...diagnostics, ...emitted.diagnostics]);
      let files = emitted.files;
      if (run.formatters.length) {
        const formatted = await runFormatters(files, run.formatters, { outDir: run.out, cwd: hooks.cwd ?? process.cwd() });
        if (formatted.diagnostics.length) throw new DiagnosticsError(formatted.diagnostics);
        files = formatted.files;
      }
      const result = await writeOutput(run.out, withManifest(files, fingerprint), { shown: run.outShown, memory, force: hooks.force, lockTimeoutMs: hooks.lockTimeoutMs, signal: superseded });
      const done = performance.now();
      const ms = (a: number, b: number) => Math.round(b - a);
      hooks.say(
        `${label(changed)}: ${result.written.length} written, ${result.removed.length} removed, ${result.unchanged} unchanged in ${ms(started, done)} ms` +
          ` (read ${ms(started, built)}, emit ${ms(built, emittedAt)}, write ${ms(emittedAt, done)})` +
          (result.written.length ? ` (${result.written.join(', ')})` : '') +
          '\n',
      );
      return true;
    } catch (e) {
      // Between its steps the write checks the signal, and undoes what it did: the output stays as it was.
      if (e instanceof WriteCancelled) return undefined;
      if (!(e instanceof DiagnosticsError)) throw e;
      hooks.report(e.diagnostics);
      hooks.say(`${label(changed)}: not regenerated; ${run.outShown} kept as it was\n`);
      templates = undefined;
      return false;
    }
  };

  const first = await regenerate([]);
  hooks.onRegenerated?.(first === true);

  const regenerations = new Regenerations(regenerate, (ok) => hooks.onRegenerated?.(ok));
  const schedule = (file: string) => regenerations.changed(file);

  let watchers: FSWatcher[] = [];
  const watchDir = (dir: string, recursive: boolean, relevant: (name: string) => boolean, onChange: (file: string) => void = schedule) => {
    if (!existsSync(dir)) return false;
    try {
      watchers.push(
        watch(dir, { recursive }, (_event, name) => {
          const file = name ? String(name) : '';
          if (relevant(file)) onChange(path.join(path.relative(process.cwd(), dir) || '.', file));
        }),
      );
      return true;
    } catch {
      return false;
    }
  };
  /** Watches what the current options name; a spec directory that does not exist yet is awaited in its parent. */
  const watchAll = () => {
    for (const w of watchers) w.close();
    watchers = [];
    if (!watchDir(run.spec, false, (f) => /^(COMMANDS|TYPES|EVENTS)\.md$/.test(f))) {
      // Created after start (a checkout, a build step): watched from the nearest directory that exists.
      let parent = path.dirname(run.spec);
      while (!existsSync(parent) && path.dirname(parent) !== parent) parent = path.dirname(parent);
      watchDir(parent, false, () => true, (file) => {
        if (!existsSync(run.spec)) return;
        watchAll();
        schedule(path.join(file, 'COMMANDS.md'));
      });
    }
    watchDir(DEFAULT_TEMPLATES_DIR, true, (f) => f.endsWith('.hbs'));
    if (run.templatesDir) watchDir(run.templatesDir, true, (f) => f.endsWith('.hbs'));
    if (hooks.config) {
      const config = hooks.config;
      watchDir(path.dirname(config.file), false, (f) => f === path.basename(config.file), () => {
        try {
          run = config.reload();
        } catch (e) {
          if (!(e instanceof DiagnosticsError)) throw e;
          hooks.report(e.diagnostics);
          hooks.say(`${path.basename(config.file)}: the configuration has errors; the previous options are kept\n`);
          return;
        }
        templates = undefined;
        watchAll();
        schedule(path.basename(config.file));
      });
    }
  };
  watchAll();
  hooks.say(`watching ${run.specShown}${run.templatesDir ? ` and ${run.templatesDir}` : ''}${hooks.config ? ` and ${path.basename(hooks.config.file)}` : ''} (Ctrl-C stops)\n`);

  await hooks.stop;
  for (const w of watchers) w.close();
  await regenerations.stop();
  return 0;
}

function label(changed: string[]): string {
  return changed.length ? `changed ${changed.map((c) => path.basename(c)).join(', ')}` : 'generated';
}
