// Loaded with `node --import` by the process-level writer tests: slows or kills the CLI at a chosen rename.
//   SAC_RENAME_DELAY_MS=n   every renameSync blocks n ms first (a slow disk; widens every race window)
//   SAC_KILL_AT_RENAME=n    the n-th renameSync kills the process with SIGKILL before it happens
//   SAC_SIGNAL_AT_RENAME=n:SIG  the n-th renameSync first sends the process SIG (handled at the next turn)
//   SAC_COUNT_RENAMES=file  the number of renames is written to file at exit
//   SAC_RENAME_WAIT_FOR=file  every renameSync first blocks until file exists (at most 60 s): the test decides when
//   SAC_MARK_OPEN=name      the first openSync of a file of that name writes "sac-hook: opened name" to stderr: the
//                           test learns that the run has come to reading it
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const delay = Number(process.env.SAC_RENAME_DELAY_MS ?? 0);
const killAt = Number(process.env.SAC_KILL_AT_RENAME ?? 0);
const countFile = process.env.SAC_COUNT_RENAMES;
const [signalAt, signalName] = (process.env.SAC_SIGNAL_AT_RENAME ?? '0:').split(':');
const waitFor = process.env.SAC_RENAME_WAIT_FOR;
const real = fs.renameSync;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let renames = 0;
fs.renameSync = (...args) => {
  renames++;
  if (killAt && renames === killAt) process.kill(process.pid, 'SIGKILL');
  if (Number(signalAt) && renames === Number(signalAt)) process.kill(process.pid, signalName);
  if (delay) Atomics.wait(sleeper, 0, 0, delay);
  for (let waited = 0; waitFor && !fs.existsSync(waitFor) && waited < 60_000; waited += 5) Atomics.wait(sleeper, 0, 0, 5);
  return real(...args);
};
const markOpen = process.env.SAC_MARK_OPEN;
if (markOpen) {
  const realOpen = fs.openSync;
  let marked = false;
  fs.openSync = (...args) => {
    if (!marked && String(args[0]).split('/').pop() === markOpen) {
      marked = true;
      fs.writeSync(2, `sac-hook: opened ${markOpen}\n`);
    }
    return realOpen(...args);
  };
}
if (countFile) process.on('exit', () => fs.writeFileSync(countFile, String(renames)));
syncBuiltinESMExports();
