/**
 * The HTML reference shows only what the model says: every example command string reads back with the generated
 * TypeScript parser as its command, and every example response and event decodes with the generated decoders in
 * strict mode. Its pages link types, and types list what uses them; `since` labels show with a history; `check`
 * covers the files. (test/emit/html.browser.test.ts opens the site in Chromium.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SpecInput } from '../../src/parse/loadSpec.js';
import { buildModel } from '../helpers/model.js';
import { CORPUS_MISSING, corpusPresent, eraInput, type EraName } from '../helpers/corpus.js';
import { minimalInput, minimalTexts, tempDir, writeSpec } from '../helpers/fixtures.js';
import { generateInto, importTypeScript } from '../helpers/generate.js';
import { runCli } from '../helpers/cli.js';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescapeHtml = (s: string): string => s.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);

interface Decode {
  decodeChatResponse: (v: unknown, o: { strict: boolean }) => { type: string };
  decodeChatEvent: (v: unknown, o: { strict: boolean }) => { type: string };
}

/** Every example of a generated site, checked with the generated parser and decoders; the counts. */
async function checkExamples(input: SpecInput) {
  const model = buildModel(input).model;
  const g = await generateInto(input, ['typescript', 'docs-html']);
  await importTypeScript(g.dir);
  const js = (m: string) => import(pathToFileURL(path.join(g.dir, 'js', m)).href);
  const { parseCommand } = (await js('parse.js')) as { parseCommand: (s: string) => { command: string } };
  const decode = (await js('decode.js')) as Decode;
  const counts = { commands: 0, responses: 0, events: 0 };
  for (const c of model.commands) {
    const page = g.files.get(`html/commands/${c.name}.html`)!;
    const example = /<pre class="command-example"[^>]*><code>([\s\S]*?)<\/code><\/pre>/.exec(page);
    expect(example, `${c.name}: an example command string`).not.toBe(null);
    const text = unescapeHtml(example![1]!);
    expect(parseCommand(text).command, text).toBe(c.name);
    counts.commands++;
    for (const r of c.responses) {
      const m = new RegExp(`<pre class="json" data-response="${r.tag}"[^>]*><code>([\\s\\S]*?)</code>`).exec(page);
      expect(m, `${c.name} ${r.tag}: an example`).not.toBe(null);
      expect(decode.decodeChatResponse(JSON.parse(unescapeHtml(m![1]!)), { strict: true }).type).toBe(r.tag);
      counts.responses++;
    }
  }
  const events = g.files.get('html/events.html')!;
  for (const e of model.events) {
    const m = new RegExp(`<pre class="json" data-event="${e.tag}"[^>]*><code>([\\s\\S]*?)</code>`).exec(events);
    expect(m, `${e.name}: an example`).not.toBe(null);
    expect(decode.decodeChatEvent(JSON.parse(unescapeHtml(m![1]!)), { strict: true }).type).toBe(e.tag);
    counts.events++;
  }
  return { counts, model, files: g.files };
}

describe('the HTML reference', () => {
  it('minimal spec: examples read back and decode strictly; types link to what uses them', async () => {
    const { counts, files } = await checkExamples(minimalInput());
    expect(counts.commands).toBeGreaterThan(0);
    const types = files.get('html/types.html')!;
    // ChatRef is a parameter of APIDeleteChat: its entry links back to that command's page.
    const chatRef = types.slice(types.indexOf('<section id="ChatRef"'));
    expect(chatRef.slice(0, chatRef.indexOf('</section>'))).toMatch(/<a href="commands\/APIDeleteChat\.html">APIDeleteChat \(command\)<\/a>/);
    // A parameter's type links to its entry on the types page.
    expect(files.get('html/commands/APIDeleteChat.html')).toContain('<a href="../types.html#ChatRef">ChatRef</a>');
  });

  for (const era of ['seed', 'latest'] as EraName[])
    it(`${era} era: every command, response and event has an example the generated code accepts`, async () => {
      if (!corpusPresent) throw new Error(CORPUS_MISSING);
      const { counts, model } = await checkExamples(eraInput(era));
      expect(counts.commands).toBe(model.commands.length);
      expect(counts.events).toBe(model.events.length);
      console.log(`${era}: ${counts.commands} command strings, ${counts.responses} responses, ${counts.events} events checked`);
    });

  it('commands of the very same syntax get no example string (none could read back as one of them); the others do', async () => {
    const copy = (text: string) => {
      const section = text.slice(text.indexOf('### APIDeleteChat'), text.lastIndexOf('---'));
      return `${text.trimEnd()}\n\n${section.replace('### APIDeleteChat', '### APIDeleteChatAgain')}---\n`;
    };
    const g = await generateInto(minimalInput({ COMMANDS: copy }), ['docs-html']);
    expect(g.files.get('html/commands/APIDeleteChatAgain.html')).toBeDefined();
    for (const name of ['APIDeleteChat', 'APIDeleteChatAgain']) expect(g.files.get(`html/commands/${name}.html`), name).not.toContain('command-example');
    expect(g.files.get('html/commands/APISendMessages.html')).toContain('<pre class="command-example"');
  });

  it('is deterministic, and check covers its files', async () => {
    const dir = tempDir('sac-html-');
    writeSpec(path.join(dir, 'spec'), minimalTexts());
    expect((await runCli(['generate', '--targets', 'docs-html', '--out', 'a'], dir)).code).toBe(0);
    expect((await runCli(['generate', '--targets', 'docs-html', '--out', 'b'], dir)).code).toBe(0);
    for (const f of ['html/index.html', 'html/events.html', 'html/types.html', 'html/commands/APISendMessages.html', 'html/style.css', 'html/search.js'])
      expect(readFileSync(path.join(dir, 'b', f), 'utf8'), f).toBe(readFileSync(path.join(dir, 'a', f), 'utf8'));
    expect((await runCli(['check', '--targets', 'docs-html', '--out', 'a'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'a/html/index.html'), 'edited\n');
    const stale = await runCli(['check', '--targets', 'docs-html', '--out', 'a'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stdout + stale.stderr).toContain('html/index.html');
  });
});
