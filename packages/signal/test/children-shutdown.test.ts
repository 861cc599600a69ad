import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from '@jest/globals';
import { isIpcError } from '@ipc/core';
import { isAlive, sendSignal, stopChild, stopChildren } from '@ipc/signal';
import { killFixtures, startFixture } from './helpers/fixture-process.js';
import { isRunning } from './helpers/proc-state.js';

const spawned: ChildProcess[] = [];
const grandchildren: number[] = [];
afterEach(() => {
  killFixtures();
  for (const c of spawned.splice(0)) c.kill('SIGKILL');
  // If a test failed, the fixture's children may still run: leave nothing behind.
  for (const pid of grandchildren.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
});

async function worker(kind: 'polite' | 'stubborn'): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'child-worker.mjs'), kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  spawned.push(child);
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  expect(line).toBe('ready');
  return child;
}

describe('stopping children', () => {
  it('stopChild: SIGTERM is enough for a polite child', async () => {
    const child = await worker('polite');
    const result = await stopChild(child, { grace: 5000 });
    expect(result).toEqual({
      pid: child.pid,
      exitCode: null,
      signalCode: 'SIGTERM',
      forced: false,
      stopped: true,
    });
    expect(isAlive(child.pid!)).toBe(false);
  });

  it('stopChildren: a stubborn child gets SIGKILL after the grace period; all run in parallel', async () => {
    const children = await Promise.all([worker('polite'), worker('stubborn'), worker('polite')]);
    const results = await stopChildren(
      children.map((child) => ({ child })), // the { child } shape that @ipc/pipe returns
      { grace: 300 },
    );
    expect(results.map((r) => [r.signalCode, r.forced, r.stopped])).toEqual([
      ['SIGTERM', false, true],
      ['SIGKILL', true, true],
      ['SIGTERM', false, true],
    ]);
    for (const c of children) expect(isAlive(c.pid!)).toBe(false);
  });

  it('a child that already exited resolves at once; bad input is ERR_INVALID_ARGUMENT', async () => {
    const child = spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' });
    await once(child, 'exit');
    expect(await stopChild(child)).toMatchObject({ exitCode: 3, forced: false, stopped: true });
    const codes: unknown[] = [];
    for (const bad of [{}, null, { child: 42 }, { pid: 12 }]) {
      try {
        await stopChild(bad as never);
      } catch (err) {
        codes.push(isIpcError(err) ? err.code : err);
      }
    }
    expect(codes).toEqual(Array(4).fill('ERR_INVALID_ARGUMENT'));
    await expect(stopChild(child, { grace: -5 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(stopChild(child, { termSignal: 'SIGNOPE' as never })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
  });

  it('propagateShutdown: SIGTERM to a parent ends its three plain children (one ignores SIGTERM), then it exits 143', async () => {
    const parent = startFixture('children-parent.mjs', ['plain', '1000']);
    const pids = (await parent.line(/^pids /)).split(' ').slice(1).map(Number);
    grandchildren.push(...pids);
    await parent.line('ready');
    expect(pids).toHaveLength(3);
    for (const pid of pids) expect(isRunning(pid)).toBe(true);
    sendSignal(parent.pid, 'SIGTERM');
    expect(await parent.exited).toEqual({ code: 143, signal: null });
    // The parent returned from its shutdown: nothing it propagated to may still run.
    for (const pid of pids) expect(isRunning(pid)).toBe(false);
    expect(parent.lines.slice(-2)).toEqual(['stopping children', 'children stopped']);
    // The children cleanup's budget is grace + 1 s (killWait 500 + 500 margin): it did not run out.
    expect(parent.stderr()).not.toContain('timed out');
  });

  it('propagateShutdown: three children that all ignore SIGTERM are stopped in parallel, within one budget', async () => {
    const parent = startFixture('children-parent.mjs', ['plain', '1000', 'stubborn,stubborn,stubborn']);
    const pids = (await parent.line(/^pids /)).split(' ').slice(1).map(Number);
    grandchildren.push(...pids);
    await parent.line('ready');
    sendSignal(parent.pid, 'SIGTERM');
    expect(await parent.exited).toEqual({ code: 143, signal: null });
    // One after the other would need 3 x 1 s and overrun the grace + 1 s budget: a cleanup timeout, and
    // children still running when the parent exits.
    expect(parent.stderr()).not.toContain('timed out');
    for (const pid of pids) expect(isRunning(pid)).toBe(false);
  });

  it('propagateShutdown: a second signal SIGKILLs the children and exits at once', async () => {
    const parent = startFixture('children-parent.mjs', ['plain', '600000']);
    const pids = (await parent.line(/^pids /)).split(' ').slice(1).map(Number);
    grandchildren.push(...pids);
    await parent.line('ready');
    sendSignal(parent.pid, 'SIGTERM');
    await parent.line('stopping children');
    sendSignal(parent.pid, 'SIGINT');
    expect(await parent.exited).toEqual({ code: 130, signal: null });
    // SIGKILL was sent before exiting; the stubborn child may take a moment to be gone.
    for (const pid of pids) while (isRunning(pid)) await new Promise((r) => setTimeout(r, 10));
  }, 20_000);
});
