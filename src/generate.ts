/** Runs the enabled emitters over a model and gathers their files: the whole output, in memory. */
import { diagnostic, DiagnosticCodes, type Diagnostic } from './diagnostics/diagnostic.js';
import { defaultDistName } from './emit/identifiers.js';
import { locate } from './model/validate.js';
import { emitDocs } from './emit/docs/docs.js';
import { emitModelJson } from './emit/model.js';
import { emitSnippetsJson } from './emit/snippets.js';
import { loadTemplates, type TemplateSet } from './emit/templates.js';
import type { LoadedSpec } from './parse/loadSpec.js';
import { mergeFileMaps, type FileMap } from './writer/fileMap.js';
import type { Target } from './targets.js';
import type { GenerateOptions } from './options.js';
import { withImportExtension } from './emit/typescript/importExtension.js';
import { opaqueNamesOf, withSharedTables } from './runtime/tables.js';
import type { EmitMemo } from './emit/memo.js';

export { TARGETS, type Target } from './targets.js';

export { DEFAULT_OPTIONS, type GenerateOptions } from './options.js';

export interface Emitted {
  files: FileMap;
  diagnostics: Diagnostic[];
}

/**
 * Emits every enabled target. The spec must have no errors (the caller checks). The manifest is not among the
 * files: whoever writes or compares them adds it (`withManifest`), after formatting, with the run's fingerprint.
 */
export async function emitAll(spec: LoadedSpec, options: GenerateOptions, templates?: TemplateSet, memo?: EmitMemo): Promise<Emitted> {
  return withSharedTables(spec.model, () => emitAllTargets(spec, options, templates, memo), memo);
}

/** `memo`: a watch session's (see EmitMemo); a single run has none. */
async function emitAllTargets(spec: LoadedSpec, options: GenerateOptions, templates?: TemplateSet, memo?: EmitMemo): Promise<Emitted> {
  const t = templates ?? loadTemplates(options.templatesDir);
  const maps: FileMap[] = [];
  const diagnostics: Diagnostic[] = [];
  const on = (target: Target) => options.targets.includes(target);
  // Every TypeScript file imports its siblings as `./x.js`, or as `./x.ts` with importExtension "ts".
  const tsFiles = (files: FileMap) => withImportExtension(files, options.importExtension ?? 'js');
  if (on('docs')) maps.push(emitDocs(spec.model, t, options.era, memo));
  if (on('model')) maps.push(emitModelJson(spec.model, { positions: options.modelPositions === true }, memo));
  if (on('snippets')) maps.push(emitSnippetsJson(spec.model, options.era));
  const opaque = on('typescript') || on('python') ? opaqueNamesOf(spec.model) : [];
  if (opaque.length)
    diagnostics.push(
      diagnostic(
        DiagnosticCodes.OPAQUE_TYPES,
        ...locate(spec.files, { doc: 'COMMANDS', line: 1, column: 1 }),
        `${spec.model.sources.TYPES ? 'types not defined in TYPES.md' : 'no TYPES.md, so referenced types'} are declared as opaque (TypeScript unknown, Python Any): ${opaque.join(', ')}`,
        { severity: 'warning', hint: 'add TYPES.md to the spec directory for full types' },
      ),
    );
  if (on('typescript')) {
    const { emitTypeScript } = await import('./emit/typescript/typescript.js');
    const { emitTypeScriptRuntime } = await import('./emit/typescript/runtime.js');
    for (const r of [emitTypeScript(spec.model, spec.files, { openUnions: options.openUnions === true }, undefined, memo), emitTypeScriptRuntime(spec.model, spec.files, memo)]) {
      maps.push(tsFiles(r.files));
      diagnostics.push(...r.diagnostics);
    }
  }
  if (on('python')) {
    const { emitPython } = await import('./emit/python/python.js');
    const r = emitPython(spec.model, t, options.pythonPackage, spec.files, { name: options.pythonDistName ?? defaultDistName(options.pythonPackage), version: options.pythonDistVersion }, memo);
    maps.push(r.files);
    diagnostics.push(...r.diagnostics);
  }
  {
    const { emitBot } = await import('./emit/bot.js');
    const r = emitBot(spec.model, spec.files, { typescript: on('typescript'), pythonPackage: on('python') ? options.pythonPackage : undefined });
    maps.push(tsFiles(r.ts), r.py);
    diagnostics.push(...r.diagnostics);
  }
  // AsyncAPI's payloads refer to the JSON Schema files: the asyncapi target writes them too.
  if (on('schema') || on('asyncapi')) {
    const { emitJsonSchemas } = await import('./emit/jsonSchema.js');
    maps.push(emitJsonSchemas(spec.model, memo));
  }
  if (on('asyncapi')) {
    const { emitAsyncApi } = await import('./emit/asyncApi.js');
    maps.push(emitAsyncApi(spec.model));
  }
  if (on('docs-html')) {
    const { emitHtmlSite } = await import('./emit/html/site.js');
    maps.push(emitHtmlSite(spec.model, t, options.era, memo));
  }
  // For review tools: GitHub collapses generated files in pull requests and leaves them out of language statistics.
  if (options.gitattributes) maps.push(new Map([['.gitattributes', '# Written by simplex-api-codegen: everything here is generated.\n* linguist-generated=true\n']]));
  return { files: mergeFileMaps(...maps), diagnostics };
}
