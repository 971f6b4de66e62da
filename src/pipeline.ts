/** From documents to a validated model with bound syntax: the stages every command of the CLI starts with. */
import { sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { DocumentCache, loadSpec, readSpecDir, type LoadedSpec, type SpecInput } from './parse/loadSpec.js';
import { ChunkCache } from './parse/markdown.js';
import { attachSyntax } from './syntax/attach.js';
import { ModelInterner } from './model/intern.js';

export function buildModel(input: SpecInput): LoadedSpec {
  return new SpecSession().build(input);
}

/**
 * Builds models again and again (watch mode), re-parsing only the document sections that changed; what did not
 * change is the same object as in the previous model (ModelInterner).
 */
export class SpecSession {
  private readonly cache = new ChunkCache();
  private readonly documents = new DocumentCache();
  private readonly interner = new ModelInterner();
  /** With `retain`, sections stay cached across builds of different specs (the fuzz tests rely on it). */
  constructor(private readonly options: { retain?: boolean } = {}) {}
  build(input: SpecInput): LoadedSpec {
    const loaded = loadSpec(input, this.cache, this.options.retain ? undefined : this.documents);
    if (!this.options.retain) {
      this.cache.sweep();
      this.documents.sweep();
    }
    const diagnostics = [...loaded.diagnostics, ...attachSyntax(loaded.model, loaded.files)];
    return { ...loaded, model: this.interner.intern(loaded.model), diagnostics: sortDiagnostics(diagnostics) };
  }
}

/** Reads and builds a spec directory; reading problems come back as diagnostics like any other. */
export function buildModelFromDir(dir: string, display = dir, hint?: string): LoadedSpec {
  const read = readSpecDir(dir, display, hint);
  const built = buildModel(read.input);
  return { ...built, diagnostics: sortDiagnostics([...read.diagnostics, ...built.diagnostics]) as Diagnostic[] };
}
