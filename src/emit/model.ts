/** model.json: the IR for other tools, with keys in a fixed order and no timestamps. */
import type { ApiModel } from '../model/types.js';
import { safeJson } from './escape.js';
import type { FileMap } from '../writer/fileMap.js';

/** Stable JSON: object keys sorted, arrays in document order (their order has meaning); `omit` keys left out. */
export function stableJson(value: unknown, omit: ReadonlySet<string> = NONE): string {
  return safeJson(JSON.stringify(sortKeys(value, omit), null, 2)) + '\n';
}

const NONE: ReadonlySet<string> = new Set();

function sortKeys(value: unknown, omit: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v, omit));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined && !omit.has(k)) out[k] = sortKeys(v, omit);
    }
    return out;
  }
  return value;
}

/** 2: source positions are left out unless asked for (`--model-positions`). */
export const MODEL_SCHEMA_VERSION = 2;

/**
 * The keys of the model that hold source positions (`SourceRef`). Without them a change in one place of a
 * document changes only the lines of model.json that describe that place: a sentence added above no longer
 * shifts every later `"line"`.
 */
const POSITION_KEYS: ReadonlySet<string> = new Set(['source', 'javascriptSource', 'pythonSource']);

/**
 * JSON of the model's parts by identity. A watch-mode rebuild shares the parts of documents that did not change
 * (see DocumentCache), so only the changed document's part is serialised again.
 */
const partJson = { plain: new WeakMap<object, string>(), positions: new WeakMap<object, string>() };

export interface ModelJsonOptions {
  /** Keep the source position of every node (`source: {doc, line, column}`): useful to tools, noisy in diffs. */
  positions?: boolean;
}

export function emitModelJson(model: ApiModel, options: ModelJsonOptions = {}): FileMap {
  const cache = options.positions ? partJson.positions : partJson.plain;
  const omit = options.positions ? NONE : POSITION_KEYS;
  const entries = Object.entries({ schemaVersion: MODEL_SCHEMA_VERSION, ...model, ...(options.positions ? { positions: true } : {}) })
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const body = entries.map(([key, value]) => {
    let json = value !== null && typeof value === 'object' ? cache.get(value) : undefined;
    if (json === undefined) {
      // The same text as in the whole document: nested one level, so every line but the first is indented.
      json = stableJson(value, omit).slice(0, -1).replace(/\n/g, '\n  ');
      if (value !== null && typeof value === 'object') cache.set(value, json);
    }
    return `  ${JSON.stringify(key)}: ${json}`;
  });
  return new Map([['model.json', `{\n${body.join(',\n')}\n}\n`]]);
}
