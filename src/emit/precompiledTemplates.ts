/**
 * The package's own templates, compiled when the package is built (`npm run build` writes
 * `dist/templates.precompiled.json`): compiling them took about a tenth of a second in every process that
 * rendered them. Each entry holds the SHA-256 of the text it was compiled from; a template whose text is not that
 * text (an edited checkout, a user's override) is compiled from its text as before.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { sha256 } from '../writer/manifest.js';
import { listTemplateFiles } from './templateFiles.js';

const require = createRequire(import.meta.url);

/**
 * Handlebars: its runtime alone when every template was compiled at build time (about 15 ms less to load in
 * every process), the whole library (with the compiler) when one must be compiled from its text. The runtime is
 * the package's one-file build of it (the same code as `handlebars/runtime`, which loads it as a dozen modules:
 * 15–30 ms against 30–50 on this machine's slow days).
 */
export function handlebars(compiler: boolean): typeof Handlebars {
  return require(compiler ? 'handlebars' : 'handlebars/dist/handlebars.runtime.js') as typeof Handlebars;
}

/** Handlebars' options for every template: the text is written as it is; a missing field is an error. */
export const TEMPLATE_OPTIONS = { noEscape: true, strict: true } as const;

export const PRECOMPILED_FILE = fileURLToPath(new URL('../templates.precompiled.json', import.meta.url));

type Table = Record<string, { sha256: string; spec: string }>;

/** Compiles every template of `dir` to Handlebars' template specs (JavaScript source) into `out`. */
export function writePrecompiledTemplates(dir: string, out = PRECOMPILED_FILE): number {
  const table: Table = {};
  for (const rel of listTemplateFiles(dir, (at) => { throw new Error(`template directory ${at} links back to itself`); })) {
    const text = readFileSync(`${dir}/${rel}`, 'utf8');
    table[rel] = { sha256: sha256(text), spec: handlebars(true).precompile(text, TEMPLATE_OPTIONS) as string };
  }
  writeFileSync(out, JSON.stringify(table));
  return Object.keys(table).length;
}

const tables = new Map<string, Table | null>();

function tableOf(file: string): Table | null {
  let table = tables.get(file);
  if (table === undefined) {
    try {
      table = JSON.parse(readFileSync(file, 'utf8')) as Table;
    } catch {
      table = null; // not built with it (tests run the sources): every template is compiled from its text
    }
    tables.set(file, table);
  }
  return table;
}

/** What the build compiled from this very text of `rel` (into `file`): Handlebars' template spec, else undefined. */
export function precompiledSpec(rel: string, text: string, file = PRECOMPILED_FILE): string | undefined {
  const entry = tableOf(file)?.[rel];
  return entry !== undefined && entry.sha256 === sha256(text) ? entry.spec : undefined;
}

/** The template of a spec from precompiledSpec. */
export function templateOfSpec(hb: typeof Handlebars, spec: string): Handlebars.TemplateDelegate {
  // The spec is JavaScript the build wrote from the package's own template: an object of functions.
  return hb.template(new Function(`return ${spec};`)() as Parameters<typeof hb.template>[0]);
}
