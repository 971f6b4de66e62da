/** `mock`: the mock chat core over WebSocket or standard input and output, until a signal or its parent ends it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { diagnostic, DiagnosticCodes, hasErrors } from '../diagnostics/diagnostic.js';
import { EXIT, type Cli } from './context.js';
import { commonOptions, modelCacheFlags, modelCacheOptions, parseFrameBytes, parsePort, parseSeed, resolveRunOptions } from './options.js';
import { stopRequested } from './signals.js';

export function addMockCommand(program: Command, cli: Cli): void {
  modelCacheFlags(commonOptions(program.command('mock')))
    .description('serve a stand-in chat core over WebSocket (or --stdio): commands parsed as the generated parsers read them, run on a world of users, contacts, groups and items (simulated peers act on it too), answered as the documents say, or by a scenario')
    .addOption(new Option('--port <n>', 'port to listen on (the chat core uses 5225; 0 picks a free one)').default(5225).argParser(parsePort))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--scenario <file>', 'JSON scenario: onConnect events, rules that answer commands, peer actions (schema/scenario.schema.json)')
    .option('--stdio', 'serve over standard input and output (one JSON frame per line) instead of a port: the Python MockCore runs it so')
    .option('--stateless', 'keep no world: answer every command from the documents alone')
    .option('--record <file>', 'append every frame in and out to this file as JSON lines (direction, time offset)')
    .addOption(new Option('--seed <n>', 'seed of the values drawn for answers').default(0).argParser(parseSeed))
    .addOption(new Option('--max-frame-bytes <n>', 'largest frame answered; a larger one gets chatCmdError with its corrId').default(8 * 1024 * 1024).argParser(parseFrameBytes))
    .action(async (_opts: unknown, cmd: Command) => {
      // Who started this process, taken before the model is built (a second or more): a launcher that dies
      // meanwhile must not leave the server thinking init started it.
      const startedBy = launchersOf(process.ppid);
      const run = resolveRunOptions(cli, cmd);
      const opts = cmd.opts();
      // Started again and again on the same documents (each bot test): the built model comes from the cache.
      const { buildModelFromDirCached, modelCacheOf } = await import('../cache/models.js');
      const spec = buildModelFromDirCached(run.spec, modelCacheOf(modelCacheOptions(opts, cli.io.cwd)), run.specShown, run.specHint);
      if (hasErrors(spec.diagnostics)) {
        cli.report(spec.diagnostics);
        cli.exitCode = EXIT.INVALID;
        return;
      }
      const { MockCore } = await import('../mock/core.js');
      const { loadScenario } = await import('../mock/scenario.js');
      const { startMockServer } = await import('../mock/server.js');
      const coreOptions = { world: opts.stateless !== true };
      let core = new MockCore(spec.model, opts.seed as number, undefined, coreOptions);
      if (opts.scenario !== undefined) {
        const loaded = loadScenario(path.resolve(cli.io.cwd, opts.scenario as string), opts.scenario as string, core);
        if (!loaded.scenario) {
          cli.report(loaded.diagnostics);
          cli.say('the mock chat core did not start: the scenario has errors\n');
          cli.exitCode = EXIT.INVALID;
          return;
        }
        core = new MockCore(spec.model, opts.seed as number, loaded.scenario, coreOptions);
      }
      core.onWarning = (message) => cli.io.stderr(`warning: ${message}\n`);
      if (opts.stdio === true) {
        const { serveStdio } = await import('../mock/stdio.js');
        // Its input ends when the parent closes it, or when the parent is gone.
        void parentGone(startedBy).then(() => process.stdin.destroy());
        await serveStdio(core, process.stdin, process.stdout);
        return;
      }
      const record = opts.record === undefined ? undefined : path.resolve(cli.io.cwd, opts.record as string);
      const { checkRecordPath } = await import('../mock/server.js');
      const recordProblem = record === undefined ? undefined : checkRecordPath(record);
      if (recordProblem !== undefined) {
        cli.report([diagnostic(DiagnosticCodes.RECORD_PATH, opts.record as string, undefined, `--record: ${recordProblem}`, { expected: 'a regular file, or a new file in an existing directory (not a link)' })]);
        cli.say('the mock chat core did not start\n');
        cli.exitCode = EXIT.INVALID;
        return;
      }
      let server;
      try {
        server = await startMockServer(core, {
          host: opts.host as string,
          port: opts.port as number,
          record,
          maxFrameBytes: opts.maxFrameBytes as number,
          onRecordError: (message) => cli.io.stderr(`warning: ${message}\n`),
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        cli.io.stderr(`error: cannot listen on ${opts.host}:${opts.port}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}\n`);
        cli.exitCode = EXIT.INVALID;
        return;
      }
      cli.io.stdout(`listening on ws://${server.host}:${server.port}\n`);
      // A signal, or the end of the process that started this one (`npx` killed by a test: no orphan is left).
      await Promise.race([cli.io.stopSignal ?? stopRequested(), parentGone(startedBy)]);
      await server.close();
      cli.say('the mock chat core stopped\n');
    });;
}

/**
 * Resolves when the process that started this one is gone: this one then has another parent. (`npx` does not pass
 * a TERM or INT on to the command it runs.)
 */
function parentGone({ parent, wrappers }: StartedBy): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (process.ppid === parent && wrappers.every((w) => parentOf(w.pid) === w.parent)) return;
      clearInterval(timer);
      resolve();
    }, 200);
    timer.unref();
  });
}

/** The process that started this one, and the launchers above it, each with the parent it had. */
interface StartedBy {
  parent: number;
  wrappers: { pid: number; parent: number }[];
}

function launchersOf(parent: number): StartedBy {
  return { parent, wrappers: launcherChain(parent) };
}

/** The parent process id of `pid` from /proc (Linux), or undefined when it is gone or cannot be read. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last ")".
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/**
 * The launchers between this process and whoever ran them: `npx` runs `npm exec`, which runs `sh -c`, which runs
 * this. A TERM to npx ends npm, and the shell may outlive it for a moment or for good; the process that started this
 * one has then not changed, but the launcher above it is gone. Each is watched with the parent it had.
 */
function launcherChain(parent: number): { pid: number; parent: number }[] {
  const chain: { pid: number; parent: number }[] = [];
  for (let pid = parent; chain.length < 4; ) {
    let command: string;
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      break;
    }
    const up = parentOf(pid);
    if (up === undefined || !/^(?:(?:\S*\/)?(?:sh|dash|bash) -c |npm (?:exec|x|run|run-script) |(?:\S*\/)?node \S*np[mx]-cli\.js )/.test(command)) break;
    chain.push({ pid, parent: up });
    pid = up;
  }
  return chain;
}

