import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ts } from 'ts-morph';
import { computeSince, itemKeys } from '../../src/history/since.js';
import type { ApiModel } from '../../src/model/types.js';
import { buildModel } from '../helpers/model.js';
import { CORPUS_MISSING, corpusPresent, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli.js';
import { minimalTexts, tempDir, writeSpec } from '../helpers/fixtures.js';
import { python3 } from '../helpers/python.js';

const ERAS = ['seed', 'mid', 'latest'] as const;
/** Labels of the corpus eras as a project would name its versions. */
const LABEL = { seed: 'v6.3', mid: 'v6.4', latest: 'v6.5' } as const;

/**
 * A project with the three eras: the older two as spec directories of the history, the newest as its spec. Its
 * node_modules is the repository's, as a project that installed the generator has one: the CLI keeps its cache of
 * built models there, and each era is parsed once however often the CLI runs.
 */
function eraProject(): string {
  const dir = tempDir('sac-history-');
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const era of ERAS) writeSpec(path.join(dir, era === 'latest' ? 'spec' : era), eraInput(era).texts);
  writeFileSync(path.join(dir, 'simplex-api-codegen.config.json'), JSON.stringify({ history: [{ label: LABEL.seed, spec: 'seed' }, { label: LABEL.mid, spec: 'mid' }, { label: LABEL.latest }] }, null, 2));
  return dir;
}

describe('history: since which version each item exists', () => {
  let models: Record<(typeof ERAS)[number], ApiModel>;
  beforeAll(() => {
    if (!corpusPresent) return;
    models = Object.fromEntries(ERAS.map((e) => [e, buildModel(eraInput(e)).model])) as typeof models;
  });

  it('on the corpus eras, every since (from the changes engine) is the earliest era of the run, up to the newest, that has the item', () => {
    if (!corpusPresent) throw new Error(CORPUS_MISSING);
    const { since, removed } = computeSince(ERAS.map((e) => ({ label: LABEL[e], model: models[e] })));
    // Computed the other way: by which era's model has each key, with no change classification at all.
    const has = ERAS.map((e) => itemKeys(models[e]));
    const last = has[has.length - 1]!;
    expect(since.size).toBe(last.size);
    let mismatches = 0;
    for (const key of last.keys()) {
      let first = ERAS.length - 1;
      while (first > 0 && has[first - 1]!.has(key)) first--;
      if (since.get(key) !== LABEL[ERAS[first]!]) mismatches++;
    }
    expect(mismatches).toBe(0);
    const counts = new Map<string, number>();
    for (const l of since.values()) counts.set(l, (counts.get(l) ?? 0) + 1);
    // Every era brought something.
    expect([...counts.keys()].sort()).toEqual(['v6.3', 'v6.4', 'v6.5']);
    // Removed: what mid had and latest does not, by the same names.
    expect(removed.length).toBeGreaterThan(0);
    for (const r of removed) {
      expect(has[1]!.has(r.key)).toBe(true);
      expect(last.has(r.key)).toBe(false);
      expect(r.lastIn).toBe('v6.4');
    }
    // Each removal once: a removed type is listed, not its fields as well.
    const gone = [...has[1]!.entries()].filter(([k, parent]) => !last.has(k) && (parent === undefined || last.has(parent))).map(([k]) => k);
    expect(removed.map((r) => r.key)).toEqual(gone.sort());
  });

  it('a sample checked by hand against the documents, in model.json, TypeScript and Python; the markdown docs stay byte-exact', async () => {
    if (!corpusPresent) throw new Error(CORPUS_MISSING);
    const dir = eraProject();
    const r = await runCli(['generate'], dir);
    expect(r.code, r.stderr).toBe(0);
    const model = JSON.parse(readFileSync(path.join(dir, 'generated/model.json'), 'utf8')) as ApiModel;
    const command = (n: string) => model.commands.find((c) => c.name === n)!;
    const type = (n: string) => model.types.find((t) => t.name === n)!;
    // By hand (grep in ../shared/corpus): `## HostConnected` is in the EVENTS.md of d74a21dfab (mid), not in the
    // seed's; `### APIGetChats` only in 03c8bf5add's COMMANDS.md; its APICreateMyAddress has `pqRatchet`, the
    // others do not; AgentErrorType's member NOTICE and the type ClientNotice are in 088a33e09c's TYPES.md (mid).
    expect(command('APISendMessages').since).toBe('v6.3');
    expect(command('APIGetChats').since).toBe('v6.5');
    expect(command('APICreateMyAddress').params!.find((p) => p.name === 'pqRatchet')!.since).toBe('v6.5');
    expect(command('APICreateMyAddress').params!.find((p) => p.name === 'userId')!.since).toBe('v6.3');
    expect(model.events.find((e) => e.name === 'HostConnected')!.since).toBe('v6.4');
    expect(model.events.find((e) => e.name === 'NewChatItems')!.since).toBe('v6.3');
    expect(type('ClientNotice').since).toBe('v6.4');
    const agentError = type('AgentErrorType');
    expect(agentError.kind === 'union' && agentError.members.find((m) => m.name === 'NOTICE')!.since).toBe('v6.4');
    const deleteMode = type('CIDeleteMode');
    expect(deleteMode.kind === 'enum' && deleteMode.values.find((v) => v.value === 'history')!.since).toBe('v6.5');
    expect(model.history!.versions).toEqual(['v6.3', 'v6.4', 'v6.5']);
    expect(model.history!.removed).toContainEqual({ key: 'command:Connect.connLink_', kind: 'command', name: 'Connect', parameter: 'connLink_', lastIn: 'v6.4' });
    // The markdown docs are the documents, byte for byte.
    for (const kind of ['COMMANDS', 'TYPES', 'EVENTS']) expect(readFileSync(path.join(dir, 'generated/docs', `${kind}.md`), 'utf8')).toBe(eraInput('latest').texts[kind as 'COMMANDS']);
    const tsCommands = readFileSync(path.join(dir, 'generated/typescript/commands.ts'), 'utf8');
    expect(tsCommands).toMatch(/ \* @since v6\.5\n \*\/\nexport interface APIGetChats \{/);
    expect(tsCommands).toMatch(/export interface APICreateMyAddress \{\n {2}userId: number; \/\/ int64\n {2}\/\*\* @since v6\.5 \*\/\n {2}pqRatchet\?: boolean \| undefined;/);
    const py = readFileSync(path.join(dir, 'generated/python/simplex_api/_commands.py'), 'utf8');
    expect(py).toMatch(/class APIGetChats\(TypedDict\):\n {4}"""[^]*?\n\n {4}Since: v6\.5\n {4}"""/);
    expect(py).toContain('    pqRatchet: NotRequired[bool]  # since v6.5\n');
    // The HTML reference labels them too: the command, a newer parameter (not an older one), an event, an enum value.
    const html = (p: string) => readFileSync(path.join(dir, 'generated/html', p), 'utf8');
    expect(html('commands/APIGetChats.html')).toContain('<h1><code>APIGetChats</code> <span class="since">since v6.5</span></h1>');
    const createAddress = html('commands/APICreateMyAddress.html');
    expect(createAddress).toContain('<code>pqRatchet</code> <span class="since">since v6.5</span></th>');
    expect(createAddress).toContain('<code>userId</code></th>');
    expect(html('events.html')).toContain('<h3 id="HostConnected-h"><code>HostConnected</code> <span class="since">since v6.4</span></h3>');
    expect(html('types.html')).toContain('<li><code>&quot;history&quot;</code> <span class="since">since v6.5</span></li>');
    expect(html('index.html')).toContain('history: v6.3, v6.4, v6.5');
    // `check` covers it: the output is up to date, and a changed history version makes it stale.
    expect((await runCli(['check', '--no-cache'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'mid/COMMANDS.md'), readFileSync(path.join(dir, 'mid/COMMANDS.md'), 'utf8').replace('### APISendMessages\n', '### APISendMessagez\n'));
    expect((await runCli(['check'], dir)).code).toBe(1);
  });

  it('a version read from git (REV:PATH), and a hostile label that cannot break out of a comment or docstring', async () => {
    const dir = tempDir('sac-history-git-');
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir, encoding: 'utf8' });
    writeSpec(path.join(dir, 'spec'), minimalTexts());
    git('init', '-q');
    git('add', 'spec');
    git('commit', '-q', '-m', 'v1');
    const texts = minimalTexts();
    writeSpec(path.join(dir, 'spec'), { ...texts, COMMANDS: texts.COMMANDS.replace('- liveMessage: bool\n', '- liveMessage: bool\n- signMessages: bool\n').replace('[ live=on]', '[ live=on][ sign=on]') });
    const label = 'v2 */ """ \\ {{x}}';
    writeFileSync(path.join(dir, 'simplex-api-codegen.config.json'), JSON.stringify({ history: [{ label: 'v1', revision: 'HEAD:spec' }, { label }] }));
    const r = await runCli(['generate', '--out', 'out'], dir);
    expect(r.code, r.stderr).toBe(0);
    const model = JSON.parse(readFileSync(path.join(dir, 'out/model.json'), 'utf8')) as ApiModel;
    const send = model.commands.find((c) => c.name === 'APISendMessages')!;
    expect([send.since, send.params!.find((p) => p.name === 'signMessages')!.since]).toEqual(['v1', label]);
    // The TypeScript parses with no error, and the label is in the comment, not in the code.
    const tsText = readFileSync(path.join(dir, 'out/typescript/commands.ts'), 'utf8');
    const source = ts.createSourceFile('commands.ts', tsText, ts.ScriptTarget.ES2022, true);
    expect((source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
    expect(source.statements.filter((s) => ts.isInterfaceDeclaration(s) && s.name.text === 'APISendMessages')).toHaveLength(1);
    // Python: the package's files parse and the docstring holds the label as text.
    const py = spawnSync(python3(), ['-c', 'import ast,sys\nfor f in sys.argv[1:]: ast.parse(open(f).read())\nprint("ok")', ...['_commands.py', '_types.py'].map((f) => path.join(dir, 'out/python/simplex_api', f))], { encoding: 'utf8' });
    expect(py.stdout + py.stderr).toBe('ok\n');
    // A revision that does not exist: a located error, nothing written.
    writeFileSync(path.join(dir, 'simplex-api-codegen.config.json'), JSON.stringify({ history: [{ label: 'v0', revision: 'nosuch:spec' }, { label: 'v1' }] }));
    const before = readFileSync(path.join(dir, 'out/model.json'), 'utf8');
    const bad = await runCli(['generate', '--out', 'out'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('history version "v0": git cannot read nosuch:spec/COMMANDS.md');
    expect(readFileSync(path.join(dir, 'out/model.json'), 'utf8')).toBe(before);
  });

  it('configuration mistakes are CFG001 at their place; a version that is not there is HIST001', async () => {
    const dir = tempDir('sac-history-cfg-');
    writeSpec(path.join(dir, 'spec'), minimalTexts());
    const run = async (history: unknown) => {
      writeFileSync(path.join(dir, 'simplex-api-codegen.config.json'), JSON.stringify({ history }, null, 2));
      return runCli(['generate', '--out', 'out'], dir);
    };
    const cases: [unknown, string][] = [
      [[{ label: 'a', spec: 'x', revision: 'HEAD:spec' }, { label: 'b' }], '$.history[0] needs "spec" (a directory) or "revision" (REV:PATH), one of them'],
      [[{ label: 'a', spek: 'x' }, { label: 'b' }], 'unknown key $.history[0].spek: did you mean "spec"?'],
      [[{ label: 'a', spec: 'x' }, { label: 'a' }], '$.history[1].label "a" is used twice'],
      [[{ label: 'a', spec: 'x' }, { label: 'b', revision: 'HEAD:spec' }], '$.history[1] is the version being generated: it takes a label only'],
      [[], '$.history has the wrong type or value'],
    ];
    for (const [history, message] of cases) {
      const r = await run(history);
      expect(r.code, JSON.stringify(history)).toBe(2);
      expect(r.stderr).toMatch(/simplex-api-codegen\.config\.json:\d+:\d+: error CFG001/);
      expect(r.stderr).toContain(message);
    }
    mkdirSync(path.join(dir, 'empty'));
    const missing = await run([{ label: 'a', spec: 'empty' }, { label: 'b' }]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('history version "a"');
    expect(missing.stderr).toContain('SPEC');
    cpSync(path.join(dir, 'spec'), path.join(dir, 'old'), { recursive: true });
    const ok = await run([{ label: 'a', spec: 'old' }, { label: 'b', spec: 'spec' }]);
    expect(ok.code, ok.stderr).toBe(0);
  });
});
