import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { entriesStartingWith, entryStartingWith, uniqueName } from '@ipc/core/testing';
import { createQueue } from '@ipc/queue';
import { exited, fixture, segments } from './helpers.js';

const PREFIX = `ipcq-bell-${process.pid}`;

/** The doorbells (FIFOs in /dev/shm) of the process `pid`. */
const bellsOf = (pid: number): string[] => entriesStartingWith('/dev/shm', `.ipc-shm-${pid}-bell-`);

/** Waits until the process `pid` has made a doorbell (one of its calls went to sleep). */
const bellOf = (pid: number): Promise<string> => entryStartingWith('/dev/shm', `.ipc-shm-${pid}-bell-`);

/** A child holding the queue open: `get()` asks it for one message, `stats()` for its futex waits. */
function getter(name: string): {
  child: ChildProcess;
  get: () => Promise<unknown>;
  stats: () => Promise<{ pending: number }>;
} {
  const child = fixture('sleeping-getter.mjs', [name]);
  // Replies by kind: a get's comes when it resolves, after any number of stats replies.
  const waiting = new Map<string, ((value: unknown) => void)[]>([
    ['opened', []],
    ['got', []],
    ['stats', []],
  ]);
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const space = line.indexOf(' ');
    const tag = space < 0 ? line : line.slice(0, space);
    waiting.get(tag)?.shift()?.(space < 0 ? undefined : JSON.parse(line.slice(space + 1)));
  });
  const reply = (tag: string): Promise<unknown> => new Promise((resolve) => waiting.get(tag)!.push(resolve));
  const opened = reply('opened');
  const ask = async (command: string, tag: string): Promise<unknown> => {
    await opened;
    const answer = reply(tag);
    child.stdin!.write(`${command}\n`);
    return answer;
  };
  return {
    child,
    get: () => ask('get', 'got'),
    stats: () => ask('stats', 'stats') as Promise<{ pending: number }>,
  };
}

describe('queue doorbells (a sleeping get is woken through a FIFO its event loop polls)', () => {
  afterAll(() => expect(segments(PREFIX)).toEqual([]));

  it('wakes a get asleep in another process by its doorbell (with the queue mode); a killed one is removed at close', async () => {
    const queue = createQueue<string>(uniqueName(PREFIX), { spinMicros: 0, mode: 0o640 });
    const { child, get, stats } = getter(queue.name);
    try {
      for (let i = 0; i < 20; i++) {
        // The get sleeps (its doorbell is made at its first sleep), and not on the futex.
        const got = get();
        const bell = await bellOf(child.pid!);
        expect(statSync(`/dev/shm/${bell}`).mode & 0o777).toBe(0o640);
        const { pending } = await stats();
        expect(pending).toBe(0);
        await queue.put(`m${i}`);
        expect(await got).toBe(`m${i}`);
      }
      expect(bellsOf(child.pid!)).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
      await exited(child);
      await queue.close();
    }
    // SIGTERM ran no exit handler; the survivor's close removed what the dead holder left.
    expect(bellsOf(child.pid!)).toEqual([]);
  }, 60_000);

  it('still delivers when the doorbell was removed by hand (the sleeper goes back to the futex)', async () => {
    const queue = createQueue<string>(uniqueName(PREFIX), { spinMicros: 0 });
    const { child, get } = getter(queue.name);
    try {
      const first = get();
      unlinkSync(`/dev/shm/${await bellOf(child.pid!)}`);
      await queue.put('a');
      expect(await first).toBe('a');
      for (const m of ['b', 'c', 'd']) {
        const got = get();
        await sleep(20);
        await queue.put(m);
        expect(await got).toBe(m);
      }
    } finally {
      child.kill('SIGKILL');
      await exited(child);
      await queue.close();
    }
  }, 60_000);

  it('removes the doorbell of a put killed asleep that a later get failed to ring, at the last close', async () => {
    // A 4 MiB message fills an 8 MiB ring: the producer's second put sleeps on its doorbell.
    const queue = createQueue<Uint8Array>(uniqueName(PREFIX), { capacityBytes: 8 << 20, codec: 'raw' });
    const producer = fixture('big-producer.mjs', [queue.name]);
    const ready = (async () => {
      for await (const chunk of producer.stdout!) if (String(chunk).includes('ready')) return;
    })();
    await ready;
    producer.stdin!.write('go\n');
    const bell = await bellOf(producer.pid!);
    producer.kill('SIGKILL');
    await exited(producer);
    // Freeing room wakes the sleeping puts: the dead producer's doorbell cannot be rung.
    expect((await queue.get()).byteLength).toBe(4 << 20);
    expect(readdirSync('/dev/shm')).toContain(bell);
    await queue.close();
    expect(readdirSync('/dev/shm')).not.toContain(bell);
  }, 60_000);

  it('removes the doorbell of a process killed while it slept, at the close of the last user', async () => {
    const queue = createQueue<string>(uniqueName(PREFIX), { spinMicros: 0 });
    const { child, get } = getter(queue.name);
    void get().catch(() => undefined);
    const bell = await bellOf(child.pid!);
    child.kill('SIGKILL');
    await exited(child);
    expect(readdirSync('/dev/shm')).toContain(bell);
    await queue.close();
    expect(readdirSync('/dev/shm')).not.toContain(bell);
  }, 60_000);
});
