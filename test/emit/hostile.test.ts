/**
 * Text from the spec never breaks or injects into the output: descriptions and names with comment
 * terminators, quotes, backslashes, template syntax, newlines and non-ASCII text leave every target parseable.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { emitDocs } from '../../src/emit/docs/docs.js';
import { loadTemplates } from '../../src/emit/templates.js';
import { buildModel } from '../../src/pipeline.js';
import { minimalTexts } from '../helpers/fixtures.js';
import { compileTypeScript, generateInto, runPyright } from '../helpers/generate.js';
import { runPython } from '../helpers/python.js';

const EVIL = `*/ ' " \\ \${x} {{y}} {{{z}}} </script> 日本語 \u202e é \u0000 \u001b[31m \u200b \u2066 \u0085`;
/** What must never reach code raw: controls, bidirectional overrides and isolates, zero-width characters. */
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

function hostileSpec() {
  const t = minimalTexts();
  return {
    COMMANDS: t.COMMANDS.replace('Commands to send messages.', `Commands ${EVIL}\n\nA second paragraph: ${EVIL}`)
      .replace('Send messages.', `Send ${EVIL}\n\n- a list item ${EVIL}`)
      .replace('NewChatItems: New messages.', `NewChatItems: New ${EVIL}`)
      .replace('ChatNotStarted: Chat not started.', `ChatNotStarted: ${EVIL}`)
      .replace('- [APIDeleteChat](#apideletechat)', `- [APIDeleteChat](#apideletechat ${EVIL})`)
      .replace('- chatRef: [ChatRef](./TYPES.md#chatref)', `- chatRef: [ChatRef](./TYPES.md#chatref)\n- it_s: string?`)
      .replace('/_delete <str(chatRef)> <str(chatDeleteMode)>', `/_delete 'q' "d" \\\\ \${x} {{y}} <str(chatRef)> <str(chatDeleteMode)>`),
    TYPES: t.TYPES.replace('Used in API commands.', `Used ${EVIL}`)
      .replace('- "direct"\n- "group"', `- "direct"\n- "group"\n- "*/\${x}{{y}}'\\\\"`)
      .replace('@|#|', '@|#|!|')
      .replace('## ComposedMessage\n', `## ComposedMessage\n\n${EVIL}\n`),
    EVENTS: t.EVENTS.replace('Received message(s).', `Received ${EVIL}`),
  };
}

describe('hostile text in the spec', () => {
  it('parses, and every target still parses and compiles', async () => {
    const texts = hostileSpec();
    const input = { texts, files: { COMMANDS: 'COMMANDS.md', TYPES: 'TYPES.md', EVENTS: 'EVENTS.md' } };
    const spec = buildModel(input);
    expect(spec.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(spec.model.commands[1]!.name).toBe('APIDeleteChat');
    const g = await generateInto(input);

    // TypeScript: compiles, and the text sits inside comments and strings, not in code.
    const ts = compileTypeScript(g.dir);
    expect(ts.output).toBe('');
    expect(ts.status).toBe(0);
    expect(g.files.get('typescript/commands.ts')).toContain(' * Send *\\/ \' " \\ ${x} {{y}}');

    // Python: pyright clean, imports, and the builder writes the syntax's text exactly.
    const py = runPyright(g.dir);
    expect(py.output).toMatch(/0 errors/);
    const run = runPython(['-c', `import simplex_api as s, json; print(json.dumps(s.APIDeleteChat_cmd_string({"chatRef": {"chatType": "direct", "chatId": 1}, "chatDeleteMode": {"type": "messages"}})))`], path.join(g.dir, 'python'));
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toBe(`/_delete 'q' "d" \\\\ \${x} {{y}} @1 messages`);

    // Code and JSON carry invisible characters only as escapes; the docs keep the text as written.
    for (const [file, text] of g.files) if (!file.startsWith('docs/')) expect(INVISIBLE.exec(text), file).toBe(null);
    expect(g.files.get('typescript/commands.ts')).toContain('\\u202e é \\u0000 \\u001b[31m \\u200b \\u2066 \\u0085');
    expect(g.files.get('docs/COMMANDS.md')).toContain(EVIL);

    // JSON: parses, and carries the text unchanged.
    const model = JSON.parse(g.files.get('model.json')!);
    expect(model.commands[0].description).toContain(EVIL);
    JSON.parse(g.files.get('snippets.json')!);

    // Markdown: the docs read back to the same model and the same bytes.
    const docs = Object.fromEntries(['COMMANDS', 'TYPES', 'EVENTS'].map((k) => [k, g.files.get(`docs/${k}.md`)!]));
    const again = buildModel({ texts: docs, files: input.files });
    expect(hasErrors(again.diagnostics)).toBe(false);
    // The same model, but for the documented snippets: the docs carry rendered ones (this spec's were stale).
    const withoutSnippets = (m: unknown) => JSON.parse(JSON.stringify(m, (k, v) => (['javascript', 'python', 'javascriptSource', 'pythonSource'].includes(k) ? undefined : v)));
    expect(withoutSnippets(again.model)).toEqual(withoutSnippets(spec.model));
    const reemitted = emitDocs(again.model, loadTemplates());
    for (const k of ['COMMANDS', 'TYPES', 'EVENTS']) expect(reemitted.get(`docs/${k}.md`)).toBe(docs[k]);
  });
});
