import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { ShmChannel, futexWaitStats } from '@ipc/shm';
import { FIXTURES, leftovers } from './helpers.js';

const ROUND_TRIPS = 1000;

describe('ShmChannel waits that sleep at once', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it('wakes a receiver that never spins (as on an oversubscribed machine) for every message of another process', async () => {
    // spinMicros 0 on both ends: every receive that finds the ring empty sleeps on the futex at once,
    // the path an oversubscribed machine takes; each round trip needs two wake-ups across processes.
    // A lost wake-up is only caught by the 100 ms liveness re-check, so losing them would make the
    // 1,000 round trips last past the test's limit.
    await using channel = ShmChannel.create<number>(uniqueName(), { spinMicros: 0 });
    const child = spawn(process.execPath, [join(FIXTURES, 'echo-peer.mjs'), channel.segment.name], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, IPC_SPIN_MICROS: '0' },
    });
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    expect(chunk.toString()).toBe('ready\n');
    for (let i = 0; i < ROUND_TRIPS; i++) {
      await channel.send(i);
      expect(await channel.recv()).toBe(i);
    }
    expect(futexWaitStats().pending).toBe(0);
    const exited = once(child, 'exit');
    await channel.close();
    expect(await exited).toEqual([0, null]);
  }, 60_000);
});
