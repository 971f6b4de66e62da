/**
 * The command-line interface, a thin layer over the API (api.ts): it resolves options (defaults, config file,
 * flags), prints and picks exit codes: 0 ok, 1 findings (`check` found stale output, `lint` more warnings than
 * --max-warnings, `changes --fail-on`), 2 invalid input or usage. User errors print diagnostics, never a stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import { CONFIG_FILE } from '../config/config.js';
import { DiagnosticsError } from '../diagnostics/diagnostic.js';
import { CHANGES_FORMATS, type ChangesFormat } from '../changes/formats.js';
import { createCli, defaultIo, EXIT, type Io } from './context.js';
import { addMockCommand } from './mockCommand.js';
import { commonOptions, modelCacheFlags, modelCacheOptions, packageVersion, parseCount, resolveRunOptions } from './options.js';
import { addCheckCommand, addGenerateCommand } from './outputCommands.js';

export { EXIT, type Io, type RunOptions } from './context.js';

// Only what every command needs is imported above: `check` and `generate` answer from the output manifest's
// record without loading the parsers and emitters (api.js), which are imported when a command needs them.
const loadApi = () => import('../api.js');

export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  const cli = createCli(io);
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

  addGenerateCommand(program, cli);
  addCheckCommand(program, cli);

  modelCacheFlags(commonOptions(program.command('lint')))
    .description('report documented snippets that differ from the syntax, and every other problem of the documents; warnings fail the run only past --max-warnings')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this (ESLint\'s convention; 0 fails on any)', parseCount)
    .action(async (_opts: unknown, cmd: Command) => {
      const run = resolveRunOptions(cli, cmd);
      const maxWarnings = cmd.opts().maxWarnings as number | undefined;
      const { lint } = await loadApi();
      const result = lint({ spec: run.spec, specShown: run.specShown, specHint: run.specHint, era: run.era, ignore: cli.ignoreRules, ...modelCacheOptions(cmd.opts(), io.cwd) });
      cli.report(result.diagnostics);
      const { warnings } = result;
      const ignoredNote = result.ignored ? ` (${result.ignored} ignored by the config)` : '';
      if (!result.ok) cli.exitCode = EXIT.INVALID;
      else if (maxWarnings !== undefined && warnings > maxWarnings) {
        cli.exitCode = EXIT.FINDINGS;
        cli.say(`${run.specShown}: ${warnings} warning${warnings === 1 ? '' : 's'}, more than --max-warnings ${maxWarnings}${ignoredNote}\n`);
      } else if (warnings) cli.say(`${run.specShown}: no errors, ${warnings} warning${warnings === 1 ? '' : 's'}${ignoredNote}\n`);
      else cli.say(`${run.specShown}: no problems found${ignoredNote}\n`);
    });

  addMockCommand(program, cli);

  modelCacheFlags(program.command('changes'))
    .exitOverride()
    .argument('<old>', 'the older spec: a directory, or REV:PATH read from git (e.g. HEAD~1:spec)')
    .argument('<new>', 'the newer spec: a directory, or REV:PATH')
    .description('report the API changes between two spec versions, each classified as breaking, warning or info')
    .addOption(new Option('--format <format>', 'report format (github: annotations at the new documents\' lines)').choices([...CHANGES_FORMATS]).default('text'))
    .addOption(new Option('--fail-on <level>', 'exit 1 when a change at this level (or a stricter one) exists').choices(['breaking', 'warning']))
    .option('--ignore <file>', 'accept known changes: one "RULE NAME" per line (e.g. "required-parameter-added APISendMessages.signMessages"; * matches anything)')
    .action(async (oldArg: string, newArg: string, opts: { format: ChangesFormat; failOn?: 'breaking' | 'warning'; ignore?: string; cache?: boolean; cacheDir?: string }) => {
      cli.format = opts.format === 'json' ? 'json' : opts.format === 'github' ? 'github' : 'text';
      const { changes } = await loadApi();
      const { formatChanges, failsOn } = await import('../changes/report.js');
      const result = changes(oldArg, newArg, { ...modelCacheOptions(opts, io.cwd), ...(opts.ignore !== undefined ? { ignore: opts.ignore } : {}) });
      if (!result.ok) {
        cli.report(result.diagnostics);
        cli.exitCode = EXIT.INVALID;
        return;
      }
      for (const e of result.unusedIgnores) cli.say(`note: ${opts.ignore}:${e.line}: "${e.rule} ${e.pattern}" accepts no change any more (remove it?)\n`);
      io.stdout(formatChanges({ oldName: oldArg, newName: newArg, changes: result.changes, ignored: result.ignored.length }, opts.format));
      if (opts.failOn && failsOn(result.changes, opts.failOn)) cli.exitCode = EXIT.FINDINGS;
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
      cli.report(e.diagnostics);
      return EXIT.INVALID;
    }
    throw e;
  }
  return cli.exitCode;
}
