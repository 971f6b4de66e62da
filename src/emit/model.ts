/** model.json: the IR for other tools, with keys in a fixed order and no timestamps. */
import type { ApiModel } from '../model/types.js';
import type { FileMap } from '../writer/fileMap.js';

/** Stable JSON: object keys sorted, arrays in document order (their order has meaning). */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
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

export function emitModelJson(model: ApiModel): FileMap {
  return new Map([['model.json', stableJson({ schemaVersion: MODEL_SCHEMA_VERSION, ...model })]]);
}
