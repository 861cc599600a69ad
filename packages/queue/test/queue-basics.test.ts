import { afterAll, expect, test } from '@jest/globals';
import { statSync } from 'node:fs';
import { uniqueName } from '@ipc/core/testing';
import { cleanupStale, createQueue, openQueue } from '@ipc/queue';
import { SharedMemory } from '@ipc/shm';
import { exited, fixture, lines, segments } from './helpers.js';

const PREFIX = `ipcq-basic-${process.pid}`;

afterAll(() => {
  expect(segments(PREFIX)).toEqual([]);
});

test('put/get in FIFO order, tryPut/tryGet, size/empty/full, bounded by count', async () => {
  const queue = createQueue<number>(uniqueName(PREFIX), { maxMessages: 3 });
  try {
    expect(queue.empty).toBe(true);
    expect(queue.tryGet()).toBeUndefined();
    expect(queue.tryPut(1)).toBe(true);
    await queue.put(2);
    expect(queue.tryPut(3)).toBe(true);
    expect(queue.tryPut(4)).toBe(false);
    expect(queue.full).toBe(true);
    expect(queue.size).toBe(3);
    await expect(queue.put(4, { timeout: 30 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    const late = queue.put(4);
    expect(await queue.get()).toBe(1);
    await late;
    expect([queue.tryGet(), await queue.get(), await queue.get()]).toEqual([2, 3, 4]);
    expect(queue.empty).toBe(true);
  } finally {
    await queue.close();
  }
});

test('bounded by bytes: a waiting put is released by a get; a message larger than the ring fails', async () => {
  const queue = createQueue<Uint8Array>(uniqueName(PREFIX), { capacityBytes: 4096, codec: 'raw' });
  try {
    expect(queue.capacityBytes).toBe(4096);
    await expect(queue.put(new Uint8Array(4096))).rejects.toMatchObject({ code: 'ERR_FRAME_TOO_LARGE' });
    await queue.put(new Uint8Array(3000).fill(1));
    const controller = new AbortController();
    const waiting = queue.put(new Uint8Array(3000).fill(2), { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    const second = queue.put(new Uint8Array(3000).fill(3));
    const first = await queue.get();
    expect(first[0]).toBe(1);
    await second;
    expect((await queue.get())[0]).toBe(3);
    // A raw message is the receiver's own: a later get does not overwrite it.
    expect(first.byteLength).toBe(3000);
    expect(first.every((b) => b === 1)).toBe(true);
    expect(queue.empty).toBe(true);
  } finally {
    await queue.close();
  }
});

test('bad arguments and use after close get IpcErrors with codes', async () => {
  const name = uniqueName(PREFIX);
  expect(() => createQueue(name, { capacityBytes: -1 })).toThrow(
    expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
  );
  expect(() => createQueue(name, { maxMessages: 0 })).toThrow(
    expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
  );
  expect(() => createQueue('a/b')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  expect(() => openQueue(uniqueName(PREFIX))).toThrow(expect.objectContaining({ code: 'ERR_NOT_FOUND' }));
  const queue = createQueue(name);
  expect(() => createQueue(name)).toThrow(expect.objectContaining({ code: 'ERR_EXISTS' }));
  await expect(queue.put(2n ** 70n)).rejects.toMatchObject({ code: 'ERR_ENCODE' });
  await expect(queue.get({ timeout: -1 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  const aborted = AbortSignal.abort();
  await expect(queue.get({ signal: aborted })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  const pending = queue.get();
  await Promise.all([queue.close(), queue.close()]);
  await queue[Symbol.asyncDispose]();
  await expect(pending).rejects.toMatchObject({ code: 'ERR_CLOSED' });
  await expect(queue.put(1)).rejects.toMatchObject({ code: 'ERR_CLOSED' });
  expect(() => queue.tryGet()).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }));
  // A segment that is not a queue.
  const other = SharedMemory.create(uniqueName(PREFIX), 65536);
  try {
    expect(() => openQueue(other.name)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  } finally {
    other.close();
  }
  // A queue of another layout (an earlier @ipc/queue): refused, saying so.
  const older = createQueue(uniqueName(PREFIX));
  const header = SharedMemory.open(older.name);
  const version = new Int32Array(header.buffer, 0, 2);
  const own = Atomics.exchange(version, 1, 2);
  try {
    expect(() => openQueue(older.name)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT', message: expect.stringMatching(/layout 2/) }),
    );
  } finally {
    Atomics.store(version, 1, own);
    header.close();
    await older.close();
  }
});

test('the segment is 0600 and goes with the last process that closes it, whoever created it', async () => {
  const creator = createQueue<string>(uniqueName(PREFIX));
  const path = `/dev/shm/${creator.name}`;
  expect(statSync(path).mode & 0o777).toBe(0o600);
  const opener = openQueue<string>(creator.name);
  await creator.close();
  expect(segments(creator.name)).toEqual([creator.name]);
  await opener.put('still here');
  expect(await opener.get()).toBe('still here');
  await opener.close();
  expect(segments(creator.name)).toEqual([]);
});

test('cleanupStale() removes a queue whose every user died, and keeps live ones', async () => {
  const live = createQueue(uniqueName(PREFIX));
  const dead = uniqueName(PREFIX);
  const child = fixture('create-and-die.mjs', [dead]);
  expect(await lines(child)()).toBe('created');
  child.kill('SIGKILL');
  await exited(child);
  expect(segments(dead)).toEqual([dead]);
  const removed = cleanupStale();
  expect(removed).toContain(dead);
  expect(removed).not.toContain(live.name);
  expect(segments(dead)).toEqual([]);
  expect(segments(live.name)).toEqual([live.name]);
  await live.close();
});

test('async iteration ends once every sender view closed and the queue is drained', async () => {
  const queue = createQueue<number>(uniqueName(PREFIX));
  try {
    const tx = queue.sender();
    for (let i = 0; i < 3; i++) await tx.send(i);
    await tx.close();
    const got: number[] = [];
    for await (const m of queue) got.push(m);
    expect(got).toEqual([0, 1, 2]);
  } finally {
    await queue.close();
  }
});
