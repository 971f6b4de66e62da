/**
 * Build steps of `npm run build` after tsc: the CLI's bundle and its code cache (see cli/bundleLoader.ts).
 *
 * The bundle is one CommonJS file made by rolldown from dist/cli/main.js and its libraries (Handlebars stays
 * outside: it is loaded with `require`). `import.meta.url` becomes the bundle's own URL; the bundle sits two
 * folders below the package root like the modules it was made from, so the paths they resolve from it (the
 * templates, src/runtime, package.json) are the same.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadBundle } from '../cli/bundleLoader.js';
import type { Io } from '../cli/context.js';

export async function writeCliBundle(root: string): Promise<string> {
  const { rolldown } = await import('rolldown');
  const file = path.resolve(root, 'dist/bundle/cli.cjs');
  const bundle = await rolldown({
    input: path.resolve(root, 'dist/cli/main.js'),
    platform: 'node',
    external: [/^handlebars(\/|$)/],
    transform: { define: { 'import.meta.url': '__bundleUrl' } },
    logLevel: 'warn',
  });
  await bundle.write({ file, format: 'cjs', codeSplitting: false, banner: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' });
  await bundle.close();
  return file;
}

/**
 * Writes V8's code cache of the bundle after one `generate` of `specDir` with every target (into a temporary
 * directory, with a cache directory of its own): the functions a generate compiles are in it. Never fails the
 * build: without a cache (a spec with errors, say) the bin compiles the bundle as any script, and this says why.
 */
export async function writeCodeCache(file: string, specDir: string): Promise<boolean> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sac-code-cache-'));
  try {
    const loaded = loadBundle(file, path.join(tmp, 'none'));
    const main = loaded.exports['main'] as (argv: readonly string[], io: Io) => Promise<number>;
    let said = '';
    const quiet: Io = { stdout: () => {}, stderr: (s) => void (said += s), color: false, cwd: tmp };
    const code = await main(['node', 'simplex-api-codegen', 'generate', '--no-cache', '--cache-dir', path.join(tmp, 'cache'), '--spec', path.resolve(specDir), '--out', path.join(tmp, 'out')], quiet);
    if (code !== 0) {
      process.stderr.write(`build: no code cache for ${file}: the generate of ${specDir} it is made from exited ${code}\n${said}`);
      return false;
    }
    writeFileSync(`${file}.cache`, loaded.createCachedData());
    return true;
  } catch (e) {
    process.stderr.write(`build: no code cache for ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return false;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
