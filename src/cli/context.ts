/** What every command of the CLI shares: its input and output, how diagnostics are printed, and the exit code. */
import { isIgnored, sortDiagnostics, type Diagnostic, type IgnoreRule } from '../diagnostics/diagnostic.js';
import { formatDiagnostics, type DiagnosticFormat } from '../diagnostics/format.js';
import type { Formatter } from '../format/formatters.js';
import type { GenerateOptions } from '../options.js';

export const EXIT = { OK: 0, FINDINGS: 1, INVALID: 2 } as const;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  color: boolean;
  cwd: string;
  /** For `--watch`: resolves when the watcher should stop (by default on SIGINT/SIGTERM, listened to only then). */
  stopSignal?: Promise<void>;
}

export const defaultIo = (): Io => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  color: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
  cwd: process.cwd(),
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

/** A run of the CLI: what a command prints goes through it, and it ends with its exit code. */
export interface Cli {
  readonly io: Io;
  exitCode: number;
  /** How diagnostics are printed (the command's --format). */
  format: DiagnosticFormat;
  /** Warnings the config silences (`ignore`), known once the options are resolved. */
  ignoreRules: readonly IgnoreRule[];
  /** Prints diagnostics (those the config does not silence): text to stderr, JSON and annotations to stdout. */
  report(diagnostics: readonly Diagnostic[]): void;
  /** A message for people: printed only with text diagnostics (stdout stays machine-readable). */
  say(text: string): void;
}

export function createCli(io: Io): Cli {
  const cli: Cli = {
    io,
    exitCode: EXIT.OK,
    format: 'text',
    ignoreRules: [],
    report(all) {
      const diagnostics = all.filter((d) => !isIgnored(d, cli.ignoreRules));
      if (diagnostics.length === 0) return;
      const text = formatDiagnostics(sortDiagnostics(diagnostics), cli.format, io.color && cli.format === 'text');
      if (cli.format === 'text') io.stderr(text);
      else io.stdout(text);
    },
    say(text) {
      if (cli.format === 'text') io.stderr(text);
    },
  };
  return cli;
}
