import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { futexWaitAsync, futexWaitStats, futexWaitSync, futexWake, SharedMemory } from '@ipc/shm';
import { leftovers, runNode } from './helpers.js';

const N = 10_000;

describe('futex waits', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it(`keeps fs.readFile working under ${N} pending async waits, then wakes them from another process`, async () => {
    using shm = SharedMemory.create(uniqueName(), N * 4);
    const words = new Int32Array(shm.buffer);
    const waits = Array.from({ length: N }, (_, i) => futexWaitAsync(words, i, 0));
    const sameWord = Array.from({ length: N }, () => futexWaitAsync(words, 0, 0));
    expect(futexWaitStats().pending).toBe(2 * N);
    // Eight reads at once: more than libuv's 4 pool threads, so a pool-based wait would stall them.
    const files = await Promise.all(Array.from({ length: 8 }, () => readFile(__filename, 'utf8')));
    expect(files.every((f) => f.includes('keeps fs.readFile working'))).toBe(true);
    expect(await runNode('wake-words.mjs', [shm.name, String(N)])).toMatch(/^\d+\n$/);
    const results = await Promise.all([...waits, ...sameWord]);
    expect(results.every((r) => r === 'ok')).toBe(true);
    expect(futexWaitStats().pending).toBe(0);
  });

  it('resolves not-equal at once, times out, and blocks synchronously when asked', async () => {
    using shm = SharedMemory.create(uniqueName(), 64);
    const words = new Int32Array(shm.buffer);
    expect(await futexWaitAsync(words, 0, 1)).toBe('not-equal');
    expect(await futexWaitAsync(words, 0, 0, 20)).toBe('timed-out');
    expect(futexWaitSync(words, 0, 1)).toBe('not-equal');
    expect(futexWaitSync(words, 0, 0, 20)).toBe('timed-out');
    expect(futexWaitStats().pending).toBe(0);
  });

  it('wakes a waiter of this process through another mapping of the same segment', async () => {
    using shm = SharedMemory.create(uniqueName(), 64);
    using other = SharedMemory.open(shm.name);
    const a = new Int32Array(shm.buffer);
    const b = new Int32Array(other.buffer);
    const waiting = futexWaitAsync(a, 3, 0);
    Atomics.store(b, 3, 7);
    futexWake(b, 3);
    expect(await waiting).toBe('ok');
  });

  it('rejects a word outside the array with ERR_INVALID_ARGUMENT', () => {
    using shm = SharedMemory.create(uniqueName(), 64);
    const words = new Int32Array(shm.buffer);
    expect(() => futexWaitAsync(words, 16, 0)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(() => futexWake(words, -1)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
