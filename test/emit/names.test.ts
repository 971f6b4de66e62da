/**
 * Names: read as written and validated where they are read; every generated name kept clear of what each target
 * already uses (imports, builtins, inherited members), checked by compiling, type-checking and running the output.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/diagnostics/diagnostic.js';
import { PYTHON_RUNTIME_MODULES } from '../../src/emit/runtimeTables.js';
import { DEFAULT_OPTIONS, emitAll } from '../../src/generate.js';
import { buildModel } from '../helpers/model.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { DANGEROUS_NAMES, dangerousSpec, dangerousWord } from '../helpers/dangerousNames.js';
import { lineOf, minimalInput, minimalTexts, tempDir } from '../helpers/fixtures.js';
import { runPython } from '../helpers/python.js';
import { checkedRun } from '../helpers/sharedCheck.js';

const errorsOf = (texts: Partial<Record<'COMMANDS' | 'TYPES' | 'EVENTS', string>>) =>
  buildModel({ texts, files: { COMMANDS: 'COMMANDS.md', TYPES: 'TYPES.md', EVENTS: 'EVENTS.md' } }).diagnostics.filter((d) => d.severity === 'error');

describe('names are read as written, and anything but name characters is a located diagnostic', () => {
  const t = minimalTexts();
  type Kind = 'COMMANDS' | 'TYPES' | 'EVENTS';
  /** `line` replaces `from` in document `kind`; the diagnostic must point at `column` of that line. */
  const cases: { name: string; kind: Kind; from: string; line: string; column: number; message: RegExp }[] = [
    { name: 'a character reference that would inject a section', kind: 'COMMANDS', from: '### APIDeleteChat', line: '### Foo&#10;&#10;---&#10;&#10;### Injected', column: 8, message: /command name "Foo&#10;&#10;---&#10;&#10;### Injected" is not a name/ },
    { name: 'a character reference that would inject a title', kind: 'COMMANDS', from: '## Message commands', line: '## Misc&#10;# Evil', column: 8, message: /category name "Misc&#10;# Evil" is not a name/ },
    { name: 'a line separator reference in a type heading', kind: 'TYPES', from: '## ChatItem', line: '## Chat&#x2028;Item', column: 8, message: /type name "Chat&#x2028;Item" is not a name/ },
    { name: 'a right-to-left override reference in an event heading', kind: 'EVENTS', from: '### ChatError', line: '### Chat&#x202E;Error', column: 9, message: /event name "Chat&#x202E;Error" is not a name/ },
    { name: 'a NUL reference in a type heading', kind: 'TYPES', from: '## ComposedMessage', line: '## Composed&#0;', column: 12, message: /type name "Composed&#0;" is not a name/ },
    { name: 'emphasis, which would rename the type', kind: 'TYPES', from: '## ChatItem', line: '## _n_', column: 4, message: /type name "_n_" is markdown that renders as other text/ },
    { name: 'non-name characters in a command heading', kind: 'COMMANDS', from: '### APIDeleteChat', line: `### APIDeleteChat日'"x`, column: 18, message: /command name "APIDeleteChat日'\\"x" is not a name/ },
    { name: 'an apostrophe in a field name', kind: 'COMMANDS', from: '- ttl: int?', line: "- it's: int?", column: 5, message: /APISendMessages parameter name "it's" is not a name/ },
  ];
  for (const c of cases)
    it(c.name, () => {
      const texts = { ...t, [c.kind]: t[c.kind].replace(new RegExp(`^${c.from.replace(/[?]/g, '\\?')}$`, 'm'), c.line) };
      const errors = errorsOf(texts);
      const found = errors.find((d) => d.code === 'NAME001');
      expect(found, JSON.stringify(errors)).toBeDefined();
      expect(`${found!.file}:${found!.line}:${found!.column}`).toBe(`${c.kind}.md:${lineOf(texts[c.kind], c.line)}:${c.column}`);
      expect(found!.message).toMatch(c.message);
    });
});

describe('dangerous names in every position', () => {
  it(`${DANGEROUS_NAMES.length} specs: tsc --strict and pyright report nothing, and builders, get_type_hints and enum objects behave`, async () => {
    const root = tempDir('sac-names-');
    const specs = DANGEROUS_NAMES.map((name, i) => ({ name, i, dir: path.join(root, `s${i}`), pkg: `pkg_${i}` }));
    for (const s of specs) {
      const spec = buildModel({ texts: dangerousSpec(s.name), files: { COMMANDS: 'COMMANDS.md', TYPES: 'TYPES.md', EVENTS: 'EVENTS.md' } });
      expect(hasErrors(spec.diagnostics), `${s.name}: ${JSON.stringify(spec.diagnostics.slice(0, 2))}`).toBe(false);
      const emitted = await emitAll(spec, { ...DEFAULT_OPTIONS, targets: ['typescript', 'python'], pythonPackage: s.pkg });
      for (const [rel, text] of emitted.files) {
        mkdirSync(path.dirname(path.join(s.dir, rel)), { recursive: true });
        writeFileSync(path.join(s.dir, rel), text);
      }
      writeFileSync(path.join(s.dir, 'typescript', 'package.json'), '{"type":"module"}\n');
    }

    // TypeScript: one tsc over every spec, then each spec's builders and enum object at run time.
    const out = path.join(root, 'js');
    const files = specs.flatMap((s) => ['types', 'commands', 'responses', 'events', 'index'].map((f) => path.join(s.dir, 'typescript', `${f}.ts`)));
    const tsc = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/tsc'), ['--strict', '--target', 'es2022', '--module', 'nodenext', '--skipLibCheck', '--types', '', '--rootDir', root, '--outDir', out, ...files], { encoding: 'utf8', cwd: root });
    expect(tsc.stdout + tsc.stderr).toBe('');
    writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
    const expectedStrings: [string, string[]][] = [];
    for (const s of specs) {
      const m = (await import(pathToFileURL(path.join(out, `s${s.i}`, 'typescript', 'index.js')).href)) as Record<string, any>;
      const w = dangerousWord(s.name);
      const commandKey = Object.keys(m.CC).find((k) => k !== 'APISendMessages' && k !== 'APIDeleteChat')!;
      const typeKey = Object.keys(m.T).find((k) => !['ChatDeleteMode', 'ChatItem', 'ChatRef', 'ChatType', 'ComposedMessage'].includes(k))!;
      const send = { sendRef: { chatType: 'direct', chatId: 1 }, liveMessage: false, composedMessages: [] };
      const results = [
        m.CC[commandKey].cmdString({}),
        m.CC[commandKey].cmdString({ [s.name]: 'v' }),
        m.CC.APISendMessages.cmdString(send),
        m.CC.APISendMessages.cmdString({ ...send, [s.name]: 'v' }),
        m.T[typeKey].cmdString({ [s.name]: 'x' }),
        m.T.ChatDeleteMode.cmdString({ type: w }),
      ];
      // An absent parameter is absent, even when every object inherits a member of its name.
      expect(results, s.name).toEqual([`/${w}`, `/${w} v`, '/_send @1 json []', `/_send @1 ${w}=v json []`, 'x', w]);
      expectedStrings.push([s.name, results]);
      expect(Object.getPrototypeOf(m.T.ChatType), s.name).toBe(null);
      expect(Object.isFrozen(m.T.ChatType)).toBe(true);
      expect(Object.values(m.T.ChatType).filter((v) => typeof v === 'string')).toEqual(['direct', 'group', s.name]);
    }

    // Python: one pyright over every package, then each package imported, its hints resolved, its builders run.
    // The runtime modules are the same bytes in every package and import none of its generated modules, so no
    // name can change them: pyright checks the modules the names are written into (and reads the others where
    // they are imported). The runtime modules themselves are checked in spec/'s package and in strict mode.
    const named = (s: (typeof specs)[number]) =>
      readdirSync(path.join(s.dir, 'python', s.pkg))
        .filter((f) => f.endsWith('.py') && !(PYTHON_RUNTIME_MODULES as readonly string[]).includes(f.slice(0, -3)))
        .map((f) => path.join(s.dir, 'python', s.pkg, f));
    const pyright = checkedRun(path.join(REPO_ROOT, 'node_modules/.bin/pyright'), ['--pythonversion', '3.11', ...specs.flatMap(named)], root);
    expect(pyright.stdout, pyright.stdout).toMatch(/0 errors, 0 warnings/);
    const script = `
import importlib, json, sys, typing
specs = json.loads(sys.stdin.read())
out = []
for s in specs:
    sys.path.insert(0, s["dir"] + "/python")
    pkg = importlib.import_module(s["pkg"])
    for mod in ("_types", "_commands", "_responses", "_events"):
        m = importlib.import_module(s["pkg"] + "." + mod)
        for name in m.__all__:
            v = getattr(m, name)
            if isinstance(v, type) and issubclass(v, dict):
                typing.get_type_hints(v)
    c = importlib.import_module(s["pkg"] + "._commands")
    t = importlib.import_module(s["pkg"] + "._types")
    cmd = [n for n in c.__all__ if n.endswith("_cmd_string") and not n.startswith(("APISendMessages", "APIDeleteChat"))][0]
    typ = [n for n in t.__all__ if n.endswith("_cmd_string") and not n.startswith(("ChatDeleteMode", "ChatRef", "ChatType"))][0]
    send = {"sendRef": {"chatType": "direct", "chatId": 1}, "liveMessage": False, "composedMessages": []}
    out.append([s["name"], [
        getattr(c, cmd)({}),
        getattr(c, cmd)({s["name"]: "v"}),
        c.APISendMessages_cmd_string(send),
        c.APISendMessages_cmd_string({**send, s["name"]: "v"}),
        getattr(t, typ)({s["name"]: "x"}),
        t.ChatDeleteMode_cmd_string({"type": s["w"]}),
    ]])
    sys.path.pop(0)
print(json.dumps(out))
`;
    const py = runPython(['-c', script], root, JSON.stringify(specs.map((s) => ({ name: s.name, dir: s.dir, pkg: s.pkg, w: dangerousWord(s.name) }))));
    expect(py.stderr).toBe('');
    expect(JSON.parse(py.stdout)).toEqual(expectedStrings);
  });

  it('builders of the minimal spec still read their parameters directly (the guard is only for inherited names)', async () => {
    const spec = buildModel(minimalInput());
    const emitted = await emitAll(spec, { ...DEFAULT_OPTIONS, targets: ['typescript'] });
    expect(emitted.files.get('typescript/commands.ts')).not.toContain('hasOwnProperty');
  });
});
