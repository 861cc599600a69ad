import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from '@jest/globals';
import { atomicsWaitStrategy, Barrier, Event, Mutex, Semaphore } from '@ipc/core';

const script = join(__dirname, 'fixtures/lock-worker.mjs');

function startWorker(data: Record<string, unknown>): Worker {
  return new Worker(script, { workerData: data });
}

async function finished(worker: Worker): Promise<void> {
  const [message] = (await once(worker, 'message')) as [string];
  expect(message).toBe('done');
  await worker.terminate();
}

describe('locks across real worker threads', () => {
  it('Mutex: 4 workers and the main thread make 10,000 exclusive read-modify-write steps', async () => {
    const mutex = Mutex.create();
    const counter = new SharedArrayBuffer(4);
    const shared = new Int32Array(counter);
    const workers = Array.from({ length: 4 }, () =>
      startWorker({ scenario: 'mutex', words: mutex.array, counter, rounds: 2000 }),
    );
    // Listen for the workers' "done" now: a worker that finishes before the main thread's loop would
    // otherwise post it to nobody (a Worker does not queue 'message' events for later listeners).
    const workersDone = Promise.all(workers.map(finished));
    for (let i = 0; i < 2000; i++) {
      await mutex.withLock(async () => {
        const v = shared[0] as number;
        await new Promise((r) => setImmediate(r));
        shared[0] = v + 1;
      });
    }
    await workersDone;
    expect(shared[0]).toBe(10_000);
    expect(mutex.owner).toBe(0);
  });

  it('Mutex: a lock whose owner thread died is reported once as ERR_OWNER_DEAD, then usable', async () => {
    const alive = new Set<number>([1]);
    const strategy = atomicsWaitStrategy({ isAlive: (id) => alive.has(id) });
    const mutex = Mutex.create({ strategy });
    const worker = startWorker({
      scenario: 'hold-and-die',
      words: mutex.array,
      counter: new SharedArrayBuffer(4),
    });
    const workerId = worker.threadId + 1;
    alive.add(workerId);
    await once(worker, 'message');
    expect(mutex.owner).toBe(workerId);
    await expect(mutex.acquire({ timeout: 50 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    await worker.terminate();
    alive.delete(workerId);
    await expect(mutex.acquire()).rejects.toMatchObject({ code: 'ERR_OWNER_DEAD' });
    const guard = await mutex.acquire();
    expect(mutex.owner).toBe(strategy.selfId);
    guard.release();
    guard.release();
    expect(mutex.owner).toBe(0);
    expect(() => mutex.release()).toThrow(expect.objectContaining({ code: 'ERR_NOT_OWNER' }));
  });

  it('Mutex: acquire waits without blocking the event loop and honours abort', async () => {
    const mutex = Mutex.create();
    const held = await mutex.acquire();
    let timerRan = false;
    setTimeout(() => (timerRan = true), 10);
    const controller = new AbortController();
    const waiting = mutex.acquire({ signal: controller.signal });
    await new Promise((r) => setTimeout(r, 30));
    expect(timerRan).toBe(true);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    held.release();
    {
      using _again = await mutex.acquire();
      expect(mutex.owner).not.toBe(0);
    }
    expect(mutex.owner).toBe(0);
  });

  it('Semaphore: never more holders than permits across 4 workers', async () => {
    const sem = Semaphore.create(2);
    const counter = new SharedArrayBuffer(8);
    const shared = new Int32Array(counter);
    const workers = Array.from({ length: 4 }, () =>
      startWorker({ scenario: 'semaphore', words: sem.array, counter, rounds: 300 }),
    );
    await Promise.all(workers.map(finished));
    expect(shared[1]).toBeLessThanOrEqual(2);
    expect(shared[1]).toBeGreaterThanOrEqual(1);
    expect(sem.value).toBe(2);
    expect(sem.tryAcquire()).toBe(true);
    expect(sem.tryAcquire()).toBe(true);
    expect(sem.tryAcquire()).toBe(false);
    await expect(sem.acquire({ timeout: 20 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
  });

  it('Event: wakes every waiting worker', async () => {
    const event = Event.create();
    const workers = Array.from({ length: 3 }, () =>
      startWorker({ scenario: 'event', words: event.array, counter: new SharedArrayBuffer(4) }),
    );
    await Promise.all(workers.map((w) => once(w, 'message')));
    expect(event.isSet).toBe(false);
    event.set();
    await Promise.all(workers.map(finished));
    await event.wait({ timeout: 1 });
    event.clear();
    await expect(event.wait({ timeout: 20 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
  });

  it('Barrier: releases 4 workers together, one leader per round, reusable', async () => {
    const barrier = Barrier.create(4);
    const rounds = 50;
    const counter = new SharedArrayBuffer(4 * rounds);
    const workers = Array.from({ length: 4 }, () =>
      startWorker({ scenario: 'barrier', words: barrier.array, counter, rounds }),
    );
    await Promise.all(workers.map(finished));
    expect(Array.from(new Int32Array(counter))).toEqual(new Array(rounds).fill(1));
    expect(barrier.parties).toBe(4);
    expect(() => Barrier.create(0)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
