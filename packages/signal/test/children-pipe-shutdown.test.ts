import { afterEach, describe, expect, it } from '@jest/globals';
import { sendSignal } from '@ipc/signal';
import { killFixtures, startFixture } from './helpers/fixture-process.js';
import { isRunning } from './helpers/proc-state.js';

// The fixture imports the BUILT @ipc/pipe (a devDependency only: @ipc/signal never loads it, it just
// accepts the `{ child }` objects that spawnChannel returns).
const grandchildren: number[] = [];
afterEach(() => {
  killFixtures();
  for (const pid of grandchildren.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
});

describe('propagateShutdown with children started by @ipc/pipe', () => {
  it('a parent with three spawnChannel children, one ignoring SIGTERM: shutdown ends all three', async () => {
    const grace = 1000;
    const parent = startFixture('children-parent.mjs', ['pipe', String(grace)]);
    const pids = (await parent.line(/^pids /)).split(' ').slice(1).map(Number);
    grandchildren.push(...pids);
    await parent.line('ready');
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(isRunning(pid)).toBe(true);

    sendSignal(parent.pid, 'SIGTERM');
    // Bounded by the children cleanup's own budget (grace + killWait + margin) and, failing that, by the
    // test's timeout below; no clock is read here.
    expect(await parent.exited).toEqual({ code: 143, signal: null });
    for (const pid of pids) expect(isRunning(pid)).toBe(false);
    expect(parent.lines.slice(-2)).toEqual(['stopping children', 'children stopped']);
    // The children cleanup's budget is grace + 1 s (killWait 500 + 500 margin): it did not run out.
    expect(parent.stderr()).not.toContain('timed out');
  }, 15_000);
});
