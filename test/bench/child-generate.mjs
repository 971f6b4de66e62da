// One cold `generate` in this process, reporting its own time and peak memory (for the scaling benchmark).
const started = performance.now();
const { main } = await import('../../dist/cli/main.js');
let stderr = '';
const code = await main(['node', 'simplex-api-codegen', 'generate', '--spec', process.argv[2], '--out', process.argv[3]], {
  stdout: () => {},
  stderr: (s) => void (stderr += s),
  color: false,
  cwd: process.cwd(),
});
if (code !== 0) {
  process.stderr.write(stderr);
  process.exit(code);
}
process.stdout.write(JSON.stringify({ ms: performance.now() - started, maxRssKiB: process.resourceUsage().maxRSS }) + '\n');
