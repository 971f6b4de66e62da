/** model.json: the IR for other tools, with keys in a fixed order and no timestamps. */
import type { ApiModel } from '../model/types.js';
import { safeJson } from './escape.js';
import type { FileMap } from '../writer/fileMap.js';

/** Stable JSON: object keys sorted, arrays in document order (their order has meaning). */
export function stableJson(value: unknown): string {
  return safeJson(JSON.stringify(sortKeys(value), null, 2)) + '\n';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export const MODEL_SCHEMA_VERSION = 1;

/**
 * JSON of the model's parts by identity. A watch-mode rebuild shares the parts of documents that did not change
 * (see DocumentCache), so only the changed document's part is serialised again.
 */
const partJson = new WeakMap<object, string>();

export function emitModelJson(model: ApiModel): FileMap {
  const entries = Object.entries({ schemaVersion: MODEL_SCHEMA_VERSION, ...model })
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const body = entries.map(([key, value]) => {
    let json = value !== null && typeof value === 'object' ? partJson.get(value) : undefined;
    if (json === undefined) {
      // The same text as in the whole document: nested one level, so every line but the first is indented.
      json = stableJson(value).slice(0, -1).replace(/\n/g, '\n  ');
      if (value !== null && typeof value === 'object') partJson.set(value, json);
    }
    return `  ${JSON.stringify(key)}: ${json}`;
  });
  return new Map([['model.json', `{\n${body.join(',\n')}\n}\n`]]);
}
