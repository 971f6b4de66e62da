/**
 * Text from the spec never breaks or injects into the output: descriptions and names with comment
 * terminators, quotes, backslashes, template syntax, newlines and non-ASCII text leave every target parseable.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { emitDocs } from '../../src/emit/docs/docs.js';
import { loadTemplates } from '../../src/emit/templates.js';
import { buildModel } from '../helpers/model.js';
import { EVIL, hostileSpec, INVISIBLE } from '../helpers/hostile.js';
import { compileTypeScript, generateInto, runPyright } from '../helpers/generate.js';
import { runPython } from '../helpers/python.js';

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

    // HTML: the text is escaped everywhere; the only elements are the reference's own (no script but its two).
    // (Markdown reads NUL as U+FFFD, as CommonMark says; plain text shows it as its escape.)
    const escapedEvil = `*/ &#39; &quot; \\ \${x} {{y}} {{{z}}} &lt;/script&gt; 日本語 \\u202e é \ufffd \\u001b[31m \\u200b \\u2066 \\u0085`;
    const send = g.files.get('html/commands/APISendMessages.html')!;
    expect(send).toContain(`<p>Send ${escapedEvil}</p>`);
    expect(send).toContain(`<li>a list item ${escapedEvil}</li>`);
    expect(g.files.get('html/commands/APIDeleteChat.html')).toContain('/_delete &#39;q&#39; &quot;d&quot; \\\\ ${x} {{y}} &lt;str(chatRef)&gt;');
    for (const [file, text] of g.files) {
      if (!file.endsWith('.html')) continue;
      expect(text.match(/<script\b/g)?.length, file).toBe(file === 'html/index.html' ? 2 : 1);
      expect(text.match(/<\/script/g)?.length, file).toBe(file === 'html/index.html' ? 2 : 1);
      // Tags are only the reference's own: none comes from the spec's text.
      const tags = new Set([...text.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));
      const own = ['html', 'head', 'meta', 'title', 'link', 'body', 'a', 'header', 'nav', 'form', 'label', 'input', 'main', 'footer', 'script', 'h1', 'h2', 'h3', 'p', 'div', 'code', 'pre', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'section', 'details', 'summary', 'ul', 'ol', 'li', 'span', 'em', 'strong', 'br'];
      expect([...tags].filter((t) => !own.includes(t)), file).toEqual([]);
    }

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
