/** Watch mode's order of regenerations: gathered after a pause, one at a time, superseded by newer events. */
import { describe, expect, it } from 'vitest';
import { Regenerations, type Regenerate } from '../../src/cli/regenerations.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A regeneration that takes `ms` and, like the watcher's, gives up when superseded before it ends. */
function recorder(ms: number) {
  const runs: { changed: string[]; outcome: 'done' | 'superseded' }[] = [];
  const regenerate: Regenerate = async (changed, superseded) => {
    await sleep(ms);
    const outcome = superseded.aborted ? 'superseded' : 'done';
    runs.push({ changed, outcome });
    return outcome === 'done' ? true : undefined;
  };
  return { runs, regenerate };
}

describe('Regenerations', () => {
  it('gathers the events of one save into one regeneration, after the pause', async () => {
    const { runs, regenerate } = recorder(1);
    const done: boolean[] = [];
    const r = new Regenerations(regenerate, (ok) => done.push(ok), 20);
    r.changed('spec/COMMANDS.md');
    r.changed('spec/TYPES.md');
    r.changed('spec/COMMANDS.md');
    await sleep(5);
    expect(runs).toEqual([]);
    await sleep(60);
    await r.stop();
    expect(runs).toEqual([{ changed: ['spec/COMMANDS.md', 'spec/TYPES.md'], outcome: 'done' }]);
    expect(done).toEqual([true]);
  });

  it('an event during a regeneration supersedes it: the next one runs with both files, and only it is reported', async () => {
    const { runs, regenerate } = recorder(60);
    const done: boolean[] = [];
    const r = new Regenerations(regenerate, (ok) => done.push(ok), 2);
    r.changed('spec/COMMANDS.md');
    await sleep(25); // the first regeneration is under way
    r.changed('spec/TYPES.md');
    await sleep(200);
    await r.stop();
    expect(runs).toEqual([
      { changed: ['spec/COMMANDS.md'], outcome: 'superseded' },
      { changed: ['spec/COMMANDS.md', 'spec/TYPES.md'], outcome: 'done' },
    ]);
    expect(done).toEqual([true]);
  });

  it('runs one regeneration at a time, and a finished one is not superseded', async () => {
    let active = 0;
    let most = 0;
    const runs: string[][] = [];
    const r = new Regenerations(async (changed, superseded) => {
      most = Math.max(most, ++active);
      await sleep(10);
      active--;
      runs.push(changed);
      return superseded.aborted ? undefined : true;
    }, () => {}, 1);
    for (const f of ['a', 'b', 'c']) {
      r.changed(f);
      await sleep(30); // each regeneration ends before the next event
    }
    await r.stop();
    expect(most).toBe(1);
    expect(runs).toEqual([['a'], ['b'], ['c']]);
  });

  it('stop waits for the regeneration under way and starts none after', async () => {
    const { runs, regenerate } = recorder(30);
    const r = new Regenerations(regenerate, () => {}, 1);
    r.changed('a');
    await sleep(10);
    r.changed('b'); // supersedes "a"; its pause has not ended when stop comes
    await r.stop();
    await sleep(20);
    expect(runs).toEqual([{ changed: ['a'], outcome: 'superseded' }]);
  });
});
