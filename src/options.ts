/** The options of a run that shape its output: what `generate` writes depends on these and on the inputs only. */
import type { HistoryEntry } from './history/entry.js';
import type { EraOption } from './syntax/snippets.js';
import { TARGETS, type Target } from './targets.js';

export interface GenerateOptions {
  targets: readonly Target[];
  era: EraOption;
  /** A directory whose templates override the defaults by name. */
  templatesDir?: string;
  /** Name of the emitted Python package (default `simplex_api`). */
  pythonPackage: string;
  /** The distribution name in pyproject.toml (default: the package name with `-` for `_`). */
  pythonDistName?: string;
  /** The distribution version in pyproject.toml. */
  pythonDistVersion: string;
  /** Keep source positions in model.json. */
  modelPositions?: boolean;
  /** Write `.gitattributes` marking the output as generated (`linguist-generated`). */
  gitattributes?: boolean;
  /**
   * TypeScript: add the unknown member (`X.Undocumented`, `T.Undocumented`) to every union and enum type. Off by
   * default: code that narrows with `in` or reads a field after a tag check then types exactly as with closed
   * unions; the decoders keep unknown members at run time either way.
   */
  openUnions?: boolean;
  /** TypeScript: how generated files import each other: `./x.js` (default; compiled output) or `./x.ts` (Node's type stripping). */
  importExtension?: 'js' | 'ts';
  /**
   * Earlier versions of the API, oldest first, then the version generated (its label only): each item of the output
   * then says since which version it exists (`@since`, `Since:`, `since` in model.json).
   */
  history?: readonly HistoryEntry[];
}

/** What the TypeScript declarations depend on beyond the model (import extensions are set on the files after). */
export interface TypeScriptOptions {
  openUnions: boolean;
}

export const DEFAULT_OPTIONS: GenerateOptions = { targets: TARGETS, era: 'auto', pythonPackage: 'simplex_api', pythonDistVersion: '0.0.0' };

