/**
 * simplex-api-codegen.config.json: the options a project fixes once (spec and output paths, targets, Python
 * package and distribution, snippet era, templates, formatters). Paths are relative to the file. Unknown keys and wrong types are errors
 * that name the key's path; command-line flags override the file.
 */
import { existsSync } from 'node:fs';
import { decodeUtf8, describeReadProblem, readRegularFile } from '../io/readInput.js';
import path from 'node:path';
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics/diagnostic.js';
import { isPythonDistName, isPythonPackageName, isPythonVersion, PYTHON_DIST_NAME_EXPECTED, PYTHON_VERSION_EXPECTED } from '../emit/identifiers.js';
import { TARGETS, type Target } from '../targets.js';
import { SNIPPET_ERAS } from '../syntax/render.js';
import type { EraOption } from '../syntax/snippets.js';
import { JsonSyntaxError, parseJsonWithPositions } from './jsonPositions.js';
import { FORMAT_TARGETS, splitCommand, type Formatter, type FormatTarget } from '../format/formatters.js';

export const CONFIG_FILE = 'simplex-api-codegen.config.json';

/** A configuration is a few lines; anything this large is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export const PYTHON_PACKAGE_EXPECTED = 'a Python identifier that is not a keyword or a standard-library module, such as "simplex_api"';

export interface Config {
  spec?: string;
  out?: string;
  targets?: Target[];
  pythonPackage?: string;
  pythonDistName?: string;
  pythonDistVersion?: string;
  era?: EraOption;
  templates?: string;
  /** Formatter hooks, run on the staged files of their target before comparing or writing. */
  format?: Formatter[];
}

type Check = (value: unknown) => string | undefined;
const FORMAT_EXPECTED = `an object mapping ${FORMAT_TARGETS.map((t) => `"${t}"`).join(' or ')} to a command, as {"typescript": "prettier --write", "python": "black -q"}`;
const COMMAND_EXPECTED = 'a command line (a string such as "prettier --write") or a non-empty array of its words';
const nonEmptyString: Check = (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'a non-empty string');
const CHECKS: Record<keyof Config, Check> = {
  spec: nonEmptyString,
  out: nonEmptyString,
  templates: nonEmptyString,
  pythonPackage: (v) => (typeof v === 'string' && isPythonPackageName(v) ? undefined : PYTHON_PACKAGE_EXPECTED),
  pythonDistName: (v) => (typeof v === 'string' && isPythonDistName(v) ? undefined : PYTHON_DIST_NAME_EXPECTED),
  pythonDistVersion: (v) => (typeof v === 'string' && isPythonVersion(v) ? undefined : PYTHON_VERSION_EXPECTED),
  format: (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? undefined : FORMAT_EXPECTED),
  era: (v) => (typeof v === 'string' && ['auto', ...SNIPPET_ERAS].includes(v) ? undefined : `one of "auto", ${SNIPPET_ERAS.map((e) => `"${e}"`).join(', ')}`),
  targets: (v) =>
    Array.isArray(v) && v.length > 0 ? undefined : `a non-empty array of ${TARGETS.map((t) => `"${t}"`).join(', ')}`,
};

export interface LoadedConfig {
  config: Config;
  /** The file it came from, when there was one. */
  file?: string;
  diagnostics: Diagnostic[];
}

/** Reads the config: `explicit` (from --config) must exist; otherwise the file in `cwd` is used if present. */
export function loadConfig(cwd: string, explicit?: string): LoadedConfig {
  const file = explicit !== undefined ? path.resolve(cwd, explicit) : path.join(cwd, CONFIG_FILE);
  const shown = explicit ?? CONFIG_FILE;
  const fail = (pos: { line: number; column: number } | undefined, message: string, expected?: string): LoadedConfig => ({
    config: {},
    file,
    diagnostics: [diagnostic(DiagnosticCodes.CONFIG_INVALID, shown, pos, message, expected ? { expected } : {})],
  });
  if (!existsSync(file)) {
    if (explicit === undefined) return { config: {}, diagnostics: [] };
    return fail(undefined, `config file "${shown}" does not exist`, `a JSON file such as ${CONFIG_FILE}`);
  }
  const read = readRegularFile(file, MAX_CONFIG_BYTES);
  if ('problem' in read) return fail(undefined, `config file "${shown}" ${describeReadProblem(read.problem, MAX_CONFIG_BYTES)}`, 'a regular JSON file');
  const decoded = decodeUtf8(read.bytes);
  if ('invalidAt' in decoded) return fail(decoded.invalidAt, `config is not UTF-8: byte 0x${decoded.invalidAt.byte.toString(16).padStart(2, '0')}`, 'a UTF-8 JSON file');
  let parsed: ReturnType<typeof parseJsonWithPositions>;
  try {
    parsed = parseJsonWithPositions(decoded.text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return fail(e.position, `config is not valid JSON: ${e.message}`, 'a JSON object');
    return fail(undefined, `config cannot be read: ${(e as Error).message}`);
  }
  const at = (p: string) => parsed.positions.get(p);
  const { value } = parsed;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return fail(at('$'), 'config must be a JSON object', '{"spec": "spec", "out": "generated", …}');

  const diagnostics: Diagnostic[] = [];
  const config: Config = {};
  const base = path.dirname(file);
  for (const [key, v] of Object.entries(value)) {
    const keyPath = `$.${key}`;
    if (!Object.hasOwn(CHECKS, key)) {
      diagnostics.push(diagnostic(DiagnosticCodes.CONFIG_INVALID, shown, at(keyPath), `unknown key ${keyPath}`, { expected: `one of ${Object.keys(CHECKS).join(', ')}` }));
      continue;
    }
    const problem = CHECKS[key as keyof Config](v);
    if (problem) {
      diagnostics.push(diagnostic(DiagnosticCodes.CONFIG_INVALID, shown, at(keyPath), `${keyPath} has the wrong type or value: ${JSON.stringify(v)}`, { expected: problem }));
      continue;
    }
    switch (key as keyof Config) {
      case 'targets': {
        const list = v as unknown[];
        const bad = list.map((t, i) => [t, i] as const).filter(([t]) => !(TARGETS as readonly unknown[]).includes(t));
        for (const [t, i] of bad)
          diagnostics.push(diagnostic(DiagnosticCodes.CONFIG_INVALID, shown, at(`${keyPath}[${i}]`), `${keyPath}[${i}] is ${JSON.stringify(t)}, not a target`, { expected: `one of ${TARGETS.map((x) => `"${x}"`).join(', ')}` }));
        if (!bad.length) config.targets = TARGETS.filter((t) => list.includes(t));
        break;
      }
      case 'spec':
      case 'out':
      case 'templates':
        config[key as 'spec' | 'out' | 'templates'] = path.resolve(base, v as string);
        break;
      case 'pythonPackage':
      case 'pythonDistName':
      case 'pythonDistVersion':
        config[key as 'pythonPackage' | 'pythonDistName' | 'pythonDistVersion'] = v as string;
        break;
      case 'era':
        config.era = v as EraOption;
        break;
      case 'format': {
        const formatters: Formatter[] = [];
        for (const [target, command] of Object.entries(v as Record<string, unknown>)) {
          const where = `${keyPath}.${target}`;
          const pos = at(where) ?? at(keyPath) ?? { line: 1, column: 1 };
          if (!(FORMAT_TARGETS as readonly string[]).includes(target)) {
            diagnostics.push(diagnostic(DiagnosticCodes.CONFIG_INVALID, shown, pos, `unknown key ${where}`, { expected: `one of ${FORMAT_TARGETS.join(', ')}` }));
            continue;
          }
          const argv = typeof command === 'string' ? splitCommand(command) : Array.isArray(command) && command.every((w) => typeof w === 'string') ? (command as string[]) : undefined;
          if (!argv || argv.length === 0 || argv[0] === '') {
            diagnostics.push(diagnostic(DiagnosticCodes.CONFIG_INVALID, shown, pos, `${where} has the wrong type or value: ${JSON.stringify(command)}`, { expected: COMMAND_EXPECTED }));
            continue;
          }
          formatters.push({ target: target as FormatTarget, argv, file: shown, line: pos.line, column: pos.column });
        }
        config.format = formatters;
        break;
      }
    }
  }
  return { config, file, diagnostics };
}
