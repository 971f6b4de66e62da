/**
 * The fingerprint of a run: a SHA-256 over everything its output depends on — the spec documents' bytes, the
 * override templates, the options that shape the output, the configuration file, and the generator itself (its
 * code, its default templates and runtime sources, the versions of its dependencies). The output manifest
 * records it; when it and every file the manifest lists still match, `check` and `generate` know the answer
 * without parsing anything (see recorded.ts).
 *
 * Nothing machine-specific goes in (no absolute path, time or host), so that the same inputs and the same
 * generator build give the same bytes everywhere.
 */
import { spawnSync } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GenerateOptions } from '../options.js';
import { TARGETS } from '../targets.js';
import { listTemplateFiles } from '../emit/templateFiles.js';
import { readRegularFile } from '../io/readInput.js';

/** The package's root directory (where package.json is), from this module in `dist/cache/` or `src/cache/`. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A run as far as its output depends on it: the output-shaping options, the spec, formatters and config. */
export interface FingerprintSource extends GenerateOptions {
  /** The spec directory. */
  spec: string;
  /** Formatter commands (target and words): their output is part of the files. */
  formatters: readonly { target: string; argv: readonly string[] }[];
  /** The configuration file's text, when one was read. */
  configText?: string;
  /** Where formatter commands run (their scripts and configuration files are looked up from here). */
  cwd?: string;
  /** The output directory (formatters find their configuration files in it and above it). */
  out?: string;
}

/** Adds one labelled, length-prefixed part: no two different sequences of parts hash alike. */
export function part(hash: Hash, label: string, bytes: string | Buffer): void {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  hash.update(`${label}\u0000${b.length}\u0000`);
  hash.update(b);
}

/** Files under `dir` (relative, sorted, links not followed) whose names `keep` accepts. */
function filesUnder(dir: string, keep: (name: string) => boolean, prefix = ''): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesUnder(path.join(dir, e.name), keep, rel));
    else if (e.isFile() && keep(e.name)) out.push(rel);
  }
  return out;
}

/** `name@version` of each dependency as installed (looked up as Node resolves packages, upwards). */
function dependencyVersions(dependencies: Record<string, string>): string[] {
  return Object.keys(dependencies)
    .sort()
    .map((name) => {
      for (let dir = PACKAGE_ROOT; ; dir = path.dirname(dir)) {
        try {
          return `${name}@${(JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string }).version ?? '?'}`;
        } catch {
          if (path.dirname(dir) === dir) return `${name}@?`;
        }
      }
    });
}

let generatorMemo: string | undefined;

/** The trees of the generator build, and which of their files count. */
const TREES: readonly [string, (name: string) => boolean][] = [
  ['dist', (n) => n.endsWith('.js') || n.endsWith('.cjs')],
  ['src', (n) => n.endsWith('.ts') || n.endsWith('.py')],
  ['templates', (n) => n.endsWith('.hbs')],
];

/**
 * Where `npm run build` records the digest of the trees with the identity on disk (size, modification and change
 * times, inode) of each of their files and directories: a process that finds them all unchanged takes the digest
 * instead of listing the trees and reading and hashing 3 MB (about 40 ms in every process, a check answered from
 * the cache included). Any write to a file changes its change time, which no tool can set back, and a file added
 * or removed changes its directory's; a copied or installed package has other inodes: either way the trees are
 * hashed as before.
 */
export const BUILD_STAMP = path.join(PACKAGE_ROOT, 'dist', 'generator-trees.json');

/** `tree/rel` of every file of the build (in a fixed order), and of the directories that hold them. */
function treeEntries(): { files: string[]; dirs: string[] } {
  const files = TREES.flatMap(([tree, keep]) => filesUnder(path.join(PACKAGE_ROOT, tree), keep).map((rel) => `${tree}/${rel}`));
  const dirs = new Set<string>(TREES.map(([tree]) => tree));
  for (const f of files) for (let d = path.posix.dirname(f); d !== '.' && !dirs.has(d); d = path.posix.dirname(d)) dirs.add(d);
  return { files, dirs: [...dirs].sort() };
}

/** What stat says of each path (undefined when one is gone), as one string to compare. */
function identities(paths: readonly string[]): string | undefined {
  try {
    return JSON.stringify(paths.map((p) => {
      const s = statSync(path.join(PACKAGE_ROOT, p));
      return [s.size, s.mtimeMs, s.ctimeMs, s.ino];
    }));
  } catch {
    return undefined;
  }
}

function treesDigest(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const f of files) part(hash, f, readFileSync(path.join(PACKAGE_ROOT, f)));
  return hash.digest('hex');
}

/** The stamp's digest when every file and directory it lists is as it was, else undefined. */
function stampedDigest(): string | undefined {
  try {
    const stamp = JSON.parse(readFileSync(BUILD_STAMP, 'utf8')) as { format?: unknown; paths?: unknown; identities?: unknown; digest?: unknown };
    if (stamp.format !== 2 || typeof stamp.digest !== 'string' || !Array.isArray(stamp.paths) || !stamp.paths.every((p) => typeof p === 'string')) return undefined;
    // A build's stamp lists every tree (whose directories' times tell of a file added or removed).
    if (!TREES.every(([tree]) => (stamp.paths as string[]).includes(tree))) return undefined;
    return identities(stamp.paths as string[]) === stamp.identities ? stamp.digest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the build stamp (the last step of `npm run build`). Nothing is written when a file changed while it was
 * hashed: processes then hash the trees themselves.
 */
export function writeBuildStamp(): void {
  // The stamp's own name first: creating it changes dist/'s times; writing it again in place does not.
  writeFileSync(BUILD_STAMP, '{}\n');
  const { files, dirs } = treeEntries();
  const paths = [...dirs, ...files];
  const before = identities(paths);
  const digest = treesDigest(files);
  if (before !== undefined && identities(paths) === before) writeFileSync(BUILD_STAMP, JSON.stringify({ format: 2, paths, identities: before, digest }) + '\n');
}

/**
 * The generator build: package.json, the compiled code (`dist/`), the sources (`src/`, with the Python runtime
 * that generated packages copy), the default templates
 * and the installed dependency versions.
 * Computed once per process: a process runs one build.
 */
export function generatorFingerprint(): string {
  if (generatorMemo) return generatorMemo;
  const hash = createHash('sha256');
  let pkg: { dependencies?: Record<string, string> } = {};
  try {
    const text = readFileSync(path.join(PACKAGE_ROOT, 'package.json'));
    part(hash, 'package.json', text);
    pkg = JSON.parse(text.toString('utf8')) as typeof pkg;
  } catch {
    part(hash, 'package.json', '');
  }
  // Both trees, whichever runs: the compiled code, and the sources (in a checkout; an installed package holds
  // only src/runtime, which generated code embeds). A build and its sources then fingerprint alike whether run
  // compiled or from source, and an edited source not yet compiled still counts as another build.
  part(hash, 'trees', stampedDigest() ?? treesDigest(treeEntries().files));
  part(hash, 'dependencies', dependencyVersions(pkg.dependencies ?? {}).join('\n'));
  return (generatorMemo = hash.digest('hex'));
}

/** The trees' digest as hashed now, and as the build stamp has it (tests compare the two). */
export function treesDigests(): { hashed: string; stamped: string | undefined } {
  return { hashed: treesDigest(treeEntries().files), stamped: stampedDigest() };
}

/**
 * The fingerprint of a run's inputs, or undefined when one cannot be read as it stands (a missing COMMANDS.md,
 * a FIFO, a template directory that loops): the full run reports that with its diagnostics.
 */
export function inputsFingerprint(o: FingerprintSource): string | undefined {
  const hash = createHash('sha256');
  part(hash, 'fingerprint', 'simplex-api-codegen inputs 1');
  part(hash, 'generator', generatorFingerprint());
  const options = {
    targets: TARGETS.filter((t) => o.targets.includes(t)),
    era: o.era,
    pythonPackage: o.pythonPackage,
    pythonDistName: o.pythonDistName ?? null,
    pythonDistVersion: o.pythonDistVersion,
    modelPositions: o.modelPositions === true,
    gitattributes: o.gitattributes === true,
    openUnions: o.openUnions === true,
    importExtension: o.importExtension ?? 'js',
    formatters: o.formatters.map((f) => [f.target, ...f.argv]),
  };
  part(hash, 'options', JSON.stringify(options));
  part(hash, 'config', o.configText ?? '');
  for (const kind of ['COMMANDS', 'TYPES', 'EVENTS']) {
    const read = readRegularFile(path.join(o.spec, `${kind}.md`));
    if ('problem' in read) {
      if (read.problem.kind === 'missing' && kind !== 'COMMANDS') part(hash, kind, '(absent)');
      else return undefined;
    } else part(hash, kind, read.bytes);
  }
  for (const entry of o.history ?? []) {
    part(hash, 'history', entry.label);
    if (entry.spec !== undefined)
      for (const kind of ['COMMANDS', 'TYPES', 'EVENTS']) {
        const read = readRegularFile(path.join(entry.spec, `${kind}.md`));
        part(hash, kind, 'problem' in read ? '(absent)' : read.bytes);
      }
    else if (entry.revision !== undefined) {
      // The tree's object name is a hash of its content: the documents at that revision, without reading them.
      const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', entry.revision], { cwd: o.cwd ?? process.cwd(), encoding: 'utf8' });
      if (r.status !== 0) return undefined;
      part(hash, 'revision', r.stdout.trim());
    }
  }
  if (o.templatesDir !== undefined) {
    let files: string[];
    let loops = false;
    try {
      files = listTemplateFiles(o.templatesDir, () => (loops = true));
    } catch {
      return undefined;
    }
    if (loops) return undefined;
    for (const rel of files) {
      const read = readRegularFile(path.join(o.templatesDir, rel));
      if ('problem' in read) return undefined;
      part(hash, `template ${rel}`, read.bytes);
    }
  }
  return hash.digest('hex');
}

/** Configuration files that formatters read, looked for in the output directory and every directory above it. */
const FORMATTER_CONFIG_FILES = [
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.json5',
  '.prettierrc.yaml',
  '.prettierrc.yml',
  '.prettierrc.toml',
  '.prettierrc.js',
  '.prettierrc.cjs',
  '.prettierrc.mjs',
  'prettier.config.js',
  'prettier.config.cjs',
  'prettier.config.mjs',
  '.prettierignore',
  '.editorconfig',
  'pyproject.toml',
  'setup.cfg',
  'tox.ini',
  '.flake8',
  'ruff.toml',
  '.ruff.toml',
  'biome.json',
  'dprint.json',
];

/** The nearest `node_modules/.package-lock.json` (npm's record of the installed tree) at or above `dir`. */
function installedTree(dir: string): Buffer | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      return readFileSync(path.join(d, 'node_modules', '.package-lock.json'));
    } catch {
      if (path.dirname(d) === d) return undefined;
    }
  }
}

/** A command's executable as PATH resolves it (a name with a slash is taken as a path from `cwd`). */
function executable(name: string, cwd: string): string | undefined {
  const candidates = name.includes('/') ? [path.resolve(cwd, name)] : (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, name));
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return realpathSync(c);
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Executables up to this size are known by their bytes; larger ones (node itself: about 100 MB) by identity. */
export const EXECUTABLE_BYTES_HASHED = 1 << 20;

/**
 * What stands for a formatter's executable in the key: its bytes (a script, a launcher), or for a large binary its
 * size, inode, and modification and change times, as ccache knows a compiler by default. Reading node's 100 MB on
 * every check took 0.35 s of CPU; an upgrade or reinstall writes a new file, which changes these.
 */
function executableIdentity(exe: string): Buffer | string {
  try {
    const stat = statSync(exe, { bigint: true });
    if (stat.size <= BigInt(EXECUTABLE_BYTES_HASHED)) return readFileSync(exe);
    return `(size ${stat.size}, inode ${stat.dev}:${stat.ino}, modified ${stat.mtimeNs}, changed ${stat.ctimeNs})`;
  } catch {
    return '(unreadable)';
  }
}

const readOr = (file: string): Buffer | string => {
  try {
    return readFileSync(file);
  } catch {
    return '(unreadable)';
  }
};

/**
 * The key of this machine's cache (see store.ts): the inputs fingerprint, and what a commit cannot show but the
 * output depends on here: the installed dependency tree of the generator and of the project (npm's
 * `node_modules/.package-lock.json`, the lockfile), and for each formatter its executable (executableIdentity),
 * the files its command names, and the configuration files it would read. Never written into the output.
 */
export function cacheKeyOf(fingerprint: string, o: FingerprintSource): string {
  const hash = createHash('sha256');
  part(hash, 'fingerprint', fingerprint);
  part(hash, 'generator tree', installedTree(PACKAGE_ROOT) ?? '(none)');
  part(hash, 'generator lockfile', readOr(path.join(PACKAGE_ROOT, 'package-lock.json')));
  const cwd = o.cwd ?? process.cwd();
  if (o.formatters.length) {
    part(hash, 'project tree', installedTree(cwd) ?? '(none)');
    for (const f of o.formatters) {
      const [command, ...args] = f.argv;
      const exe = command === undefined ? undefined : executable(command, cwd);
      part(hash, `formatter ${f.target}`, exe === undefined ? '(not found)' : exe);
      if (exe !== undefined) part(hash, `formatter ${f.target} executable`, executableIdentity(exe));
      for (const a of args) {
        const file = path.resolve(cwd, a);
        if (existsSync(file) && statSync(file).isFile()) part(hash, `formatter file ${a}`, readOr(file));
      }
    }
    const dirs: string[] = [];
    for (let d = path.resolve(o.out ?? cwd); ; d = path.dirname(d)) {
      dirs.push(d);
      if (path.dirname(d) === d) break;
    }
    for (const d of dirs)
      for (const name of FORMATTER_CONFIG_FILES) {
        const file = path.join(d, name);
        if (existsSync(file)) part(hash, `config ${file}`, readOr(file));
      }
  }
  return hash.digest('hex');
}
