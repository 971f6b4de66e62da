#!/usr/bin/env node
// The CLI entry point: runs the compiled CLI and turns anything unexpected into one line, not a stack trace.
import { existsSync } from 'node:fs';
// The build's bundle of the CLI (a few files in place of ~200 modules: about a quarter of a second less to start
// a generate on a slow machine), or the modules themselves when the build could not bundle them.
const bundled = new URL('../dist/bundle/main.js', import.meta.url);
const entry = existsSync(bundled) ? bundled : new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('simplex-api-codegen: not built yet; run `npm ci` (or `npm run build`) in the package first\n');
  process.exit(2);
}
// A reader that stops early (`simplex-api-codegen --help | head`) closes the pipe: stop quietly, as other tools do.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
const { main } = await import(entry.href);
try {
  process.exitCode = await main(process.argv);
} catch (e) {
  process.stderr.write(`simplex-api-codegen: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.SIMPLEX_API_CODEGEN_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
  process.exitCode = 70;
}
