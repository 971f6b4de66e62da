/** snippets.json: per command and typed syntax, its syntax line and the rendered JavaScript and Python. */
import type { ApiModel } from '../model/types.js';
import { renderSnippets, type EraOption } from '../syntax/snippets.js';
import type { FileMap } from '../writer/fileMap.js';
import { stableJson } from './model.js';

export function emitSnippetsJson(model: ApiModel, era: EraOption = 'auto'): FileMap {
  const entries = renderSnippets(model, era).map((s) => ({
    kind: s.owner.kind,
    name: s.owner.name,
    syntax: s.syntax.text,
    javascript: s.javascript,
    python: s.python,
  }));
  return new Map([['snippets.json', stableJson({ commands: entries.filter((e) => e.kind === 'command'), types: entries.filter((e) => e.kind === 'type') })]]);
}
