/**
 * Signals. Outside a write the default disposition applies: SIGINT and SIGTERM end the process at once, and
 * there is nothing to undo (the output is untouched until the write starts). While a write runs they abort it
 * instead, so that it is undone rather than cut off midway; the command then exits 130 or 143.
 */

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
export type StopSignal = (typeof SIGNALS)[number];

/** The exit code of a process stopped by a signal, as shells report it. */
export const signalExitCode = (signal: StopSignal): number => 128 + (signal === 'SIGINT' ? 2 : 15);

/** Runs `work` with an AbortSignal that SIGINT and SIGTERM abort; reports which signal arrived, if any. */
export async function whileInterruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<{ result: T; interrupted?: StopSignal } | { error: unknown; interrupted?: StopSignal }> {
  const controller = new AbortController();
  let interrupted: StopSignal | undefined;
  const handlers = SIGNALS.map((sig) => {
    const handler = () => {
      interrupted ??= sig;
      controller.abort();
    };
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  try {
    return { result: await work(controller.signal), interrupted };
  } catch (error) {
    return { error, interrupted };
  } finally {
    for (const [sig, handler] of handlers) process.off(sig, handler);
  }
}

/** Resolves on the first SIGINT or SIGTERM (watch mode and the mock server stop cleanly on it). */
export function stopRequested(): Promise<StopSignal> {
  return new Promise((resolve) => {
    const handlers = SIGNALS.map((sig) => {
      const handler = () => {
        for (const [s, h] of handlers) process.off(s, h);
        resolve(sig);
      };
      process.on(sig, handler);
      return [sig, handler] as const;
    });
  });
}
