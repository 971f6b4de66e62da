/** The CLI as CI runs it: generate, check and lint, exit codes, and never a partial output. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST } from '../../src/writer/manifest.js';
import { corpusPresent, ERA_NAMES, eraInput, REPO_ROOT } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli.js';
import { MINIMAL_DIR, minimalTexts, snapshotDir, tempDir, writeSpec } from '../helpers/fixtures.js';

const STACK = /\n\s+at .+\(.*:\d+:\d+\)/;

describe('generate', () => {
  it('writes every target, then nothing when nothing changed', async () => {
    const out = path.join(tempDir(), 'out');
    const first = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out], REPO_ROOT);
    expect(first.code).toBe(0);
    for (const f of ['docs/COMMANDS.md', 'docs/TYPES.md', 'docs/EVENTS.md', 'model.json', 'snippets.json', 'typescript/types.ts', 'typescript/commands.ts', 'typescript/responses.ts', 'typescript/events.ts', 'typescript/index.ts', 'python/simplex_api/__init__.py', 'python/simplex_api/_types.py', 'python/simplex_api/_commands.py', 'python/simplex_api/_responses.py', 'python/simplex_api/_events.py', 'python/simplex_api/responses.py', 'python/simplex_api/events.py', MANIFEST])
      expect(existsSync(path.join(out, f)), f).toBe(true);
    const mtime = statSync(path.join(out, 'model.json')).mtimeMs;
    const second = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out], REPO_ROOT);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/0 written, 0 removed, 58 unchanged/);
    expect(statSync(path.join(out, 'model.json')).mtimeMs).toBe(mtime);
  });

  it('rewrites only the files that changed, and removes files it no longer generates', async () => {
    const out = path.join(tempDir(), 'out');
    await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out], REPO_ROOT);
    writeFileSync(path.join(out, 'docs/TYPES.md'), 'edited by hand\n');
    const r = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs,model,snippets'], REPO_ROOT);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wrote docs/TYPES.md');
    expect(r.stderr).toContain('removed typescript/types.ts');
    expect(readFileSync(path.join(out, 'docs/TYPES.md'), 'utf8')).toBe(minimalTexts().TYPES);
    expect(existsSync(path.join(out, 'typescript'))).toBe(false);
  });

  it('writes nothing, and removes nothing, when the input has errors (exit 2, no stack trace)', async () => {
    const out = path.join(tempDir(), 'out');
    await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out], REPO_ROOT);
    const before = snapshotDir(out);
    const spec = writeSpec(tempDir(), { ...minimalTexts(), COMMANDS: minimalTexts().COMMANDS.replace('- ttl: int?', '- ttl int?') });
    const r = await runCli(['generate', '--spec', spec, '--out', out, '--targets', 'docs'], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/COMMANDS\.md:\d+:3: error FIELD001/);
    expect(r.stderr).toContain('nothing written');
    expect(r.stderr).not.toMatch(STACK);
    expect(snapshotDir(out)).toEqual(before);
  });

  it('refuses an output directory it did not write', async () => {
    const out = tempDir();
    writeFileSync(path.join(out, 'precious.txt'), 'mine');
    const r = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('OUT001');
    expect(snapshotDir(out)).toEqual({ 'precious.txt': 'mine' });
  });

  it('reports a missing spec directory as a diagnostic', async () => {
    const r = await runCli(['generate', '--spec', 'no/such/dir', '--out', tempDir()], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^no\/such\/dir:1:1: error SPEC001: spec directory "no\/such\/dir" does not exist/m);
  });

  it("a missing spec directory's hint says where the directory came from: --spec, the configuration file, or the default", async () => {
    const flag = await runCli(['generate', '--spec', 'no/such/dir', '--out', tempDir()], REPO_ROOT);
    expect(flag.stderr).toContain('hint: the directory given with --spec: pass --spec DIR of a directory holding COMMANDS.md');
    const dir = tempDir();
    writeFileSync(path.join(dir, 'simplex-api-codegen.config.json'), '{"spec": "api-docs"}\n');
    const config = await runCli(['check'], dir);
    expect(config.code).toBe(2);
    expect(config.stderr).toMatch(/^api-docs:1:1: error SPEC001/m);
    expect(config.stderr).toContain('hint: the directory named by "spec" in simplex-api-codegen.config.json: change it there, or pass --spec DIR');
    const bare = await runCli(['lint'], tempDir());
    expect(bare.stderr).toContain('hint: the default spec/ (no --spec given, no "spec" in a configuration file): pass --spec DIR');
  });

  it('prints diagnostics as JSON and as GitHub annotations', async () => {
    const spec = writeSpec(tempDir(), { COMMANDS: minimalTexts().COMMANDS.replace('### APIDeleteChat', '### APISendMessages') });
    const json = await runCli(['generate', '--spec', spec, '--out', tempDir(), '--format', 'json'], REPO_ROOT);
    expect(json.code).toBe(2);
    const parsed = JSON.parse(json.stdout) as { code: string; line: number }[];
    expect(parsed.some((d) => d.code === 'DUP001')).toBe(true);
    const gh = await runCli(['generate', '--spec', spec, '--out', tempDir(), '--format', 'github'], REPO_ROOT);
    expect(gh.stdout).toMatch(/^::error file=.*COMMANDS\.md,line=\d+,col=1,title=DUP001::duplicate command "APISendMessages"/m);
  });

  it('rejects a Python package name that cannot be imported, writing nothing', async () => {
    for (const name of ['my-pkg', 'class', '1abc']) {
      const out = path.join(tempDir(), 'out');
      const r = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--python-package', name], REPO_ROOT);
      expect(r.code, name).toBe(2);
      expect(r.stderr).toContain(`--python-package takes a Python identifier that is not a keyword or a standard-library module, such as "simplex_api"; got "${name}"`);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('rejects unknown targets as a usage error', async () => {
    const r = await runCli(['generate', '--targets', 'rust'], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--targets takes a comma-separated list');
  });
});

describe('check', () => {
  it('exits 0 when the output is current, and 1 listing stale, missing and unexpected files with diffs', async () => {
    const out = path.join(tempDir(), 'out');
    await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out], REPO_ROOT);
    const ok = await runCli(['check', '--spec', MINIMAL_DIR, '--out', out], REPO_ROOT);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/is up to date \(58 files\)/);

    writeFileSync(path.join(out, 'docs/EVENTS.md'), minimalTexts().EVENTS.replace('Received message(s).', 'Received messages.'));
    const removed = path.join(out, 'snippets.json');
    const snippets = readFileSync(removed, 'utf8');
    spawnSync('rm', [removed]);
    mkdirSync(path.join(out, 'extra'));
    writeFileSync(path.join(out, 'extra/notes.txt'), 'x');
    const before = snapshotDir(out);
    // Without the typescript, schema, asyncapi and docs-html targets their 25 files are ones that generate would remove.
    const stale = await runCli(['check', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs,model,snippets,python'], REPO_ROOT);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('stale: docs/EVENTS.md');
    expect(stale.stdout).toContain('-Received messages.');
    expect(stale.stdout).toContain('+Received message(s).');
    expect(stale.stdout).toContain('missing: snippets.json');
    expect(stale.stdout).toContain('unexpected: typescript/types.ts (generate would remove it)');
    expect(stale.stdout).toMatch(/2 stale, 1 missing, 25 unexpected/);
    // A file the generator never wrote is named but is no reason to fail.
    expect(stale.stdout).not.toContain('extra/notes.txt');
    expect(stale.stderr).toContain('note: 1 file not written by simplex-api-codegen left as it is: extra/notes.txt');
    expect(snapshotDir(out)).toEqual(before);
    expect(snippets.length).toBeGreaterThan(0);
  });

  it('shows two edits far apart as two hunks, and --format github annotates the first changed line of each file', async () => {
    const out = path.join(tempDir(), 'out');
    await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'typescript'], REPO_ROOT);
    const file = path.join(out, 'typescript/types.ts');
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.length).toBeGreaterThan(60);
    lines[9] = '// edited by hand';
    lines[lines.length - 10] = '// edited by hand too';
    writeFileSync(file, lines.join('\n'));
    const text = await runCli(['check', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'typescript'], REPO_ROOT);
    expect(text.code).toBe(1);
    const hunks = text.stdout.match(/^@@ .* @@$/gm) ?? [];
    expect(hunks).toHaveLength(2);
    expect(text.stdout).toContain('-// edited by hand\n');
    expect(text.stdout).toContain('-// edited by hand too\n');
    const github = await runCli(['check', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'typescript', '--format', 'github'], REPO_ROOT);
    expect(github.stdout).toMatch(new RegExp(`^::error file=${out.replace(/[/.]/g, '\\$&').replace(/:/g, '%3A')}/typescript/types\\.ts,line=10,title=stale generated file::`, 'm'));
  });

  it('--gitattributes marks the output as generated for review tools (and check agrees)', async () => {
    const repo = tempDir('sac-attr-');
    spawnSync('git', ['init', '-q'], { cwd: repo });
    const out = path.join(repo, 'generated');
    expect((await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs', '--gitattributes'], REPO_ROOT)).code).toBe(0);
    expect(readFileSync(path.join(out, '.gitattributes'), 'utf8')).toMatch(/^\* linguist-generated=true$/m);
    // As git (and so GitHub) reads it.
    const attr = spawnSync('git', ['check-attr', 'linguist-generated', 'generated/docs/COMMANDS.md'], { cwd: repo, encoding: 'utf8' });
    expect(attr.stdout).toBe('generated/docs/COMMANDS.md: linguist-generated: true\n');
    expect((await runCli(['check', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs', '--gitattributes'], REPO_ROOT)).code).toBe(0);
    // Generated like any other file: without the option it is unexpected, and generate removes it.
    expect((await runCli(['check', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs'], REPO_ROOT)).stdout).toContain('unexpected: .gitattributes');
    expect((await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs'], REPO_ROOT)).stderr).toContain('removed .gitattributes');
  });

  it('generate leaves files it never wrote alone, and check then passes', async () => {
    const out = path.join(tempDir(), 'out');
    await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out], REPO_ROOT);
    writeFileSync(path.join(out, 'README.md'), 'how we use the generated code\n');
    const g = await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs'], REPO_ROOT);
    expect(g.code).toBe(0);
    expect(g.stderr).toContain('removed typescript/types.ts');
    expect(g.stderr).toContain('note: 1 file not written by simplex-api-codegen left as it is: README.md');
    expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toBe('how we use the generated code\n');
    const c = await runCli(['check', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs'], REPO_ROOT);
    expect(c.code).toBe(0);
  });

  it('reports an output path that is a file, for generate and check alike (exit 2)', async () => {
    const file = path.join(tempDir(), 'out.txt');
    writeFileSync(file, 'x');
    for (const cmd of ['generate', 'check']) {
      const r = await runCli([cmd, '--spec', MINIMAL_DIR, '--out', file], REPO_ROOT);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/error OUT001: output path ".*out\.txt" is not a directory/);
      expect(r.stderr).not.toMatch(STACK);
    }
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('the committed generated/ is the output of the default run', async () => {
    const r = await runCli(['check'], REPO_ROOT);
    expect(r.stdout + r.stderr, 'run `npx simplex-api-codegen generate` and commit generated/').toMatch(/generated is up to date/);
    expect(r.code).toBe(0);
  });
});

describe('lint', () => {
  it('exits 0 on a clean spec', async () => {
    const r = await runCli(['lint', '--spec', MINIMAL_DIR], REPO_ROOT);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no problems found');
  });

  it('reports a documented snippet that differs from the syntax, in every format', async () => {
    const text = minimalTexts().COMMANDS.replace("(ttl ? ' ttl=' + ttl : '')", "(ttl ? ' ttl=' + ttl : '') + ''");
    const spec = writeSpec(tempDir(), { ...minimalTexts(), COMMANDS: text });
    const line = text.split('\n').findIndex((l) => l.includes("+ ttl : '') + ''")) + 1;
    const r = await runCli(['lint', '--spec', spec], REPO_ROOT);
    // Warnings alone pass (ESLint's convention), unless there are more than --max-warnings.
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`COMMANDS.md:${line}:1: warning LINT001: command APISendMessages: the documented JavaScript snippet differs from the syntax`);
    expect(r.stderr).toContain(': no errors, 1 warning\n');
    const strict = await runCli(['lint', '--spec', spec, '--max-warnings', '0'], REPO_ROOT);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(': 1 warning, more than --max-warnings 0\n');
    expect((await runCli(['lint', '--spec', spec, '--max-warnings', '1'], REPO_ROOT)).code).toBe(0);
    expect((await runCli(['lint', '--spec', spec, '--max-warnings', 'many'], REPO_ROOT)).stderr).toContain('--max-warnings takes a number of warnings');
    const json = await runCli(['lint', '--spec', spec, '--format', 'json'], REPO_ROOT);
    expect(JSON.parse(json.stdout)).toMatchObject([{ code: 'LINT001', line }]);
    const gh = await runCli(['lint', '--spec', spec, '--format', 'github'], REPO_ROOT);
    expect(gh.stdout).toMatch(new RegExp(`^::warning file=.*COMMANDS\\.md,line=${line},col=1,title=LINT001::`, 'm'));
  });

  it('warnings are silenced per code and per name by "ignore" in the config', async () => {
    const text = minimalTexts().COMMANDS.replace("(ttl ? ' ttl=' + ttl : '')", "(ttl ? ' ttl=' + ttl : '') + ''");
    const dir = tempDir();
    const spec = writeSpec(path.join(dir, 'spec'), { ...minimalTexts(), COMMANDS: text });
    const config = (ignore: unknown) => writeFileSync(path.join(dir, 'simplex-api-codegen.config.json'), JSON.stringify({ spec: 'spec', ignore }));
    config([{ code: 'LINT001', name: 'APISendMessages' }]);
    const named = await runCli(['lint', '--max-warnings', '0'], dir);
    expect(named.code).toBe(0);
    expect(named.stderr).not.toContain('LINT001');
    expect(named.stderr).toContain('no problems found (1 ignored by the config)');
    config([{ code: 'LINT001', name: 'APIDeleteChat' }]);
    expect((await runCli(['lint', '--max-warnings', '0'], dir)).code).toBe(1);
    config([{ code: 'LINT001' }]);
    expect((await runCli(['lint', '--max-warnings', '0'], dir)).code).toBe(0);
    config([{ code: 'LINT01' }, { code: 'SYN003', nme: 'x' }]);
    const bad = await runCli(['lint', '--spec', spec], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error CFG001: $.ignore[0].code is "LINT01", not a diagnostic code: did you mean "LINT001"');
    expect(bad.stderr).toContain('error CFG001: unknown key $.ignore[1].nme: did you mean "name"?');
  });

  it.runIf(corpusPresent)('passes on every real upstream version by default (their findings are warnings)', async () => {
    for (const era of ERA_NAMES) {
      const dir = tempDir();
      writeSpec(dir, eraInput(era).texts);
      const r = await runCli(['lint', '--spec', dir], REPO_ROOT);
      expect(`${era}: ${r.code}`, r.stderr).toBe(`${era}: 0`);
      expect(r.stderr).toMatch(/no errors, \d+ warnings?\n$/);
    }
  });

  it('exits 2 on invalid input', async () => {
    const spec = writeSpec(tempDir(), { COMMANDS: '# Not an API document\n' });
    const r = await runCli(['lint', '--spec', spec], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SPEC003');
  });
});

describe('help and the installed binary', () => {
  for (const cmd of [[], ['generate'], ['check'], ['lint'], ['mock']])
    it(`--help ${cmd.join(' ')} explains itself`, async () => {
      const r = await runCli([...cmd, '--help'], REPO_ROOT);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: simplex-api-codegen/);
      if (cmd.length) expect(r.stdout).toContain('--spec <dir>');
      else expect(r.stdout).toMatch(/Exit codes: 0 ok, 1 check or lint findings, 2 invalid input or usage/);
    });

  it('without a command prints the usage to stderr and exits 2', async () => {
    const r = await runCli([], REPO_ROOT);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: simplex-api-codegen/);
    expect(r.stderr).toContain('Examples:');
  });

  it('--version prints the version of package.json', async () => {
    const r = await runCli(['--version'], REPO_ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  it('bin/simplex-api-codegen.js exits 2 on bad input with diagnostics and no stack trace', () => {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/simplex-api-codegen.js'), 'generate', '--spec', path.join(tempDir(), 'missing'), '--out', tempDir()], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SPEC001');
    expect(r.stderr).not.toMatch(STACK);
  });
});

describe('bad input through the CLI: exit 2, a located diagnostic, no stack trace, nothing written or removed', () => {
  const t = minimalTexts();
  const cases: [string, string, Partial<Record<'COMMANDS' | 'TYPES' | 'EVENTS', string | undefined>>][] = [
    ['SPEC002', 'COMMANDS.md missing', { COMMANDS: undefined }],
    ['SPEC003', 'not one of the three kinds', { EVENTS: '# Release notes\n' }],
    ['CMD001', 'command without syntax', { COMMANDS: t.COMMANDS.replace(/\*\*Syntax\*\*:\n\n```\n\/_delete[\s\S]*?```python[\s\S]*?```\n\n/, '') }],
    ['FIELD001', 'parameter line that does not parse', { COMMANDS: t.COMMANDS.replace('- userId', '- userId').replace('- liveMessage: bool', '- liveMessage: bool]') }],
    ['REF001', 'unknown type reference', { EVENTS: t.EVENTS.replace('[ChatItem](./TYPES.md#chatitem)', '[ChatItm](./TYPES.md#chatitm)') }],
    ['DUP001', 'duplicate command', { COMMANDS: t.COMMANDS.replace('### APIDeleteChat', '### APISendMessages') }],
    ['DUP002', 'duplicate type', { TYPES: t.TYPES.replace('## ComposedMessage', '## ChatRef') }],
    ['SYN001', 'syntax that does not parse', { COMMANDS: t.COMMANDS.replace('/_delete <str(chatRef)>', '/_delete <str(chatRef)') }],
  ];
  for (const [code, what, edits] of cases)
    it(`${code}: ${what}`, async () => {
      const texts = { ...t };
      for (const [k, v] of Object.entries(edits)) {
        if (v === undefined) delete texts[k as keyof typeof texts];
        else texts[k as keyof typeof texts] = v;
      }
      const spec = writeSpec(tempDir(), texts);
      const out = path.join(tempDir(), 'out');
      await runCli(['generate', '--spec', MINIMAL_DIR, '--out', out, '--targets', 'docs,model'], REPO_ROOT);
      const before = snapshotDir(out);
      const r = await runCli(['generate', '--spec', spec, '--out', out], REPO_ROOT);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^\\S+\\.md:\\d+:\\d+: error ${code}: .+\\n  expected: .+`, 'm'));
      expect(r.stderr).not.toMatch(STACK);
      expect(snapshotDir(out)).toEqual(before);
    });
});
