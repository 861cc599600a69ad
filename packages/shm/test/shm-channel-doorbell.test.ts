import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { entriesStartingWith, entryStartingWith, uniqueName } from '@ipc/core/testing';
import { cleanupStale, SharedMemory, ShmChannel } from '@ipc/shm';
import { FIXTURES, leftovers } from './helpers.js';

/** Header word of a ring: "the writer rings doorbells" (see ring.ts). */
const W_RINGS_BELLS = 47;

/** The doorbells (FIFOs in /dev/shm) of the process `pid`. */
const bellsOf = (pid: number): string[] => entriesStartingWith('/dev/shm', `.ipc-shm-${pid}-bell-`);

/** Waits until the process `pid` has made a doorbell (one of its calls went to sleep). */
const bellOf = (pid: number): Promise<string> => entryStartingWith('/dev/shm', `.ipc-shm-${pid}-bell-`);

async function echoPeer(name: string, codec = 'msgpack'): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(FIXTURES, 'echo-peer.mjs'), name], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, IPC_SPIN_MICROS: '0', IPC_CODEC: codec },
  });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  expect(chunk.toString()).toBe('ready\n');
  return child;
}

/** Closes `channel`; the echoing peer then ends its loop, closes its side and exits cleanly. */
async function closeWithPeer(channel: { close(): Promise<void> }, child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  await channel.close();
  expect(await exited).toEqual([0, null]);
}

/** SIGKILLs the peer (its doorbell stays behind) and waits until it is gone. */
async function killPeer(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

async function roundTrips(channel: ShmChannel<number>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await channel.send(i);
    expect(await channel.recv()).toBe(i);
  }
}

describe('ShmChannel doorbells (a sleeping receiver woken through a FIFO its event loop polls)', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it('wakes sleeping receivers of both processes by their doorbells, owner-only, removed on close', async () => {
    const channel = ShmChannel.create<number>(uniqueName(), { spinMicros: 0 });
    const child = await echoPeer(channel.segment.name);
    await roundTrips(channel, 500);
    const mine = bellsOf(process.pid);
    const theirs = bellsOf(child.pid!);
    expect(mine).toHaveLength(1);
    expect(theirs).toHaveLength(1);
    const st = statSync(`/dev/shm/${theirs[0]!}`);
    expect(st.isFIFO()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    await closeWithPeer(channel, child);
    expect(bellsOf(process.pid)).toEqual([]);
    expect(bellsOf(child.pid!)).toEqual([]);
  }, 60_000);

  it('goes back to the futex when the writer cannot ring the doorbell (it was removed), losing nothing', async () => {
    const channel = ShmChannel.create<number>(uniqueName(), { spinMicros: 0 });
    const child = await echoPeer(channel.segment.name);
    // The peer sleeps by its doorbell before the first message; take its name away.
    unlinkSync(`/dev/shm/${await bellOf(child.pid!)}`);
    await roundTrips(channel, 200);
    await closeWithPeer(channel, child);
  }, 60_000);

  it('sleeps on the futex when its writer does not ring doorbells (an older @ipc/shm)', async () => {
    const channel = ShmChannel.create<number>(uniqueName(), { spinMicros: 0 });
    // The creator writes the first ring; make it look like a writer that never announced doorbells.
    const view = SharedMemory.open(channel.segment.name);
    Atomics.store(new Int32Array(view.buffer, 0, 64), W_RINGS_BELLS, 0);
    view.close();
    const child = await echoPeer(channel.segment.name);
    await roundTrips(channel, 200);
    expect(bellsOf(child.pid!)).toEqual([]);
    await closeWithPeer(channel, child);
  }, 60_000);

  it('reclaims the doorbell of a receiver that was killed (cleanupStale)', async () => {
    const channel = ShmChannel.create<number>(uniqueName(), { spinMicros: 0 });
    const child = await echoPeer(channel.segment.name);
    const bell = await bellOf(child.pid!);
    await killPeer(child);
    expect(readdirSync('/dev/shm')).toContain(bell);
    expect(cleanupStale({ filter: (n) => n === bell })).toEqual([bell]);
    await channel.close();
  }, 60_000);

  it('removes its doorbells as its process exits without closing the channel (its peer still open)', async () => {
    const channel = ShmChannel.create<number>(uniqueName(), { spinMicros: 0 });
    const child = spawn(process.execPath, [join(FIXTURES, 'exit-unclosed.mjs'), channel.segment.name], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    expect(chunk.toString()).toBe('sleeping\n');
    expect(await exited).toEqual([0, null]);
    expect(bellsOf(child.pid!)).toEqual([]);
    await channel.close();
  }, 60_000);

  it('removes the doorbell of a peer that was killed when it closes', async () => {
    const channel = ShmChannel.create<number>(uniqueName(), { spinMicros: 0 });
    const child = await echoPeer(channel.segment.name);
    const bell = await bellOf(child.pid!);
    await killPeer(child);
    await channel.close();
    expect(readdirSync('/dev/shm')).not.toContain(bell);
  }, 60_000);

  it('wakes a sender waiting for room in a full ring by its doorbell, and delivers every byte', async () => {
    // A 4 KiB ring and 1 KiB messages: the sender keeps filling the ring and sleeping for room
    // (spinMicros 0), the echoing peer frees it; every message must come back, in order.
    const channel = ShmChannel.create<Uint8Array>(uniqueName(), {
      spinMicros: 0,
      capacity: 4096,
      codec: 'raw',
    });
    const child = await echoPeer(channel.segment.name, 'raw');
    const n = 400;
    const echoed = (async () => {
      for (let i = 0; i < n; i++) {
        const m = await channel.recv();
        expect(m.byteLength).toBe(1000);
        expect(m[0]).toBe(i & 0xff);
        expect(m[999]).toBe(i & 0xff);
      }
    })();
    for (let i = 0; i < n; i++) await channel.send(new Uint8Array(1000).fill(i & 0xff));
    await echoed;
    // This process's sender slept for room by its own doorbell (a 4 KiB ring holds 3 such messages),
    // beside its receiver's.
    expect(bellsOf(process.pid)).toHaveLength(2);
    expect(bellsOf(child.pid!).length).toBeGreaterThanOrEqual(1);
    await closeWithPeer(channel, child);
    expect(bellsOf(process.pid)).toEqual([]);
  }, 60_000);
});
