/**
 * Event handlers are typed by their tag, for every event tag of the latest era: tsc and pyright accept a handler
 * that reads a field its event has and reject one that reads a field it does not have (TypeScript `on<K>`;
 * Python the client's `on` and upstream's `CEvt.OnEventDecorator`, a Protocol with an overload per tag).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../helpers/model.js';
import { CORPUS_MISSING, corpusPresent, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { compileTypeScript, generateInto, runPyright } from '../helpers/generate.js';

describe('event handlers typed by tag', () => {
  it('TypeScript: client.on(tag, handler) narrows the event, for every tag', async () => {
    if (!corpusPresent) throw new Error(CORPUS_MISSING);
    const input = eraInput('latest');
    const model = buildModel(input).model;
    const tags = [...new Set(model.events.map((e) => e.tag))];
    const g = await generateInto(input, ['typescript']);
    const field = (tag: string) => model.events.find((e) => e.tag === tag)!.fields.find((f) => f.name !== 'type' && f.type.kind !== 'optional')?.name ?? 'type';
    const good = ['import type { ChatClient } from "./typescript/client.js";', 'export function subscribe(c: ChatClient): void {', ...tags.map((t) => `  c.on(${JSON.stringify(t)}, (e) => { void e.${field(t)}; });`), '}'].join('\n');
    const bad = ['import type { ChatClient } from "./typescript/client.js";', 'export function subscribe(c: ChatClient): void {', ...tags.map((t) => `  c.on(${JSON.stringify(t)}, (e) => { void e.fieldNoEventHas; });`), '}'].join('\n');
    writeFileSync(path.join(g.dir, 'good.ts'), good);
    writeFileSync(path.join(g.dir, 'bad.ts'), bad);
    expect(compileTypeScript(g.dir, undefined, [path.join(g.dir, 'good.ts'), path.join(g.dir, 'typescript', 'client.ts')]).output).toBe('');
    const out = compileTypeScript(g.dir, undefined, [path.join(g.dir, 'bad.ts'), path.join(g.dir, 'typescript', 'client.ts')]).output;
    const errors = out.split('\n').filter((l) => /bad\.ts\(\d+,\d+\): error TS2339: Property 'fieldNoEventHas' does not exist on type/.test(l));
    expect(errors.length, out.slice(0, 500)).toBe(tags.length);
    expect(tags.length).toBeGreaterThan(40);
  });

  it('Python: client.on(tag) and CEvt.OnEventDecorator narrow the event, for every tag (pyright)', async () => {
    if (!corpusPresent) throw new Error(CORPUS_MISSING);
    const input = eraInput('latest');
    const model = buildModel(input).model;
    const g = await generateInto(input, ['python']);
    const events = model.events.filter((e, i) => model.events.findIndex((x) => x.tag === e.tag) === i);
    const cls = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');
    const lines = (bad: boolean) => [
      'from typing import cast',
      'from simplex_api import CEvt',
      'from simplex_api.client import ChatClient',
      '',
      'def subscribe(client: ChatClient, on_event: CEvt.OnEventDecorator) -> None:',
      ...events.flatMap((e, i) => {
        const other = events[(i + 1) % events.length]!;
        return [
          `    client.on(${JSON.stringify(e.tag)})(lambda e: e[${JSON.stringify(bad ? 'fieldNoEventHas' : 'type')}])`,
          `    async def h${i}(evt: CEvt.${cls(bad ? other.name : e.name)}) -> None: ...`,
          `    on_event(${JSON.stringify(e.tag)})(h${i})`,
        ];
      }),
      '',
      'cast(object, subscribe)',
      '',
    ];
    const dir = path.join(g.dir, 'python');
    writeFileSync(path.join(dir, 'good.py'), lines(false).join('\n'));
    writeFileSync(path.join(dir, 'bad.py'), lines(true).join('\n'));
    // One pyright run over both (the package is analysed once): every error is bad.py's, and each line of bad.py
    // that should be one is one.
    const checked = runPyright(dir, ['good.py', 'bad.py']);
    const reported = checked.output.split('\n');
    expect(reported.filter((l) => /good\.py:\d+:\d+ - error/.test(l))).toEqual([]);
    const keyErrors = reported.filter((l) => /bad\.py:\d+:\d+ - error: Could not access item in TypedDict/.test(l));
    const handlerErrors = reported.filter((l) => /bad\.py:\d+:\d+ - error: Argument of type/.test(l));
    expect(keyErrors.length, checked.output.slice(0, 800)).toBe(events.length);
    expect(handlerErrors.length, checked.output.slice(0, 800)).toBe(events.length);
    expect(checked.output).toMatch(new RegExp(`\\b${2 * events.length} errors?,`));
    void REPO_ROOT;
  });
});
