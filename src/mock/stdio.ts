/**
 * The mock chat core over a pair of streams (the CLI's `mock --stdio`: standard input and output), one JSON
 * frame per line each way: commands and control frames in; replies, events and control answers out. This is
 * how the generated Python package's MockCore runs the core without a port. Ends when the input ends.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { MockCore } from './core.js';
import { commandError, corrIdOf, type Frame } from './frames.js';

export async function serveStdio(core: MockCore, input: Readable, output: Writable): Promise<void> {
  const write = (frame: Frame) => {
    let text: string;
    try {
      text = core.frameText(frame);
    } catch (e) {
      text = JSON.stringify({ ...(frame.corrId === undefined ? {} : { corrId: frame.corrId }), resp: commandError(`the mock chat core cannot write its answer: ${(e as Error).message}`) });
    }
    output.write(text + '\n');
  };
  const unsubscribe = core.subscribe(write);
  for (const f of core.onConnect()) write(f);
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let frames: Frame[];
      try {
        frames = core.answerFrame(line).frames;
      } catch (e) {
        const corrId = corrIdOf(line);
        frames = [{ resp: commandError(`the mock chat core failed: ${(e as Error).message}`), ...(corrId === undefined ? {} : { corrId }) }];
      }
      for (const f of frames) write(f);
    }
  } finally {
    unsubscribe();
  }
}
