/** model.json: the IR for other tools, with keys in a fixed order and no timestamps. */
import type { ApiModel } from '../model/types.js';
import { safeJson } from './escape.js';
import type { FileMap } from '../writer/fileMap.js';
import { remembered, type EmitMemo } from './memo.js';

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

export interface ModelJsonOptions {
  /** Keep the source position of every node (`source: {doc, line, column}`): useful to tools, noisy in diffs. */
  positions?: boolean;
}

/** stableJson's text of `value` nested `depth` levels deep (every line but the first indented), without its newline. */
function nestedJson(value: unknown, omit: ReadonlySet<string>, depth: number): string {
  return stableJson(value, omit).slice(0, -1).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/**
 * model.json. In watch mode (`memo`) each item of the model's lists is written once while it is the same object:
 * a session shares the items an edit did not touch, so a one-section edit writes one item's JSON again.
 */
export function emitModelJson(model: ApiModel, options: ModelJsonOptions = {}, memo?: EmitMemo): FileMap {
  const omit = options.positions ? NONE : POSITION_KEYS;
  const entries = Object.entries({ schemaVersion: MODEL_SCHEMA_VERSION, ...model, ...(options.positions ? { positions: true } : {}) })
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const body = entries.map(([key, value]) => {
    // A list as stableJson writes it, one item at a time: `[`, each item two levels deep, `]`.
    // In watch mode a list the edit did not touch is the same list: its text is taken whole.
    const json =
      memo && Array.isArray(value) && value.length > 0
        ? remembered(memo, `model.json ${key} ${omit === NONE}`, [value], () =>
            `[\n${value.map((item: { name?: string }, i) => `    ${remembered(memo, `model.json ${key} ${item.name ?? i} ${omit === NONE}`, [item], () => nestedJson(item, omit, 2))}`).join(',\n')}\n  ]`,
          )
        : nestedJson(value, omit, 1);
    return `  ${JSON.stringify(key)}: ${json}`;
  });
  return new Map([['model.json', `{\n${body.join(',\n')}\n}\n`]]);
}
