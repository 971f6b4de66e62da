/** `generate` and `check`: the API's steps (outputRun.ts) with printing between them and signals around the write. */
import path from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILE } from '../config/config.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { githubAnnotation } from '../diagnostics/format.js';
import { FormatCancelled } from '../format/formatters.js';
import { checkBuilt, readRunRecord, writeBuilt, type OutputOptions } from '../outputRun.js';
import { conflictDiagnostics, WriteCancelled, type WriteResult } from '../writer/output.js';
import { EXIT, type Cli } from './context.js';
import { outputCommandOptions, outputOptions, resolveRunOptions } from './options.js';
import { signalExitCode, stopRequested, whileInterruptible } from './signals.js';

/** The full path of a run (the record's answer needs none of it, so it is loaded only here). */
async function buildRun(options: OutputOptions) {
  return (await import('../api.js')).buildOutput(options);
}

export function addGenerateCommand(program: Command, cli: Cli): void {
  outputCommandOptions(program.command('generate'))
    .description('write every enabled target into the output directory (only files that changed; nothing when the input has errors)')
    .option('--watch', 'keep running: regenerate whenever a spec file or template changes')
    .option('--force', 'overwrite files the generator never wrote that stand where it now generates one')
    .action(async (_opts: unknown, cmd: Command) => {
      const run = resolveRunOptions(cli, cmd);
      const opts = cmd.opts();
      if (opts.watch) {
        // The config file is watched too (created later, or edited): its options apply from the next regeneration.
        const configFile = path.resolve(cli.io.cwd, (opts.config as string | undefined) ?? CONFIG_FILE);
        const { watchAndGenerate } = await import('./watch.js');
        cli.exitCode = await watchAndGenerate(run, {
          report: cli.report,
          say: cli.say,
          stop: cli.io.stopSignal ?? stopRequested().then(() => {}),
          lockTimeoutMs: (opts.lockTimeout as number) * 1000,
          force: Boolean(opts.force),
          cwd: cli.io.cwd,
          config: { file: configFile, reload: () => resolveRunOptions(cli, cmd) },
        });
        return;
      }
      // The API's steps (outputRun.ts), with printing between them and signals around the write.
      const options = { ...outputOptions(cli, run, cmd), force: Boolean(opts.force) };
      const record = await readRunRecord(options);
      if (record.recorded.upToDate) {
        const { files, foreign } = record.recorded;
        cli.say(`${run.outShown}: 0 written, 0 removed, ${files.length} unchanged, as this machine's cache of full runs records: nothing was parsed\n` + (foreign.length ? leftAlone(foreign) : ''));
        return;
      }
      const built = await buildRun(options);
      cli.report(built.diagnostics);
      const emitted = built.files;
      if (!emitted || hasErrors(built.diagnostics)) {
        cli.exitCode = EXIT.INVALID;
        cli.say(`nothing written to ${run.outShown}: the input has errors\n`);
        return;
      }
      const outcome = await whileInterruptible((signal) => writeBuilt(emitted, record, { ...options, signal }));
      if ('error' in outcome) {
        if (outcome.error instanceof WriteCancelled || outcome.error instanceof FormatCancelled || outcome.interrupted) {
          cli.say(`interrupted: ${run.outShown} was left as it was\n`);
          cli.exitCode = signalExitCode(outcome.interrupted ?? 'SIGINT');
          return;
        }
        throw outcome.error;
      }
      if (!outcome.result.ok) {
        cli.report(outcome.result.diagnostics);
        cli.say(`nothing written to ${run.outShown}: a formatter failed\n`);
        cli.exitCode = EXIT.INVALID;
        return;
      }
      cli.say(writeSummary(run.outShown, outcome.result.result));
      // A signal that came after the commit point: the output is complete, but the run was asked to stop.
      if (outcome.interrupted) cli.exitCode = signalExitCode(outcome.interrupted);
    });
}

export function addCheckCommand(program: Command, cli: Cli): void {
  outputCommandOptions(program.command('check'))
    .description('compare the output directory with what generate would write; exit 1 listing stale, missing and unexpected files (writes nothing)')
    .action(async (_opts: unknown, cmd: Command) => {
      const run = resolveRunOptions(cli, cmd);
      const options = outputOptions(cli, run, cmd);
      const record = await readRunRecord(options);
      if (record.recorded.upToDate) {
        const recorded = record.recorded;
        if (cli.format === 'json') cli.io.stdout(JSON.stringify({ stale: [], missing: [], unexpected: [], conflicts: [], leftovers: [], unchanged: recorded.files.length, foreign: recorded.foreign, cache: 'hit' }, null, 2) + '\n');
        else {
          if (recorded.foreign.length) cli.say(leftAlone(recorded.foreign));
          cli.io.stderr(`${run.outShown} is up to date (${recorded.files.length} files), as this machine's cache of full runs records: nothing was parsed\n`);
        }
        return;
      }
      const built = await buildRun(options);
      const emitted = built.files;
      if (!emitted || hasErrors(built.diagnostics)) {
        cli.report(built.diagnostics);
        cli.exitCode = EXIT.INVALID;
        return;
      }
      const checking = await whileInterruptible((signal) => checkBuilt(emitted, record, { ...options, signal }));
      if ('error' in checking) {
        if (checking.error instanceof FormatCancelled || checking.interrupted) {
          cli.exitCode = signalExitCode(checking.interrupted ?? 'SIGINT');
          return;
        }
        throw checking.error;
      }
      if (!checking.result.ok) {
        cli.report(checking.result.diagnostics);
        cli.exitCode = EXIT.INVALID;
        return;
      }
      const state = checking.result.compared;
      const problems = !state.upToDate;
      if (cli.format === 'json') {
        cli.io.stdout(JSON.stringify({ stale: state.stale, missing: state.missing, unexpected: state.unexpected, conflicts: state.conflicts, leftovers: state.leftovers, unchanged: state.unchanged.length, foreign: state.foreign, cache: 'miss' }, null, 2) + '\n');
      } else {
        let text = '';
        const annotations: string[] = [];
        const shownDiff = (f: string) => {
          const d = state.diffs.get(f)!;
          annotations.push(githubAnnotation('error', { file: path.join(run.outShown, f), line: d.firstChangedLine ?? 1, title: 'stale generated file' }, `${f} is not what simplex-api-codegen generates from the spec; run simplex-api-codegen generate`));
          return d.text;
        };
        for (const f of state.stale) text += `stale: ${f}${state.conflicts.includes(f) ? ' (not written by simplex-api-codegen: generate refuses to overwrite it without --force)' : ''}\n` + shownDiff(f);
        for (const f of state.missing) text += `missing: ${f}\n` + shownDiff(f);
        for (const f of state.unexpected) {
          text += `unexpected: ${f} (generate would remove it)\n`;
          annotations.push(githubAnnotation('error', { file: path.join(run.outShown, f), title: 'unexpected generated file' }, `${f} is no longer generated; run simplex-api-codegen generate to remove it`));
        }
        for (const f of state.leftovers) {
          text += `stale: ${f} (left by an interrupted run; generate finishes or undoes it and removes it)\n`;
          annotations.push(githubAnnotation('error', { file: path.join(run.outShown, f), title: 'interrupted run' }, `${f} was left by an interrupted run; run simplex-api-codegen generate`));
        }
        if (cli.format === 'github') text = annotations.join('') + text;
        if (state.foreign.length) cli.say(leftAlone(state.foreign));
        if (problems)
          text += `${run.outShown} is out of date: ${state.stale.length} stale, ${state.missing.length} missing, ${state.unexpected.length} unexpected${state.leftovers.length ? `, ${state.leftovers.length} left by an interrupted run` : ''}; run simplex-api-codegen generate\n`;
        else {
          text += `${run.outShown} is up to date (${state.unchanged.length} files)\n`;
          if (state.recordStale)
            cli.say(`note: the manifest in ${run.outShown} records other inputs or another build of the generator; run simplex-api-codegen generate to update it, and later runs need not parse\n`);
        }
        (problems ? cli.io.stdout : cli.io.stderr)(text);
      }
      if (state.conflicts.length) cli.report(conflictDiagnostics(state.conflicts, run.outShown).map((d) => ({ ...d, severity: 'warning' as const })));
      if (problems) cli.exitCode = EXIT.FINDINGS;
    });
}

function writeSummary(shown: string, result: WriteResult): string {
  return (
    (result.recovered !== 'none' ? `${shown}: an interrupted earlier run was found and ${result.recovered === 'completed' ? 'completed' : 'undone'}\n` : '') +
    (result.cleaned.length ? `${shown}: removed ${result.cleaned.length} leftover file${result.cleaned.length === 1 ? '' : 's'} of an interrupted run\n` : '') +
    `${shown}: ${result.written.length} written, ${result.removed.length} removed, ${result.unchanged} unchanged\n` +
    result.written.map((f) => `  wrote ${f}\n`).join('') +
    result.removed.map((f) => `  removed ${f}\n`).join('') +
    (result.foreign.length ? leftAlone(result.foreign) : '')
  );
}

/** Files in the output directory that the generator never wrote: named, so that nobody is surprised. */
function leftAlone(files: readonly string[]): string {
  const shown = files.slice(0, 5).join(', ') + (files.length > 5 ? `, … (${files.length - 5} more)` : '');
  return `note: ${files.length} file${files.length === 1 ? '' : 's'} not written by simplex-api-codegen left as ${files.length === 1 ? 'it is' : 'they are'}: ${shown}\n`;
}
