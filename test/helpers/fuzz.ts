/**
 * The fuzz driver: mutated corpus documents through the whole pipeline. Every run must end in diagnostics or
 * in output that parses in its language (and, for a sample, compiles); never in an uncaught exception.
 */
import { createHash } from 'node:crypto';
import { spawnPython } from './python.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { DiagnosticsError, hasErrors } from '../../src/diagnostics/diagnostic.js';
import { emitDocs } from '../../src/emit/docs/docs.js';
import { loadTemplates } from '../../src/emit/templates.js';
import { DEFAULT_OPTIONS, emitAll } from '../../src/generate.js';
import type { DocKind } from '../../src/model/types.js';
import type { SpecInput } from '../../src/parse/loadSpec.js';
import { SpecSession } from '../../src/pipeline.js';
import { corpusDocs } from './corpus.js';
import { minimalTexts } from './fixtures.js';
import { mutate, rng } from './mutate.js';

const TINY_COMMANDS = `# API Commands and Responses

This file is generated automatically.

[Commands](#commands)
- [Ping](#ping)

---


## Commands

Commands.


### Ping

Ping.

*Network usage*: no.

**Parameters**:
- userId: int64

**Syntax**:

\`\`\`
/_ping <userId>
\`\`\`

\`\`\`javascript
'/_ping ' + userId // JavaScript
\`\`\`

\`\`\`python
'/_ping ' + str(userId) # Python
\`\`\`

**Response**:

CmdOk: Ok.
- type: "cmdOk"

---
`;

/**
 * What `ts.transpileModule` reports for a TypeScript file (a program's syntactic diagnostics are the parser's),
 * without printing the JavaScript it does not need.
 */
function syntaxErrorsOf(file: string, content: string): readonly ts.Diagnostic[] {
  const source = ts.createSourceFile(file, content, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const found = (source as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics;
  if (!Array.isArray(found)) throw new Error('this TypeScript keeps no parseDiagnostics on a source file: check syntax another way');
  return found;
}

export interface FuzzReport {
  runs: number;
  withDiagnostics: number;
  withOutput: number;
  failures: string[];
  /** Distinct TypeScript outputs, for a sample compiled with tsc. */
  typescript: Map<string, Map<string, string>>;
  /** How often each kind of mutation was applied. */
  kinds: Map<string, number>;
}

function windowOf(text: string, kind: DocKind, random: () => number): string {
  const parts = text.replace(/\r\n/g, '\n').split('\n---\n');
  if (parts.length < 3) return text;
  const starts = parts.map((p, i) => ({ p, i })).filter(({ p, i }) => i > 0 && (kind === 'TYPES' || p.includes('\n## ')));
  const start = starts.length ? starts[Math.floor(random() * starts.length)]!.i : 1;
  const end = Math.min(parts.length, start + 1 + Math.floor(random() * 5));
  return [parts[0], ...parts.slice(start, end)].join('\n---\n') + (end < parts.length ? '\n---\n' : '');
}

/** The model without source positions and documented snippets: what the written docs must carry. */
function modelShape(model: unknown): string {
  const skip = new Set(['source', 'javascript', 'python', 'javascriptSource', 'pythonSource', 'ast']);
  return JSON.stringify(model, (k, v) => (skip.has(k) ? undefined : v));
}

export interface FuzzInput {
  input: SpecInput;
  where: string;
  applied: string[];
}

/** The documents of each run, reproducibly: `[...fuzzInputs(seed, n + 1)][n]` is run n again. */
export function* fuzzInputs(seed: number, runs: number): Generator<FuzzInput> {
  const random = rng(seed);
  const sources: { kind: DocKind; text: string }[] = corpusDocs().map((d) => ({ kind: d.kind, text: readFileSync(d.path, 'utf8') }));
  const minimal = minimalTexts();
  for (const kind of ['COMMANDS', 'TYPES', 'EVENTS'] as DocKind[]) sources.push({ kind, text: minimal[kind] });
  for (let n = 0; n < runs; n++) {
    const source = sources[Math.floor(random() * sources.length)]!;
    const base = source.text.length > 20_000 ? windowOf(source.text, source.kind, random) : source.text;
    const { text, applied } = mutate(base, random, Math.floor(random() * 4));
    const input: SpecInput = { texts: { [source.kind]: text }, files: { [source.kind]: `${source.kind}.md` } };
    if (source.kind !== 'COMMANDS') {
      input.texts.COMMANDS = TINY_COMMANDS;
      input.files.COMMANDS = 'COMMANDS.md';
    }
    yield { input, applied, where: `run ${n} (seed ${seed}, ${source.kind}, ${applied.join('+') || 'unmutated'})` };
  }
}

export async function runFuzz(seed: number, runs: number): Promise<FuzzReport> {
  const templates = loadTemplates();
  // Unchanged sections are parsed once; a mutated one is parsed afresh.
  const session = new SpecSession({ retain: true });
  const buildModel = (input: SpecInput) => session.build(input);
  const report: FuzzReport = { runs: 0, withDiagnostics: 0, withOutput: 0, failures: [], typescript: new Map(), kinds: new Map() };
  const python = new Map<string, string>();
  // A file's text parses or not whatever run wrote it: most files (the runtime's copies, the unchanged
  // documents' modules) come out the same in every run, so each distinct text is parsed once.
  const parsedTypeScript = new Set<string>();

  for (const { input, where, applied } of fuzzInputs(seed, runs)) {
    report.runs++;
    for (const k of applied) report.kinds.set(k, (report.kinds.get(k) ?? 0) + 1);
    try {
      const spec = buildModel(input);
      for (const d of spec.diagnostics)
        if (!d.code || !(d.line >= 1) || !(d.column >= 1) || !d.message || !d.file) report.failures.push(`${where}: malformed diagnostic ${JSON.stringify(d)}`);
      if (hasErrors(spec.diagnostics)) {
        report.withDiagnostics++;
        continue;
      }
      let emitted;
      try {
        emitted = await emitAll(spec, DEFAULT_OPTIONS, templates);
      } catch (e) {
        if (e instanceof DiagnosticsError) {
          report.withDiagnostics++;
          continue;
        }
        throw e;
      }
      report.withOutput++;
      const tsFiles = new Map<string, string>();
      for (const [file, content] of emitted.files) {
        if (file.endsWith('.ts')) {
          tsFiles.set(file, content);
          const digest = createHash('sha1').update(file).update('\0').update(content).digest('hex');
          if (parsedTypeScript.has(digest)) continue;
          parsedTypeScript.add(digest);
          for (const d of syntaxErrorsOf(file, content)) report.failures.push(`${where}: ${file} does not parse: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
        } else if (file.endsWith('.json')) {
          try {
            JSON.parse(content);
          } catch (e) {
            report.failures.push(`${where}: ${file} is not JSON: ${(e as Error).message}`);
          }
        } else if (file.endsWith('.py')) python.set(createHash('sha1').update(content).digest('hex'), content);
      }
      const key = createHash('sha1').update(JSON.stringify([...tsFiles])).digest('hex');
      if (!report.typescript.has(key)) report.typescript.set(key, tsFiles);
      // The docs are markdown the generator itself reads back to the same documents.
      const docs = [...emitted.files].filter(([f]) => f.startsWith('docs/'));
      const again = buildModel({
        texts: Object.fromEntries(docs.map(([f, c]) => [path.basename(f, '.md'), c])),
        files: Object.fromEntries(docs.map(([f]) => [path.basename(f, '.md'), f])),
      });
      if (hasErrors(again.diagnostics)) report.failures.push(`${where}: emitted docs do not parse: ${again.diagnostics[0]!.message}`);
      else {
        const reemitted = emitDocs(again.model, templates);
        for (const [f, c] of docs) if (reemitted.get(f) !== c) report.failures.push(`${where}: ${f} does not read back to itself`);
        // Every accepted input: the written docs give the same model (but for positions and the documented
        // snippets, which the docs carry as rendered).
        if (modelShape(again.model) !== modelShape(spec.model)) report.failures.push(`${where}: the written docs read back to another model`);
      }
    } catch (e) {
      report.failures.push(`${where}: uncaught ${(e as Error)?.stack ?? String(e)}`);
    }
  }

  // Python: every distinct module must compile.
  const checked = spawnPython(['-c', 'import json,sys\nfor k,v in json.load(sys.stdin).items():\n  compile(v, k, "exec")\nprint("ok")'], {
    input: JSON.stringify(Object.fromEntries(python)),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (checked.status !== 0) report.failures.push(`python output does not compile: ${checked.stderr.split('\n').slice(-3).join(' ')}`);
  return report;
}
