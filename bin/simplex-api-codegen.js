#!/usr/bin/env node
// The CLI entry point: runs the compiled CLI and turns anything unexpected into one line, not a stack trace.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// The build's bundle of the CLI (one file in place of ~200 modules) with V8's code cache of it (see
// src/cli/bundleLoader.ts), or the modules themselves when the package was not built with it.
const bundle = fileURLToPath(new URL('../dist/bundle/cli.cjs', import.meta.url));
const loader = new URL('../dist/cli/bundleLoader.js', import.meta.url);
const modules = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(modules)) {
  process.stderr.write('simplex-api-codegen: not built yet; run `npm ci` (or `npm run build`) in the package first\n');
  process.exit(2);
}
// A reader that stops early (`simplex-api-codegen --help | head`) closes the pipe: stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
const debug = Boolean(process.env.SIMPLEX_API_CODEGEN_DEBUG);
let main;
if (existsSync(bundle)) {
  const loaded = (await import(loader.href)).loadBundle(bundle);
  if (debug) process.stderr.write(`simplex-api-codegen: running ${bundle}, code cache ${loaded.cache}\n`);
  main = loaded.exports.main;
} else ({ main } = await import(modules.href));
try {
  process.exitCode = await main(process.argv);
} catch (e) {
  process.stderr.write(`simplex-api-codegen: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (debug) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
  process.exitCode = 70;
}
