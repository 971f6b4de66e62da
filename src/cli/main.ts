/**
 * The command-line interface, a thin layer over the API (api.ts): it resolves options (defaults, config file,
 * flags), prints and picks exit codes: 0 ok, 1 findings (`check` found stale output, `lint` more warnings than
 * --max-warnings, `changes --fail-on`), 2 invalid input or usage. User errors print diagnostics, never a stack trace.
 */
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { loadConfig, CONFIG_FILE, PYTHON_PACKAGE_EXPECTED, type Config } from '../config/config.js';
import { isPythonDistName, isPythonPackageName, isPythonVersion, PYTHON_DIST_NAME_EXPECTED, PYTHON_VERSION_EXPECTED } from '../emit/identifiers.js';
import { diagnostic, DiagnosticCodes, DiagnosticsError, hasErrors, isIgnored, sortDiagnostics, type Diagnostic, type IgnoreRule } from '../diagnostics/diagnostic.js';
import { diagnosticFormats, formatDiagnostics, githubAnnotation, type DiagnosticFormat } from '../diagnostics/format.js';
import { DEFAULT_OPTIONS, type GenerateOptions } from '../options.js';
import { CHANGES_FORMATS, type ChangesFormat } from '../changes/formats.js';
import type { EraOption } from '../syntax/snippets.js';
import { TARGETS, type Target } from '../targets.js';
import { conflictDiagnostics, DEFAULT_LOCK_TIMEOUT_MS, WriteCancelled, type WriteResult } from '../writer/output.js';
import { signalExitCode, stopRequested, whileInterruptible } from './signals.js';
import { checkBuilt, readRunRecord, writeBuilt, type OutputOptions } from '../outputRun.js';
import { FormatCancelled, type Formatter } from '../format/formatters.js';

// Only what every command needs is imported above: `check` and `generate` answer from the output manifest's
// record without loading the parsers and emitters (api.js), which are imported when a command needs them.
const loadApi = () => import('../api.js');

export const EXIT = { OK: 0, FINDINGS: 1, INVALID: 2 } as const;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  color: boolean;
  cwd: string;
  /** For `--watch`: resolves when the watcher should stop (by default on SIGINT/SIGTERM, listened to only then). */
  stopSignal?: Promise<void>;
  /** Emit TypeScript in a worker thread (the installed binary does; tests run in-process). */
  backgroundTypeScript?: boolean;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  color: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
  cwd: process.cwd(),
  backgroundTypeScript: true,
});

/** Everything a run needs, after defaults, the config file and flags (in that order of precedence). */
export interface RunOptions extends GenerateOptions {
  spec: string;
  out: string;
  /** As the user wrote them, for messages. */
  specShown: string;
  /** Where the spec directory came from, for SPEC001's hint. */
  specHint: string;
  outShown: string;
  format: DiagnosticFormat;
  /** Formatter hooks from the config ("format"). */
  formatters: Formatter[];
  /** The configuration file's text, when there is one: part of the run's fingerprint. */
  configText?: string;
}

function parseDistName(value: string): string {
  if (!isPythonDistName(value)) throw new CommanderError(2, 'usage', `--python-dist-name takes ${PYTHON_DIST_NAME_EXPECTED}; got "${value}"`);
  return value;
}

function parseDistVersion(value: string): string {
  if (!isPythonVersion(value)) throw new CommanderError(2, 'usage', `--python-dist-version takes ${PYTHON_VERSION_EXPECTED}; got "${value}"`);
  return value;
}

function parsePythonPackage(value: string): string {
  if (!isPythonPackageName(value)) throw new CommanderError(2, 'usage', `--python-package takes ${PYTHON_PACKAGE_EXPECTED}; got "${value}"`);
  return value;
}

/** The version in package.json, so that `--version` never disagrees with the package. */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new CommanderError(2, 'usage', `--port takes a port number from 0 to 65535; got "${value}"`);
  return n;
}

function parseFrameBytes(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1024 || n > 256 * 1024 * 1024) throw new CommanderError(2, 'usage', `--max-frame-bytes takes a number of bytes from 1024 to 268435456; got "${value}"`);
  return n;
}

function parseSeed(value: string): number {
  if (!/^\d+$/.test(value)) throw new CommanderError(2, 'usage', `--seed takes a non-negative integer; got "${value}"`);
  return Number(value) >>> 0;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new CommanderError(2, 'usage', `--max-warnings takes a number of warnings (0 or more); got "${value}"`);
  return Number(value);
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) throw new CommanderError(2, 'usage', `--lock-timeout takes a number of seconds; got "${value}"`);
  return n;
}

function parseTargets(value: string): Target[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((t) => !(TARGETS as readonly string[]).includes(t));
  if (bad.length || list.length === 0)
    throw new CommanderError(2, 'usage', `--targets takes a comma-separated list of ${TARGETS.join(', ')}; got "${value}"`);
  return TARGETS.filter((t) => list.includes(t));
}

export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  let exitCode: number = EXIT.OK;
  let format: DiagnosticFormat = 'text';
  /** Warnings the config silences (`ignore`), known once the options are resolved. */
  let ignoreRules: readonly IgnoreRule[] = [];
  const report = (all: readonly Diagnostic[]) => {
    const diagnostics = all.filter((d) => !isIgnored(d, ignoreRules));
    if (diagnostics.length === 0) return;
    const text = formatDiagnostics(sortDiagnostics(diagnostics), format, io.color && format === 'text');
    if (format === 'text') io.stderr(text);
    else io.stdout(text);
  };
  const say = (s: string) => {
    if (format === 'text') io.stderr(s);
  };

  /** Merges defaults, the config file and the flags the user gave (commander knows which were given). */
  const resolveOptions = (cmd: Command): RunOptions => {
    const opts = cmd.opts();
    format = opts.format as DiagnosticFormat;
    const loaded = loadConfig(io.cwd, opts.config as string | undefined);
    if (loaded.diagnostics.length) throw new DiagnosticsError(loaded.diagnostics);
    const config: Config = loaded.config;
    ignoreRules = config.ignore ?? [];
    const given = (name: string) => cmd.getOptionValueSource(name) === 'cli';
    const pick = <T>(name: string, fromConfig: T | undefined, fallback: T): T => (given(name) ? (opts[name] as T) : (fromConfig ?? fallback));
    const specShown = given('spec') ? (opts.spec as string) : config.spec ? path.relative(io.cwd, config.spec) || '.' : 'spec';
    const outShown = given('out') ? (opts.out as string) : config.out ? path.relative(io.cwd, config.out) || '.' : 'generated';
    const templates = given('templates') ? path.resolve(io.cwd, opts.templates as string) : config.templates;
    const run: RunOptions = {
      spec: path.resolve(io.cwd, given('spec') ? (opts.spec as string) : (config.spec ?? 'spec')),
      out: path.resolve(io.cwd, given('out') ? (opts.out as string) : (config.out ?? 'generated')),
      specShown,
      specHint: given('spec')
        ? 'the directory given with --spec: pass --spec DIR of a directory holding COMMANDS.md'
        : config.spec
          ? `the directory named by "spec" in ${loaded.file ? path.relative(io.cwd, loaded.file) || loaded.file : 'the configuration file'}: change it there, or pass --spec DIR`
          : 'the default spec/ (no --spec given, no "spec" in a configuration file): pass --spec DIR',
      outShown,
      format,
      formatters: config.format ?? [],
      targets: pick<Target[]>('targets', config.targets, [...TARGETS]),
      era: pick<EraOption>('era', config.era, 'auto'),
      pythonPackage: pick<string>('pythonPackage', config.pythonPackage, DEFAULT_OPTIONS.pythonPackage),
      pythonDistVersion: pick<string>('pythonDistVersion', config.pythonDistVersion, DEFAULT_OPTIONS.pythonDistVersion),
    };
    if (loaded.text !== undefined) run.configText = loaded.text;
    run.modelPositions = pick<boolean>('modelPositions', config.modelPositions, false);
    run.gitattributes = pick<boolean>('gitattributes', config.gitattributes, false);
    run.openUnions = pick<boolean>('openUnions', config.openUnions, false);
    run.importExtension = pick<'js' | 'ts'>('importExtension', config.importExtension, 'js');
    if (config.history !== undefined) run.history = config.history;
    const distName = given('pythonDistName') ? (opts.pythonDistName as string) : config.pythonDistName;
    if (distName !== undefined) run.pythonDistName = distName;
    if (templates !== undefined) run.templatesDir = templates;
    return run;
  };

  const program = new Command()
    .name('simplex-api-codegen')
    .description('Generate TypeScript, Python, snippets and docs from the SimpleX Chat bot API documents.')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
The spec directory holds COMMANDS.md and, optionally, TYPES.md and EVENTS.md
as SimpleX Chat publishes them (bots/api/ in its repository).

Options may also come from ${CONFIG_FILE} in the working
directory (or --config FILE); flags override it.

Exit codes: 0 ok, 1 check or lint findings, 2 invalid input or usage.

Examples:
  simplex-api-codegen generate                   spec/ into generated/
  simplex-api-codegen check                      in CI: fail when generated/ is stale
  simplex-api-codegen generate --watch           regenerate on every edit
  simplex-api-codegen changes HEAD~1:spec spec   what changed in the API, classified
  simplex-api-codegen mock --scenario s.json     a stand-in chat core for a bot's tests
  simplex-api-codegen help generate              the options of one command`,
    );

  const common = (cmd: Command) =>
    cmd
      .exitOverride()
      .option('--spec <dir>', 'directory holding COMMANDS.md, TYPES.md and EVENTS.md', 'spec')
      .option('--config <file>', `configuration file (default: ${CONFIG_FILE} if present)`)
      .addOption(new Option('--format <format>', 'how diagnostics are printed (text is coloured on a terminal)').choices(diagnosticFormats).default('text'))
      .addOption(
        new Option('--era <era>', 'snippet convention: seed (x.toString() / str(x)), mid, latest (ChatRef.cmdString / ChatRef_cmd_string), or auto: detected per document')
          .choices(['auto', 'seed', 'mid', 'latest'])
          .default('auto'),
      );
  const output = (cmd: Command) =>
    common(cmd)
      .option('--out <dir>', 'output directory', 'generated')
      .addOption(
        new Option('--targets <list>', `comma-separated targets to emit (${TARGETS.join(', ')})`).argParser(parseTargets).default([...TARGETS], 'all of them'),
      )
      .option('--templates <dir>', 'directory of .hbs templates overriding those of templates/ by relative path')
      .option('--python-package <name>', 'name of the emitted Python package', parsePythonPackage, DEFAULT_OPTIONS.pythonPackage)
      .option('--python-dist-name <name>', 'distribution name in python/pyproject.toml (default: the package name with "-" for "_")', parseDistName)
      .option('--python-dist-version <version>', 'distribution version in python/pyproject.toml (PEP 440)', parseDistVersion, DEFAULT_OPTIONS.pythonDistVersion)
      .option('--model-positions', 'keep the source position of every node in model.json (noisy in diffs: a line added above shifts every later one)')
      .option('--gitattributes', 'write .gitattributes marking the output as generated (linguist-generated), so review tools collapse it')
      .option('--open-unions', 'TypeScript: add the unknown member (X.Undocumented) to every union and enum type (the decoders keep unknown members either way)')
      .addOption(new Option('--import-extension <ext>', 'TypeScript: generated files import each other as ./x.js (compiled) or ./x.ts (Node type stripping)').choices(['js', 'ts']))
      .option('--lock-timeout <seconds>', 'how long to wait while another run writes the same output directory', parseSeconds, DEFAULT_LOCK_TIMEOUT_MS / 1000)
      .option('--no-cache', "always parse and compare in full: do not answer from this machine's cache of full runs")
      .option('--cache-dir <dir>', "this machine's cache of full runs (default: node_modules/.cache/simplex-api-codegen of the nearest directory with node_modules)");

  /** The API's options for a resolved run. */
  const apiOptions = (run: RunOptions): OutputOptions => {
    const o: OutputOptions = {
      spec: run.spec,
      specShown: run.specShown,
      specHint: run.specHint,
      out: run.out,
      outShown: run.outShown,
      era: run.era,
      ignore: ignoreRules,
      targets: run.targets,
      pythonPackage: run.pythonPackage,
      pythonDistVersion: run.pythonDistVersion,
      format: run.formatters,
      cwd: io.cwd,
    };
    if (run.templatesDir !== undefined) o.templates = run.templatesDir;
    if (run.pythonDistName !== undefined) o.pythonDistName = run.pythonDistName;
    if (run.modelPositions !== undefined) o.modelPositions = run.modelPositions;
    if (run.gitattributes !== undefined) o.gitattributes = run.gitattributes;
    if (run.openUnions !== undefined) o.openUnions = run.openUnions;
    if (run.importExtension !== undefined) o.importExtension = run.importExtension;
    if (run.configText !== undefined) o.configText = run.configText;
    if (run.history !== undefined) o.history = run.history;
    return o;
  };

  /** The API's options for a run of generate or check, with the flags only they have. */
  const outputOptions = (run: RunOptions, cmd: Command): OutputOptions => {
    const opts = cmd.opts();
    const o: OutputOptions = {
      ...apiOptions(run),
      cache: opts.cache !== false,
      lockTimeoutMs: (opts.lockTimeout as number) * 1000,
      onWait: (owner) => say(`waiting for process ${owner.pid}, which is writing ${run.outShown}\n`),
    };
    if (opts.cacheDir !== undefined) o.cacheDir = opts.cacheDir as string;
    return o;
  };

  // A cold run loads ts-morph in a worker, started before the parsers are even loaded, while this thread parses.
  const build = async (run: RunOptions) => {
    const worker = io.backgroundTypeScript === true && run.targets.includes('typescript') ? (await import('../emit/typescript/background.js')).startTypeScriptWorker() : undefined;
    return (await loadApi()).buildOutput(apiOptions(run), worker);
  };

  output(program.command('generate'))
    .description('write every enabled target into the output directory (only files that changed; nothing when the input has errors)')
    .option('--watch', 'keep running: regenerate whenever a spec file or template changes')
    .option('--force', 'overwrite files the generator never wrote that stand where it now generates one')
    .action(async (_opts: unknown, cmd: Command) => {
      const run = resolveOptions(cmd);
      const opts = cmd.opts();
      const lockTimeoutMs = (opts.lockTimeout as number) * 1000;
      if (opts.watch) {
        // The config file is watched too (created later, or edited): its options apply from the next regeneration.
        const configFile = path.resolve(io.cwd, (opts.config as string | undefined) ?? CONFIG_FILE);
        const { watchAndGenerate } = await import('./watch.js');
        exitCode = await watchAndGenerate(run, {
          report,
          say,
          stop: io.stopSignal ?? stopRequested().then(() => {}),
          lockTimeoutMs,
          force: Boolean(opts.force),
          cwd: io.cwd,
          config: { file: configFile, reload: () => resolveOptions(cmd) },
        });
        return;
      }
      // The API's steps (outputRun.ts), with printing between them and signals around the write.
      const options = { ...outputOptions(run, cmd), force: Boolean(opts.force) };
      const record = await readRunRecord(options);
      if (record.recorded.upToDate) {
        const { files, foreign } = record.recorded;
        say(`${run.outShown}: 0 written, 0 removed, ${files.length} unchanged, as this machine's cache of full runs records: nothing was parsed\n` + (foreign.length ? leftAlone(foreign) : ''));
        return;
      }
      const built = await build(run);
      report(built.diagnostics);
      const emitted = built.files;
      if (!emitted || hasErrors(built.diagnostics)) {
        exitCode = EXIT.INVALID;
        say(`nothing written to ${run.outShown}: the input has errors\n`);
        return;
      }
      const outcome = await whileInterruptible((signal) => writeBuilt(emitted, record, { ...options, signal }));
      if ('error' in outcome) {
        if (outcome.error instanceof WriteCancelled || outcome.error instanceof FormatCancelled || outcome.interrupted) {
          say(`interrupted: ${run.outShown} was left as it was\n`);
          exitCode = signalExitCode(outcome.interrupted ?? 'SIGINT');
          return;
        }
        throw outcome.error;
      }
      if (!outcome.result.ok) {
        report(outcome.result.diagnostics);
        say(`nothing written to ${run.outShown}: a formatter failed\n`);
        exitCode = EXIT.INVALID;
        return;
      }
      say(writeSummary(run.outShown, outcome.result.result));
      // A signal that came after the commit point: the output is complete, but the run was asked to stop.
      if (outcome.interrupted) exitCode = signalExitCode(outcome.interrupted);
    });

  output(program.command('check'))
    .description('compare the output directory with what generate would write; exit 1 listing stale, missing and unexpected files (writes nothing)')
    .action(async (_opts: unknown, cmd: Command) => {
      const run = resolveOptions(cmd);
      const options = outputOptions(run, cmd);
      const record = await readRunRecord(options);
      if (record.recorded.upToDate) {
        const recorded = record.recorded;
        if (format === 'json') io.stdout(JSON.stringify({ stale: [], missing: [], unexpected: [], conflicts: [], leftovers: [], unchanged: recorded.files.length, foreign: recorded.foreign, cache: 'hit' }, null, 2) + '\n');
        else {
          if (recorded.foreign.length) say(leftAlone(recorded.foreign));
          io.stderr(`${run.outShown} is up to date (${recorded.files.length} files), as this machine's cache of full runs records: nothing was parsed\n`);
        }
        return;
      }
      const built = await build(run);
      const emitted = built.files;
      if (!emitted || hasErrors(built.diagnostics)) {
        report(built.diagnostics);
        exitCode = EXIT.INVALID;
        return;
      }
      const checking = await whileInterruptible((signal) => checkBuilt(emitted, record, { ...options, signal }));
      if ('error' in checking) {
        if (checking.error instanceof FormatCancelled || checking.interrupted) {
          exitCode = signalExitCode(checking.interrupted ?? 'SIGINT');
          return;
        }
        throw checking.error;
      }
      if (!checking.result.ok) {
        report(checking.result.diagnostics);
        exitCode = EXIT.INVALID;
        return;
      }
      const state = checking.result.compared;
      const problems = state.stale.length + state.missing.length + state.unexpected.length + state.leftovers.length;
      if (format === 'json') {
        io.stdout(JSON.stringify({ stale: state.stale, missing: state.missing, unexpected: state.unexpected, conflicts: state.conflicts, leftovers: state.leftovers, unchanged: state.unchanged.length, foreign: state.foreign, cache: 'miss' }, null, 2) + '\n');
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
        if (format === 'github') text = annotations.join('') + text;
        if (state.foreign.length) say(leftAlone(state.foreign));
        if (problems)
          text += `${run.outShown} is out of date: ${state.stale.length} stale, ${state.missing.length} missing, ${state.unexpected.length} unexpected${state.leftovers.length ? `, ${state.leftovers.length} left by an interrupted run` : ''}; run simplex-api-codegen generate\n`;
        else {
          text += `${run.outShown} is up to date (${state.unchanged.length} files)\n`;
          if (state.recordStale)
            say(`note: the manifest in ${run.outShown} records other inputs or another build of the generator; run simplex-api-codegen generate to update it, and later runs need not parse\n`);
        }
        (problems ? io.stdout : io.stderr)(text);
      }
      if (state.conflicts.length) report(conflictDiagnostics(state.conflicts, run.outShown).map((d) => ({ ...d, severity: 'warning' as const })));
      if (problems) exitCode = EXIT.FINDINGS;
    });

  common(program.command('lint'))
    .description('report documented snippets that differ from the syntax, and every other problem of the documents; warnings fail the run only past --max-warnings')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this (ESLint\'s convention; 0 fails on any)', parseCount)
    .action(async (_opts: unknown, cmd: Command) => {
      const run = resolveOptions(cmd);
      const maxWarnings = cmd.opts().maxWarnings as number | undefined;
      const { lint } = await loadApi();
      const result = lint({ spec: run.spec, specShown: run.specShown, specHint: run.specHint, era: run.era, ignore: ignoreRules });
      report(result.diagnostics);
      const { warnings } = result;
      const ignoredNote = result.ignored ? ` (${result.ignored} ignored by the config)` : '';
      if (!result.ok) exitCode = EXIT.INVALID;
      else if (maxWarnings !== undefined && warnings > maxWarnings) {
        exitCode = EXIT.FINDINGS;
        say(`${run.specShown}: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings}${ignoredNote}\n`);
      } else if (warnings) say(`${run.specShown}: no errors, ${warnings} warning${warnings === 1 ? '' : 's'}${ignoredNote}\n`);
      else say(`${run.specShown}: no problems found${ignoredNote}\n`);
    });

  common(program.command('mock'))
    .description('serve a stand-in chat core over WebSocket (or --stdio): commands parsed as the generated parsers read them, run on a world of users, contacts, groups and items (simulated peers act on it too), answered as the documents say, or by a scenario')
    .addOption(new Option('--port <n>', 'port to listen on (the chat core uses 5225; 0 picks a free one)').default(5225).argParser(parsePort))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--scenario <file>', 'JSON scenario: onConnect events, rules that answer commands, peer actions (schema/scenario.schema.json)')
    .option('--stdio', 'serve over standard input and output (one JSON frame per line) instead of a port: the Python MockCore runs it so')
    .option('--stateless', 'keep no world: answer every command from the documents alone')
    .option('--record <file>', 'append every frame in and out to this file as JSON lines (direction, time offset)')
    .addOption(new Option('--seed <n>', 'seed of the values drawn for answers').default(0).argParser(parseSeed))
    .addOption(new Option('--max-frame-bytes <n>', 'largest frame answered; a larger one gets chatCmdError with its corrId').default(8 * 1024 * 1024).argParser(parseFrameBytes))
    .action(async (_opts: unknown, cmd: Command) => {
      // Who started this process, taken before the model is built (a second or more): a launcher that dies
      // meanwhile must not leave the server thinking init started it.
      const startedBy = launchersOf(process.ppid);
      const run = resolveOptions(cmd);
      const opts = cmd.opts();
      const { buildModelFromDir } = await import('../pipeline.js');
      const spec = buildModelFromDir(run.spec, run.specShown, run.specHint);
      if (hasErrors(spec.diagnostics)) {
        report(spec.diagnostics);
        exitCode = EXIT.INVALID;
        return;
      }
      const { MockCore } = await import('../mock/core.js');
      const { loadScenario } = await import('../mock/scenario.js');
      const { startMockServer } = await import('../mock/server.js');
      const coreOptions = { world: opts.stateless !== true };
      let core = new MockCore(spec.model, opts.seed as number, undefined, coreOptions);
      if (opts.scenario !== undefined) {
        const loaded = loadScenario(path.resolve(io.cwd, opts.scenario as string), opts.scenario as string, core);
        if (!loaded.scenario) {
          report(loaded.diagnostics);
          say('the mock chat core did not start: the scenario has errors\n');
          exitCode = EXIT.INVALID;
          return;
        }
        core = new MockCore(spec.model, opts.seed as number, loaded.scenario, coreOptions);
      }
      core.onWarning = (message) => io.stderr(`warning: ${message}\n`);
      if (opts.stdio === true) {
        const { serveStdio } = await import('../mock/stdio.js');
        // Its input ends when the parent closes it, or when the parent is gone.
        void parentGone(startedBy).then(() => process.stdin.destroy());
        await serveStdio(core, process.stdin, process.stdout);
        return;
      }
      const record = opts.record === undefined ? undefined : path.resolve(io.cwd, opts.record as string);
      const { checkRecordPath } = await import('../mock/server.js');
      const recordProblem = record === undefined ? undefined : checkRecordPath(record);
      if (recordProblem !== undefined) {
        report([diagnostic(DiagnosticCodes.RECORD_PATH, opts.record as string, undefined, `--record: ${recordProblem}`, { expected: 'a regular file, or a new file in an existing directory (not a link)' })]);
        say('the mock chat core did not start\n');
        exitCode = EXIT.INVALID;
        return;
      }
      let server;
      try {
        server = await startMockServer(core, {
          host: opts.host as string,
          port: opts.port as number,
          record,
          maxFrameBytes: opts.maxFrameBytes as number,
          onRecordError: (message) => io.stderr(`warning: ${message}\n`),
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        io.stderr(`error: cannot listen on ${opts.host}:${opts.port}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}\n`);
        exitCode = EXIT.INVALID;
        return;
      }
      io.stdout(`listening on ws://${server.host}:${server.port}\n`);
      // A signal, or the end of the process that started this one (`npx` killed by a test: no orphan is left).
      await Promise.race([io.stopSignal ?? stopRequested(), parentGone(startedBy)]);
      await server.close();
      say('the mock chat core stopped\n');
    });

  program
    .command('changes')
    .exitOverride()
    .argument('<old>', 'the older spec: a directory, or REV:PATH read from git (e.g. HEAD~1:spec)')
    .argument('<new>', 'the newer spec: a directory, or REV:PATH')
    .description('report the API changes between two spec versions, each classified as breaking, warning or info')
    .addOption(new Option('--format <format>', 'report format (github: annotations at the new documents\' lines)').choices([...CHANGES_FORMATS]).default('text'))
    .addOption(new Option('--fail-on <level>', 'exit 1 when a change at this level (or a stricter one) exists').choices(['breaking', 'warning']))
    .option('--ignore <file>', 'accept known changes: one "RULE NAME" per line (e.g. "required-parameter-added APISendMessages.signMessages"; * matches anything)')
    .action(async (oldArg: string, newArg: string, opts: { format: ChangesFormat; failOn?: 'breaking' | 'warning'; ignore?: string }) => {
      format = opts.format === 'json' ? 'json' : opts.format === 'github' ? 'github' : 'text';
      const { changes } = await loadApi();
      const { formatChanges, failsOn } = await import('../changes/report.js');
      const result = changes(oldArg, newArg, { cwd: io.cwd, ...(opts.ignore !== undefined ? { ignore: opts.ignore } : {}) });
      if (!result.ok) {
        report(result.diagnostics);
        exitCode = EXIT.INVALID;
        return;
      }
      for (const e of result.unusedIgnores) say(`note: ${opts.ignore}:${e.line}: "${e.rule} ${e.pattern}" accepts no change any more (remove it?)\n`);
      io.stdout(formatChanges({ oldName: oldArg, newName: newArg, changes: result.changes, ignored: result.ignored.length }, opts.format));
      if (opts.failOn && failsOn(result.changes, opts.failOn)) exitCode = EXIT.FINDINGS;
    });

  // Without a command there is nothing to do: a CI script whose command came out empty must not pass.
  if (argv.length <= 2) {
    program.outputHelp({ error: true });
    return EXIT.INVALID;
  }
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
      if (e.code === 'usage') io.stderr(`error: ${e.message}\n`);
      return EXIT.INVALID;
    }
    if (e instanceof DiagnosticsError) {
      report(e.diagnostics);
      return EXIT.INVALID;
    }
    throw e;
  }
  return exitCode;
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
/**
 * Resolves when the process that started this one is gone: this one then has another parent. (`npx` does not pass
 * a TERM or INT on to the command it runs.)
 */
function parentGone({ parent, wrappers }: StartedBy): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (process.ppid === parent && wrappers.every((w) => parentOf(w.pid) === w.parent)) return;
      clearInterval(timer);
      resolve();
    }, 200);
    timer.unref();
  });
}

/** The process that started this one, and the launchers above it, each with the parent it had. */
interface StartedBy {
  parent: number;
  wrappers: { pid: number; parent: number }[];
}

function launchersOf(parent: number): StartedBy {
  return { parent, wrappers: launcherChain(parent) };
}

/** The parent process id of `pid` from /proc (Linux), or undefined when it is gone or cannot be read. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last ")".
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * The launchers between this process and whoever ran them: `npx` runs `npm exec`, which runs `sh -c`, which runs
 * this. A TERM to npx ends npm, and the shell may outlive it for a moment or for good; the process that started this
 * one has then not changed, but the launcher above it is gone. Each is watched with the parent it had.
 */
function launcherChain(parent: number): { pid: number; parent: number }[] {
  const chain: { pid: number; parent: number }[] = [];
  for (let pid = parent; chain.length < 4; ) {
    let command: string;
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      break;
    }
    const up = parentOf(pid);
    if (up === undefined || !/^(?:(?:\S*\/)?(?:sh|dash|bash) -c |npm (?:exec|x|run|run-script) |(?:\S*\/)?node \S*np[mx]-cli\.js )/.test(command)) break;
    chain.push({ pid, parent: up });
    pid = up;
  }
  return chain;
}

function leftAlone(files: readonly string[]): string {
  const shown = files.slice(0, 5).join(', ') + (files.length > 5 ? `, … (${files.length - 5} more)` : '');
  return `note: ${files.length} file${files.length === 1 ? '' : 's'} not written by simplex-api-codegen left as ${files.length === 1 ? 'it is' : 'they are'}: ${shown}\n`;
}
