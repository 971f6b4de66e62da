/**
 * One run at a time per output directory: a lock file created exclusively (`wx`), holding the owner's pid and
 * host. A lock whose owner is gone (same host, no such process) is stale and taken over; a live one is waited for.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import { DiagnosticCodes, diagnostic, DiagnosticsError } from '../diagnostics/diagnostic.js';
import type { Fs } from './fsTypes.js';

export const LOCK_FILE = '.simplex-api-codegen.lock';

interface LockOwner {
  pid: number;
  host: string;
}

export interface LockOptions {
  fs: Fs;
  /** How long to wait for another run to finish before giving up (milliseconds). */
  timeoutMs: number;
  /** The output directory as the user named it, for messages. */
  shown: string;
  /** Called once when the lock is held by another live process and this run starts waiting. */
  onWait?: (owner: LockOwner) => void;
  /** Stops the wait (SIGINT, SIGTERM). */
  signal?: AbortSignal;
}

/** Thrown when a write (or the wait for one) was aborted: everything it had done is undone. */
export class WriteCancelled extends Error {
  constructor() {
    super('the write was interrupted and undone');
  }
}

const POLL_MS = 25;

/** An empty or torn lock younger than this is being written by its owner right now. */
const TORN_GRACE_MS = 10_000;

interface HeldLock {
  text: string;
  /** Undefined while the lock file is empty or torn. */
  owner: LockOwner | undefined;
  mtimeMs: number;
}

function readOwner(fs: Fs, file: string): HeldLock | undefined {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // gone meanwhile
  }
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (typeof v.pid === 'number' && typeof v.host === 'string') return { text, owner: { pid: v.pid, host: v.host }, mtimeMs };
  } catch {
    /* empty or torn: created (exclusively) but not yet filled, or its writer died in between */
  }
  return { text, owner: undefined, mtimeMs };
}

/**
 * False only when the owner certainly no longer runs: same host and no such process, or a lock that stayed
 * empty or torn for longer than any owner takes to fill it.
 */
function alive(held: HeldLock): boolean {
  const { owner } = held;
  if (!owner) return Date.now() - held.mtimeMs < TORN_GRACE_MS;
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lock of `dir` (which must exist), waiting while a live process holds it. Returns the release
 * function. A lock left by a dead process is removed: only if it still holds what was read, so that two runs
 * that both found it stale cannot remove each other's fresh lock.
 */
export async function acquireLock(dir: string, options: LockOptions): Promise<() => void> {
  const { fs } = options;
  const file = path.join(dir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, host: hostname() }) + '\n';
  const deadline = Date.now() + options.timeoutMs;
  let waited = false;
  for (;;) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      return () => {
        const held = readOwner(fs, file);
        if (held?.text === mine) {
          try {
            fs.unlinkSync(file);
          } catch {
            /* already gone */
          }
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const held = readOwner(fs, file);
    if (held && !alive(held)) {
      if (readOwner(fs, file)?.text === held.text) {
        try {
          fs.unlinkSync(file);
        } catch {
          /* someone else removed it first */
        }
      }
      continue;
    }
    if (held?.owner && !waited) {
      waited = true;
      options.onWait?.(held.owner);
    }
    if (Date.now() >= deadline) throw lockTimeout(options, held?.owner);
    await sleep(POLL_MS);
    if (options.signal?.aborted) throw new WriteCancelled();
  }
}

/** Waits until no live process holds the lock of `dir` (for `check`, which reads but never writes). */
export async function awaitUnlocked(dir: string, options: LockOptions): Promise<void> {
  const file = path.join(dir, LOCK_FILE);
  const deadline = Date.now() + options.timeoutMs;
  let waited = false;
  for (;;) {
    const held = readOwner(options.fs, file);
    if (!held || !alive(held)) return;
    if (!waited && held.owner) {
      waited = true;
      options.onWait?.(held.owner);
    }
    if (Date.now() >= deadline) throw lockTimeout(options, held.owner);
    await sleep(POLL_MS);
  }
}

function lockTimeout(options: LockOptions, owner: LockOwner | undefined): DiagnosticsError {
  const who = owner ? `process ${owner.pid} on ${owner.host}` : 'another process';
  return new DiagnosticsError([
    diagnostic(DiagnosticCodes.OUTPUT_LOCKED, path.join(options.shown, LOCK_FILE), undefined, `${who} is writing "${options.shown}" and did not finish within ${Math.round(options.timeoutMs / 1000)} s`, {
      expected: 'one simplex-api-codegen run at a time per output directory',
      hint: `wait for it, raise --lock-timeout, or delete ${LOCK_FILE} if that process no longer runs`,
    }),
  ]);
}
