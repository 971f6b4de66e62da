/**
 * Formatter hooks (`"format": {"typescript": "prettier --write", "python": "black -q"}` in the config): the
 * generated files of a target are written to a staging directory beside the output, the command runs on them,
 * and what it leaves there replaces them in memory, before anything is compared or written. `generate` and
 * `check` both go through here, so they agree on the formatted bytes; the output directory is never touched.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { diagnostic, DiagnosticCodes, type Diagnostic } from '../diagnostics/diagnostic.js';
import { decodeUtf8 } from '../io/readInput.js';
import type { FileMap } from '../writer/fileMap.js';

export const FORMAT_TARGETS = ['typescript', 'python'] as const;
export type FormatTarget = (typeof FORMAT_TARGETS)[number];

/** The files of each target that its formatter is given. */
const TARGET_FILES: Record<FormatTarget, (rel: string) => boolean> = {
  typescript: (rel) => rel.startsWith('typescript/') && rel.endsWith('.ts'),
  python: (rel) => rel.startsWith('python/') && rel.endsWith('.py'),
};

export interface Formatter {
  target: FormatTarget;
  /** The command and its arguments; the files' paths are appended. */
  argv: string[];
  /** Where it was configured, for diagnostics. */
  file: string;
  line: number;
  column: number;
}

/** Splits a command line as a shell would for plain words and quotes ('…', "…" with \" and \\); no expansion. */
export function splitCommand(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = c === "'" ? text.indexOf("'", i + 1) : closingDoubleQuote(text, i + 1);
      if (end < 0) return undefined;
      const inner = text.slice(i + 1, end);
      word = (word ?? '') + (c === '"' ? inner.replace(/\\(["\\])/g, '$1') : inner);
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

function closingDoubleQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

const STAGE_PREFIX = '.simplex-api-codegen-format-';
/** Output that a failing formatter printed, kept for the diagnostic. */
const MAX_REPORTED = 600;
export const DEFAULT_FORMAT_TIMEOUT_MS = 300_000;

export interface FormatOptions {
  /** The output directory: staging happens beside it, so that the formatters find the project's settings. */
  outDir: string;
  /** The working directory the commands run in; its node_modules/.bin comes first on PATH, as in npm scripts. */
  cwd: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export class FormatCancelled extends Error {
  constructor() {
    super('formatting was interrupted');
  }
}

/** The files with each configured target's files formatted; diagnostics (and the files as given) on failure. */
export async function runFormatters(files: FileMap, formatters: readonly Formatter[], options: FormatOptions): Promise<{ files: FileMap; diagnostics: Diagnostic[] }> {
  const active = formatters.filter((f) => [...files.keys()].some(TARGET_FILES[f.target]));
  if (!active.length) return { files, diagnostics: [] };
  const parent = path.dirname(path.resolve(options.outDir));
  mkdirSync(parent, { recursive: true });
  removeAbandonedStages(parent);
  const stage = mkdtempSync(path.join(parent, `${STAGE_PREFIX}${process.pid}-`));
  const out = new Map(files);
  try {
    for (const formatter of active) {
      const rels = [...files.keys()].filter(TARGET_FILES[formatter.target]);
      const paths = rels.map((rel) => path.join(stage, rel));
      for (const [i, rel] of rels.entries()) {
        mkdirSync(path.dirname(paths[i]!), { recursive: true });
        writeFileSync(paths[i]!, files.get(rel)!);
      }
      const problem = await runCommand(formatter.argv, paths, options);
      if (problem) return { files, diagnostics: [formatDiagnostic(formatter, problem)] };
      for (const [i, rel] of rels.entries()) {
        let bytes: Buffer;
        try {
          bytes = readFileSync(paths[i]!);
        } catch {
          return { files, diagnostics: [formatDiagnostic(formatter, { message: `removed ${rel} instead of formatting it` })] };
        }
        const decoded = decodeUtf8(bytes);
        if ('invalidAt' in decoded) return { files, diagnostics: [formatDiagnostic(formatter, { message: `left ${rel} as bytes that are not UTF-8` })] };
        out.set(rel, (decoded.bom ? '\ufeff' : '') + decoded.text);
      }
    }
    return { files: out, diagnostics: [] };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function formatDiagnostic(formatter: Formatter, problem: { message: string; output?: string }): Diagnostic {
  const shown = formatter.argv.join(' ');
  return diagnostic(DiagnosticCodes.FORMAT_FAILED, formatter.file, { line: formatter.line, column: formatter.column }, `the ${formatter.target} formatter "${shown}" ${problem.message}${problem.output ? `: ${problem.output}` : ''}`, {
    expected: 'a command that formats the files named after its arguments in place and exits 0',
    hint: 'nothing was written; fix the command or remove it from "format" in the config',
  });
}

function runCommand(argv: readonly string[], files: readonly string[], options: FormatOptions): Promise<{ message: string; output?: string } | undefined> {
  if (options.signal?.aborted) return Promise.reject(new FormatCancelled());
  const binDir = path.join(options.cwd, 'node_modules', '.bin');
  const env = { ...process.env, PATH: [binDir, process.env.PATH ?? ''].join(path.delimiter) };
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, [...argv.slice(1), ...files], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < MAX_REPORTED * 2) output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timeoutMs = options.timeoutMs ?? DEFAULT_FORMAT_TIMEOUT_MS;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const onAbort = () => child.kill('SIGTERM');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // Diagnostics are one line: the last lines of what it printed, joined.
    const shownOutput = () => {
      const text = output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).slice(-5).join(' | ');
      return text.length > MAX_REPORTED ? `…${text.slice(-MAX_REPORTED)}` : text || undefined;
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ message: e.code === 'ENOENT' ? `could not be started: "${argv[0]}" was not found on PATH or in node_modules/.bin` : `could not be started: ${e.message}` });
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) return reject(new FormatCancelled());
      if (timedOut) return resolve({ message: `did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`, output: shownOutput() });
      if (code === 0) return resolve(undefined);
      resolve({ message: code === null ? `was ended by ${sig}` : `exited with status ${code}`, output: shownOutput() });
    });
  });
}

/** Staging directories of runs that were killed outright (their process is gone): removed, not left to pile up. */
function removeAbandonedStages(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^${STAGE_PREFIX.replace(/\./g, '\\.')}(\\d+)-`).exec(name);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
