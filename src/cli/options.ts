/** The CLI's options: parsed and checked flags, merged with the configuration file and the defaults. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CommanderError, Option, type Command } from 'commander';
import { CONFIG_FILE, loadConfig, PYTHON_PACKAGE_EXPECTED, type Config } from '../config/config.js';
import { DiagnosticsError } from '../diagnostics/diagnostic.js';
import { diagnosticFormats, type DiagnosticFormat } from '../diagnostics/format.js';
import { isPythonDistName, isPythonPackageName, isPythonVersion, PYTHON_DIST_NAME_EXPECTED, PYTHON_VERSION_EXPECTED } from '../emit/identifiers.js';
import { DEFAULT_OPTIONS } from '../options.js';
import type { OutputOptions } from '../outputRun.js';
import type { EraOption } from '../syntax/snippets.js';
import { TARGETS, type Target } from '../targets.js';
import { DEFAULT_LOCK_TIMEOUT_MS } from '../writer/output.js';
import { definedOnly } from '../util/definedOnly.js';
import type { Cli, RunOptions } from './context.js';

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
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new CommanderError(2, 'usage', `--port takes a port number from 0 to 65535; got "${value}"`);
  return n;
}

export function parseFrameBytes(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1024 || n > 256 * 1024 * 1024) throw new CommanderError(2, 'usage', `--max-frame-bytes takes a number of bytes from 1024 to 268435456; got "${value}"`);
  return n;
}

export function parseSeed(value: string): number {
  if (!/^\d+$/.test(value)) throw new CommanderError(2, 'usage', `--seed takes a non-negative integer; got "${value}"`);
  return Number(value) >>> 0;
}

export function parseCount(value: string): number {
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

/** Merges defaults, the config file and the flags the user gave (commander knows which were given). */
export function resolveRunOptions(cli: Cli, cmd: Command): RunOptions {
  const opts = cmd.opts();
  cli.format = opts.format as DiagnosticFormat;
  const loaded = loadConfig(cli.io.cwd, opts.config as string | undefined);
  if (loaded.diagnostics.length) throw new DiagnosticsError(loaded.diagnostics);
  const config: Config = loaded.config;
  cli.ignoreRules = config.ignore ?? [];
  const given = (name: string) => cmd.getOptionValueSource(name) === 'cli';
  const pick = <T>(name: string, fromConfig: T | undefined, fallback: T): T => (given(name) ? (opts[name] as T) : (fromConfig ?? fallback));
  const specShown = given('spec') ? (opts.spec as string) : config.spec ? path.relative(cli.io.cwd, config.spec) || '.' : 'spec';
  const outShown = given('out') ? (opts.out as string) : config.out ? path.relative(cli.io.cwd, config.out) || '.' : 'generated';
  const templates = given('templates') ? path.resolve(cli.io.cwd, opts.templates as string) : config.templates;
  const run: RunOptions = {
    spec: path.resolve(cli.io.cwd, given('spec') ? (opts.spec as string) : (config.spec ?? 'spec')),
    out: path.resolve(cli.io.cwd, given('out') ? (opts.out as string) : (config.out ?? 'generated')),
    specShown,
    specHint: given('spec')
      ? 'the directory given with --spec: pass --spec DIR of a directory holding COMMANDS.md'
      : config.spec
        ? `the directory named by "spec" in ${loaded.file ? path.relative(cli.io.cwd, loaded.file) || loaded.file : 'the configuration file'}: change it there, or pass --spec DIR`
        : 'the default spec/ (no --spec given, no "spec" in a configuration file): pass --spec DIR',
    outShown,
    format: cli.format,
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
}

/** The options every command that reads a spec has. */
export const commonOptions = (cmd: Command) =>
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
/** The options of the commands that generate or check an output directory. */
export const outputCommandOptions = (cmd: Command) =>
  commonOptions(cmd)
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
    .option('--no-cache', "always parse and compare in full: do not answer from this machine's cache of full runs, nor read the built model from it")
    .option('--cache-dir <dir>', "this machine's cache of full runs (default: node_modules/.cache/simplex-api-codegen of the nearest directory with node_modules)");

/** The API's options for a resolved run. */
export function apiOptions(cli: Cli, run: RunOptions): OutputOptions {
  return {
    spec: run.spec,
    specShown: run.specShown,
    specHint: run.specHint,
    out: run.out,
    outShown: run.outShown,
    era: run.era,
    ignore: cli.ignoreRules,
    targets: run.targets,
    pythonPackage: run.pythonPackage,
    pythonDistVersion: run.pythonDistVersion,
    format: run.formatters,
    cwd: cli.io.cwd,
    ...definedOnly({
      templates: run.templatesDir,
      pythonDistName: run.pythonDistName,
      modelPositions: run.modelPositions,
      gitattributes: run.gitattributes,
      openUnions: run.openUnions,
      importExtension: run.importExtension,
      configText: run.configText,
      history: run.history,
    }),
  };
}

/** The API's options for a run of generate or check, with the flags only they have. */
export function outputOptions(cli: Cli, run: RunOptions, cmd: Command): OutputOptions {
  const opts = cmd.opts();
  const o: OutputOptions = {
    ...apiOptions(cli, run),
    cache: opts.cache !== false,
    lockTimeoutMs: (opts.lockTimeout as number) * 1000,
    onWait: (owner) => cli.say(`waiting for process ${owner.pid}, which is writing ${run.outShown}\n`),
  };
  if (opts.cacheDir !== undefined) o.cacheDir = opts.cacheDir as string;
  return o;
}

/** The flags of commands that only read documents (lint, changes, mock): the cache of built models. */
export const modelCacheFlags = (cmd: Command) =>
  cmd
    .option('--no-cache', "always parse the documents: do not read their built model from this machine's cache")
    .option('--cache-dir <dir>', "this machine's cache, where built models are kept by their documents (default: node_modules/.cache/simplex-api-codegen of the nearest directory with node_modules)");

/** The API's options for the cache of built models, from those flags. */
export function modelCacheOptions(opts: { cache?: unknown; cacheDir?: unknown }, cwd: string): { cwd: string; cache: boolean; cacheDir?: string } {
  return { cwd, cache: opts.cache !== false, ...(typeof opts.cacheDir === 'string' ? { cacheDir: opts.cacheDir } : {}) };
}
