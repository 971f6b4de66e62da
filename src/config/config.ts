/**
 * simplex-api-codegen.config.json: the options a project fixes once (spec and output paths, targets, Python
 * package and distribution, snippet era, templates, formatters). Paths are relative to the file. Unknown keys and wrong types are errors
 * that name the key's path; command-line flags override the file.
 */
import { existsSync } from 'node:fs';
import { decodeUtf8, describeReadProblem, readRegularFile } from '../io/readInput.js';
import path from 'node:path';
import { diagnostic, DiagnosticCodes, type Diagnostic, type IgnoreRule } from '../diagnostics/diagnostic.js';
import { suggest } from '../model/validate.js';
import { isPythonDistName, isPythonPackageName, isPythonVersion, PYTHON_DIST_NAME_EXPECTED, PYTHON_VERSION_EXPECTED } from '../emit/identifiers.js';
import { TARGETS, type Target } from '../targets.js';
import { SNIPPET_ERAS } from '../syntax/render.js';
import type { EraOption } from '../syntax/snippets.js';
import { JsonSyntaxError, parseJsonWithPositions } from './jsonPositions.js';
import { isRevisionPath, type HistoryEntry } from '../history/entry.js';
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
  modelPositions?: boolean;
  gitattributes?: boolean;
  openUnions?: boolean;
  importExtension?: 'js' | 'ts';
  /** Warnings silenced, by code and optionally by the command, type or event they are about. */
  ignore?: IgnoreRule[];
  /** Versions of the API, oldest first; the last is the one generated (`{"label": "v6.5"}`). Paths resolved. */
  history?: HistoryEntry[];
  /** For editors: the JSON Schema the file follows (schema/config.schema.json in the package); not an option. */
  $schema?: string;
}

type Check = (value: unknown) => string | undefined;
const HISTORY_EXPECTED = 'an array of versions, oldest first: {"label": "v6.3", "spec": "api/v6.3"} or {"label": "v6.4", "revision": "v6.4.0:bots/api"}, and last {"label": "v6.5"}, the version generated';
const IGNORE_EXPECTED = 'an array of {"code": "SYN003", "name": "APIConnect"} entries (name optional: every warning of the code)';
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
  modelPositions: (v) => (typeof v === 'boolean' ? undefined : 'true or false'),
  gitattributes: (v) => (typeof v === 'boolean' ? undefined : 'true or false'),
  openUnions: (v) => (typeof v === 'boolean' ? undefined : 'true or false'),
  importExtension: (v) => (v === 'js' || v === 'ts' ? undefined : '"js" or "ts"'),
  ignore: (v) => (Array.isArray(v) ? undefined : IGNORE_EXPECTED),
  history: (v) => (Array.isArray(v) && v.length > 0 ? undefined : HISTORY_EXPECTED),
  $schema: nonEmptyString,
  format: (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? undefined : FORMAT_EXPECTED),
  era: (v) => (typeof v === 'string' && ['auto', ...SNIPPET_ERAS].includes(v) ? undefined : `one of "auto", ${SNIPPET_ERAS.map((e) => `"${e}"`).join(', ')}`),
  targets: (v) =>
    Array.isArray(v) && v.length > 0 ? undefined : `a non-empty array of ${TARGETS.map((t) => `"${t}"`).join(', ')}`,
};

export const CONFIG_KEYS: ReadonlySet<string> = new Set(Object.keys(CHECKS));
const DIAGNOSTIC_CODE_SET: ReadonlySet<string> = new Set(Object.values(DiagnosticCodes));
/** The values of keys with a fixed set of them, for did-you-mean. */
const CHOICES: Partial<Record<string, ReadonlySet<string>>> = { era: new Set(['auto', ...SNIPPET_ERAS]) };

export interface LoadedConfig {
  config: Config;
  /** The file it came from, when there was one. */
  file?: string;
  /** The file's text: part of a run's fingerprint (cache/fingerprint.ts). */
  text?: string;
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
      const hint = suggest(key, CONFIG_KEYS);
      diagnostics.push(diagnostic(DiagnosticCodes.CONFIG_INVALID, shown, at(keyPath), `unknown key ${keyPath}${hint ? `: ${hint}` : ''}`, { expected: `one of ${[...CONFIG_KEYS].join(', ')}` }));
      continue;
    }
    const problem = CHECKS[key as keyof Config](v);
    if (problem) {
      const hint = typeof v === 'string' ? suggest(v, CHOICES[key] ?? new Set()) : undefined;
      diagnostics.push(diagnostic(DiagnosticCodes.CONFIG_INVALID, shown, at(keyPath), `${keyPath} has the wrong type or value: ${JSON.stringify(v)}${hint ? `: ${hint}` : ''}`, { expected: problem }));
      continue;
    }
    switch (key as keyof Config) {
      case 'targets': {
        const list = v as unknown[];
        const bad = list.map((t, i) => [t, i] as const).filter(([t]) => !(TARGETS as readonly unknown[]).includes(t));
        for (const [t, i] of bad) {
          const hint = typeof t === 'string' ? suggest(t, new Set(TARGETS)) : undefined;
          diagnostics.push(diagnostic(DiagnosticCodes.CONFIG_INVALID, shown, at(`${keyPath}[${i}]`), `${keyPath}[${i}] is ${JSON.stringify(t)}, not a target${hint ? `: ${hint}` : ''}`, { expected: `one of ${TARGETS.map((x) => `"${x}"`).join(', ')}` }));
        }
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
      case '$schema':
        break;
      case 'ignore': {
        const rules: IgnoreRule[] = [];
        (v as unknown[]).forEach((entry, i) => {
          const where = `${keyPath}[${i}]`;
          const fail = (message: string, pos = at(where)) => diagnostics.push(diagnostic(DiagnosticCodes.CONFIG_INVALID, shown, pos, message, { expected: IGNORE_EXPECTED }));
          if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return fail(`${where} is not an object`);
          const e = entry as Record<string, unknown>;
          for (const k of Object.keys(e)) if (k !== 'code' && k !== 'name') return fail(`unknown key ${where}.${k}${suggest(k, new Set(['code', 'name'])) ? `: ${suggest(k, new Set(['code', 'name']))}` : ''}`, at(`${where}.${k}`));
          if (typeof e.code !== 'string' || !DIAGNOSTIC_CODE_SET.has(e.code)) {
            const hint = typeof e.code === 'string' ? suggest(e.code, DIAGNOSTIC_CODE_SET) : undefined;
            return fail(`${where}.code is ${JSON.stringify(e.code)}, not a diagnostic code${hint ? `: ${hint}` : ''}`, at(`${where}.code`) ?? at(where));
          }
          if (e.name !== undefined && (typeof e.name !== 'string' || e.name === '')) return fail(`${where}.name must be a command, type or event name`, at(`${where}.name`));
          rules.push(e.name === undefined ? { code: e.code } : { code: e.code, name: e.name as string });
        });
        config.ignore = rules;
        break;
      }
      case 'history': {
        const entries: HistoryEntry[] = [];
        const labels = new Set<string>();
        const list = v as unknown[];
        list.forEach((entry, i) => {
          const where = `${keyPath}[${i}]`;
          const fail = (message: string, pos = at(where)) => diagnostics.push(diagnostic(DiagnosticCodes.CONFIG_INVALID, shown, pos, message, { expected: HISTORY_EXPECTED }));
          if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return fail(`${where} is not an object`);
          const e = entry as Record<string, unknown>;
          const keys = new Set(['label', 'spec', 'revision']);
          for (const k of Object.keys(e)) if (!keys.has(k)) return fail(`unknown key ${where}.${k}${suggest(k, keys) ? `: ${suggest(k, keys)}` : ''}`, at(`${where}.${k}`));
          if (typeof e.label !== 'string' || e.label === '' || /[\r\n]/.test(e.label)) return fail(`${where}.label must be a non-empty one-line string`, at(`${where}.label`) ?? at(where));
          if (labels.has(e.label)) return fail(`${where}.label "${e.label}" is used twice`, at(`${where}.label`));
          labels.add(e.label);
          for (const k of ['spec', 'revision'] as const) if (e[k] !== undefined && (typeof e[k] !== 'string' || e[k] === '')) return fail(`${where}.${k} must be a non-empty string`, at(`${where}.${k}`));
          if (typeof e.revision === 'string' && !isRevisionPath(e.revision)) return fail(`${where}.revision "${e.revision}" is not REV:PATH (a revision and the documents' directory in it, such as "v6.4.0:bots/api")`, at(`${where}.revision`));
          const last = i === list.length - 1;
          if (!last && (e.spec === undefined) === (e.revision === undefined)) return fail(`${where} needs "spec" (a directory) or "revision" (REV:PATH), one of them`);
          if (last && e.revision !== undefined) return fail(`${where} is the version being generated: it takes a label only`, at(`${where}.revision`));
          const out: HistoryEntry = { label: e.label };
          if (typeof e.spec === 'string') out.spec = path.resolve(base, e.spec);
          if (typeof e.revision === 'string') out.revision = e.revision;
          entries.push(out);
        });
        config.history = entries;
        break;
      }
      case 'modelPositions':
      case 'gitattributes':
      case 'openUnions':
        config[key as 'modelPositions' | 'gitattributes' | 'openUnions'] = v as boolean;
        break;
      case 'importExtension':
        config.importExtension = v as 'js' | 'ts';
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
  return { config, file, text: decoded.text, diagnostics };
}
