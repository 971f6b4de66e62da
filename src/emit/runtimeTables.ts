/**
 * The interpreters' tables as source text: one entry a line, so that a change to one command or type shows as
 * a change to its line in review. JavaScript and Python read the same literal but for `true`/`false`/`null`.
 */
import { readFileSync } from 'node:fs';
import { safeJson } from './escape.js';
import { recentMemo } from '../util/recentMemo.js';

type Lang = 'ts' | 'py';

const tsLiteral = recentMemo((json) => safeJson(json), 4096);
// Outside strings, JSON's true/false/null become Python's.
const pyLiteral = recentMemo((json) => safeJson(json).replace(/"(?:[^"\\]|\\.)*"|true|false|null/g, (m) => (m === 'true' ? 'True' : m === 'false' ? 'False' : m === 'null' ? 'None' : m)), 4096);

/**
 * The JSON of a table's entries by identity: within one emit the TypeScript and the Python modules write the same
 * entries (the tables are made once, see withSharedTables). Tables are never changed once made.
 */
const entryJson = new WeakMap<object, string>();

/** One value as a literal (remembered by its JSON: watch mode writes the same tables again and again). */
function literal(value: unknown, lang: Lang): string {
  let json = typeof value === 'object' && value !== null ? entryJson.get(value) : undefined;
  if (json === undefined) {
    json = JSON.stringify(value);
    if (typeof value === 'object' && value !== null) entryJson.set(value, json);
  }
  return lang === 'ts' ? tsLiteral(json) : pyLiteral(json);
}

/**
 * Whole literals by the table (or part of one) they write, its language and indent: a watch session keeps the
 * parts of tables an edit did not change (see withSharedTables), so their literals are not written again.
 */
const tableLiterals = new WeakMap<object, Map<string, string>>();

function literalOnce(table: object, lang: Lang, indent: string, write: () => string): string {
  let byForm = tableLiterals.get(table);
  if (!byForm) tableLiterals.set(table, (byForm = new Map()));
  const form = `${lang} ${indent}`;
  let text = byForm.get(form);
  if (text === undefined) byForm.set(form, (text = write()));
  return text;
}

/** `[ … ]` with one element a line. */
export function listLiteral(items: readonly unknown[], lang: Lang, indent = ''): string {
  if (items.length === 0) return '[]';
  return literalOnce(items, lang, indent, () => `[\n${items.map((i) => `${indent}  ${literal(i, lang)},`).join('\n')}\n${indent}]`);
}

/** `{ … }` with one entry a line. */
export function recordLiteral(entries: Readonly<Record<string, unknown>>, lang: Lang, indent = ''): string {
  const keys = Object.keys(entries);
  if (keys.length === 0) return '{}';
  return literalOnce(entries, lang, indent, () => `{\n${keys.map((k) => `${indent}  ${literal(k, lang)}: ${literal(entries[k], lang)},`).join('\n')}\n${indent}}`);
}

/**
 * Runtime modules kept in parts (src/runtime/NAME/PART.ts), in the order the generated module carries them, and the
 * generated modules that the module imports (the bot framework is typed against the package it is generated into).
 */
const RUNTIME_PARTS: Readonly<Record<string, { parts: readonly string[]; generatedImports?: readonly string[] }>> = {
  commandParser: { parts: ['syntax', 'search', 'compiled', 'compile', 'values', 'direct'] },
  chatClient: { parts: ['types', 'support', 'webSocket'] },
  bot: { parts: ['message', 'options', 'bot', 'tester'], generatedImports: ['client', 'events', 'types', 'botApi'] },
};

/**
 * The TypeScript source of a runtime interpreter (src/runtime/NAME.ts and its parts in src/runtime/NAME/), copied
 * into the generated module so that generated code and the mock chat core run the same code: the module, then
 * each part, without the imports between them, and exported only what the module itself exports. The package
 * ships src/runtime for this.
 */
export function runtimeSource(name: 'commandParser' | 'decoder' | 'chatClient' | 'ffiTransport' | 'bot'): string {
  return runtimeSourceOf(name);
}

// A process runs one build of the generator: each runtime source is read once, not on every regeneration of
// watch mode.
const runtimeSourceOf = recentMemo((name) => inlinedModule(name), 16);
const pythonSourceOf = recentMemo((name) => readSource(`python/${name}.py`), 16);

const readSource = (rel: string) => readFileSync(new URL(`../../src/runtime/${rel}`, import.meta.url), 'utf8');

function inlinedModule(name: string): string {
  const layout = RUNTIME_PARTS[name];
  const entry = readSource(`${name}.ts`);
  if (!layout) return entry;
  const exported = new Set<string>();
  for (const m of entry.matchAll(/^export (?:type )?\{([^}]*)\} from /gm)) for (const n of m[1]!.split(',')) exported.add(n.trim().replace(/^type /, ''));
  for (const m of entry.matchAll(DECLARATION)) if (m[1]) exported.add(m[2]!);
  const generated = new Set(layout.generatedImports ?? []);
  // What the module imports from the generated package, by module: a part may import only what the module does.
  const entryImports = new Map<string, Set<string>>();
  const texts = [entry, ...layout.parts.map((p) => readSource(`${name}/${p}.ts`))];
  return texts
    .map((text, i) => {
      const file = i ? `${name}/${layout.parts[i - 1]}` : name;
      const lines = text.split('\n').filter((line) => {
        const imp = IMPORT_LINE.exec(line);
        if (!imp) {
          // Anything else that imports would be cut in two, or would import what the generated module does not have.
          if (/^import\b/.test(line)) throw new Error(`src/runtime/${file}.ts: an import the generated module cannot carry (one line, of a sibling part or of a generated module, is all it takes): ${line}`);
          return true;
        }
        const [, names, from] = imp;
        const bindings = bindingsOf(names!);
        if (i === 0 && from!.startsWith(`./${name}/`)) return false;
        if (i > 0 && from!.startsWith('./') && layout.parts.includes(from!.slice(2, -3))) return false;
        const module = i === 0 ? /^\.\/(\w+)\.js$/.exec(from!)?.[1] : /^\.\.\/(\w+)\.js$/.exec(from!)?.[1];
        if (module === undefined || !generated.has(module)) throw new Error(`src/runtime/${file}.ts: imports ${from}, which is neither one of its parts nor a generated module it may import: ${line}`);
        if (i === 0) {
          entryImports.set(module, new Set([...(entryImports.get(module) ?? []), ...bindings]));
          return true;
        }
        const missing = bindings.filter((b) => !entryImports.get(module)?.has(b));
        if (missing.length) throw new Error(`src/runtime/${file}.ts: imports ${missing.join(', ')} from ${from}, which src/runtime/${name}.ts does not import from ./${module}.js (the generated module has one import list)`);
        return false;
      });
      return lines.join('\n').replace(DECLARATION, (m, exp: string | undefined, n: string) => (exp && !exported.has(n) ? m.slice('export '.length) : m));
    })
    .join('\n');
}

const DECLARATION = /^(export )?(?:(?:async )?function|const|let|class|interface|type) (\w+)/gm;
/** An import or re-export on one line: what it names, and from where. */
const IMPORT_LINE = /^(?:import|export) (?:type )?(\{[^}]*\}|\* as \w+|\w+(?:, \{[^}]*\})?) from ['"](\.\.?\/[\w/]+\.js)['"];$/;

/** The local names an import line binds (`type` markers dropped). */
function bindingsOf(names: string): string[] {
  return names
    .replace(/[{}]/g, ',')
    .split(',')
    .map((n) => n.trim().replace(/^type /, ''))
    .filter((n) => n !== '');
}

/**
 * The Python runtime modules (src/runtime/python/NAME.py) copied into every package: plain Python, checked as
 * such on their own. The bot framework's modules are copied too, when it is generated: they are typed against the package.
 */
export const PYTHON_RUNTIME_MODULES = ['_client_core', '_command_parser', '_decoder', '_parser_compile', '_parser_steps', '_parser_values', '_transport', 'ffi', 'mock'] as const;

/** The bot framework's modules (bot.py, which the package's users import, and its parts), copied when it is generated. */
export const PYTHON_BOT_MODULES = ['_bot_message', '_bot_start', '_bot_tester', 'bot'] as const;

/**
 * The source of a Python runtime module, copied verbatim into the generated package (after the generated header)
 * beside the modules that hold the model's tables.
 */
export function pythonRuntimeSource(name: (typeof PYTHON_RUNTIME_MODULES)[number] | (typeof PYTHON_BOT_MODULES)[number]): string {
  return pythonSourceOf(name);
}
