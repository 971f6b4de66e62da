/**
 * The command-line interface. Exit codes: 0 ok, 1 findings (`check` found stale output, `lint` found
 * problems), 2 invalid input or usage. User errors print diagnostics, never a stack trace.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { DiagnosticsError, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticFormats, formatDiagnostics, type DiagnosticFormat } from '../diagnostics/format.js';
import { DEFAULT_OPTIONS, emitAll, TARGETS, type GenerateOptions, type Target } from '../generate.js';
import { lintSpec } from '../lint.js';
import { buildModelFromDir } from '../pipeline.js';
import type { EraOption } from '../syntax/snippets.js';
import { unifiedDiff } from '../writer/diff.js';
import { compareOutput, writeOutput } from '../writer/output.js';

export const EXIT = { OK: 0, FINDINGS: 1, INVALID: 2 } as const;

interface CommonOptions {
  spec: string;
  format: DiagnosticFormat;
  era: EraOption;
}
interface OutputOptions extends CommonOptions {
  out: string;
  targets: Target[];
  templates?: string;
  pythonPackage: string;
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  color: boolean;
  cwd: string;
}

const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  color: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
  cwd: process.cwd(),
});

function parseTargets(value: string): Target[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((t) => !(TARGETS as readonly string[]).includes(t));
  if (bad.length || list.length === 0)
    throw new CommanderError(2, 'usage', `--targets takes a comma-separated list of ${TARGETS.join(', ')}; got "${value}"`);
  return TARGETS.filter((t) => list.includes(t));
}

export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  let exitCode: number = EXIT.OK;
  const report = (diagnostics: readonly Diagnostic[], format: DiagnosticFormat) => {
    if (diagnostics.length === 0) return;
    const text = formatDiagnostics(diagnostics, format, io.color && format === 'text');
    if (format === 'text') io.stderr(text);
    else io.stdout(text);
  };
  const resolve = (p: string) => path.resolve(io.cwd, p);

  const program = new Command()
    .name('simplex-api-codegen')
    .description(
      'Generate TypeScript, Python, snippets and docs from the SimpleX Chat bot API documents\n' +
        '(COMMANDS.md, and optionally TYPES.md and EVENTS.md, in a spec directory).\n\n' +
        'Exit codes: 0 ok, 1 check or lint findings, 2 invalid input or usage.',
    )
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');

  const common = (cmd: Command) =>
    cmd
      .option('--spec <dir>', 'directory holding COMMANDS.md, TYPES.md and EVENTS.md', 'spec')
      .addOption(new Option('--format <format>', 'how diagnostics are printed').choices(diagnosticFormats).default('text'))
      .addOption(
        new Option('--era <era>', 'snippet convention: seed (x.toString()/str(x)), mid, latest (ChatRef.cmdString/ChatRef_cmd_string), or auto-detect per document')
          .choices(['auto', 'seed', 'mid', 'latest'])
          .default('auto'),
      );
  const output = (cmd: Command) =>
    common(cmd)
      .option('--out <dir>', 'output directory', 'generated')
      .option('--targets <list>', `comma-separated targets to emit (${TARGETS.join(', ')})`, parseTargets, [...TARGETS])
      .option('--templates <dir>', 'directory of .hbs templates overriding the defaults by name')
      .option('--python-package <name>', 'name of the emitted Python package', DEFAULT_OPTIONS.pythonPackage);

  const build = async (opts: OutputOptions) => {
    const spec = buildModelFromDir(resolve(opts.spec), opts.spec);
    if (hasErrors(spec.diagnostics)) return { spec, emitted: undefined };
    const options: GenerateOptions = { targets: opts.targets, era: opts.era, pythonPackage: opts.pythonPackage };
    if (opts.templates !== undefined) options.templatesDir = resolve(opts.templates);
    const emitted = await emitAll(spec, options);
    return { spec, emitted };
  };

  output(program.command('generate'))
    .description('write every enabled target into the output directory (only files that changed; nothing when the input has errors)')
    .action(async (opts: OutputOptions) => {
      const { spec, emitted } = await build(opts);
      const diagnostics = [...spec.diagnostics, ...(emitted?.diagnostics ?? [])];
      report(diagnostics, opts.format);
      if (!emitted || hasErrors(diagnostics)) {
        exitCode = EXIT.INVALID;
        if (opts.format === 'text') io.stderr(`nothing written to ${opts.out}: the input has errors\n`);
        return;
      }
      const result = writeOutput(resolve(opts.out), emitted.files);
      if (opts.format === 'text')
        io.stderr(
          `${opts.out}: ${result.written.length} written, ${result.removed.length} removed, ${result.unchanged} unchanged\n` +
            result.written.map((f) => `  wrote ${f}\n`).join('') +
            result.removed.map((f) => `  removed ${f}\n`).join(''),
        );
    });

  output(program.command('check'))
    .description('compare the output directory with what generate would write; exit 1 listing stale, missing and unexpected files (writes nothing)')
    .action(async (opts: OutputOptions) => {
      const { spec, emitted } = await build(opts);
      const diagnostics = [...spec.diagnostics, ...(emitted?.diagnostics ?? [])];
      if (!emitted || hasErrors(diagnostics)) {
        report(diagnostics, opts.format);
        exitCode = EXIT.INVALID;
        return;
      }
      const outDir = resolve(opts.out);
      const state = compareOutput(outDir, emitted.files);
      const problems = state.stale.length + state.missing.length + state.unexpected.length;
      if (opts.format === 'json') {
        io.stdout(JSON.stringify({ stale: state.stale, missing: state.missing, unexpected: state.unexpected, unchanged: state.unchanged.length }, null, 2) + '\n');
      } else {
        let text = '';
        for (const f of state.stale) text += `stale: ${f}\n` + unifiedDiff(f, state.current.get(f), emitted.files.get(f));
        for (const f of state.missing) text += `missing: ${f}\n` + unifiedDiff(f, undefined, emitted.files.get(f));
        for (const f of state.unexpected) text += `unexpected: ${f} (generate would remove it)\n`;
        if (opts.format === 'github')
          text = [...state.stale, ...state.missing, ...state.unexpected].map((f) => `::error file=${path.join(opts.out, f)}::generated file is out of date; run simplex-api-codegen generate\n`).join('') + text;
        if (problems) text += `${opts.out} is out of date: ${state.stale.length} stale, ${state.missing.length} missing, ${state.unexpected.length} unexpected; run simplex-api-codegen generate\n`;
        else text += `${opts.out} is up to date (${state.unchanged.length} files)\n`;
        (problems ? io.stdout : io.stderr)(text);
      }
      if (problems) exitCode = EXIT.FINDINGS;
    });

  common(program.command('lint'))
    .description('report documented snippets that differ from the syntax, and every other problem of the documents')
    .action((opts: CommonOptions) => {
      const spec = buildModelFromDir(resolve(opts.spec), opts.spec);
      const diagnostics = lintSpec(spec, opts.era);
      report(diagnostics, opts.format);
      if (hasErrors(spec.diagnostics)) exitCode = EXIT.INVALID;
      else if (diagnostics.length) exitCode = EXIT.FINDINGS;
      else if (opts.format === 'text') io.stderr(`${opts.spec}: no problems found\n`);
    });

  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
      if (e.code === 'usage') io.stderr(`error: ${e.message}\n`);
      return EXIT.INVALID;
    }
    if (e instanceof DiagnosticsError) {
      const format = (program.commands.find((c) => c.name() === program.args[0])?.opts().format as DiagnosticFormat | undefined) ?? 'text';
      report(e.diagnostics, format);
      return EXIT.INVALID;
    }
    throw e;
  }
  return exitCode;
}

export function isMain(): boolean {
  return existsSync(process.argv[1] ?? '');
}
