import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { SharedArray, SharedMemory } from '@ipc/shm';
import { FIXTURES, leftovers, run } from './helpers.js';

const python = spawnSync('python3', ['--version']).status === 0;

describe('shared memory with Python (standard library only)', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  (python ? it : it.skip)('Python reads the array Node wrote, and Node reads what Python wrote', async () => {
    const n = 100;
    using ints = SharedArray.create(
      uniqueName(),
      'i',
      Array.from({ length: n }, (_, i) => i * i - 50),
    );
    using floats = SharedArray.create(uniqueName(), 'd', n);
    const out = await run('python3', [
      `${FIXTURES}/python-peer.py`,
      ints.segment.name,
      floats.segment.name,
      String(n),
    ]);
    expect(JSON.parse(out)).toEqual(Array.from({ length: n }, (_, i) => i * i - 50));
    expect(Array.from(floats.array)).toEqual(Array.from({ length: n }, (_, i) => i * 3 + 0.5));
  });

  (python ? it : it.skip)('Node opens a segment Python created, by the same name', async () => {
    const name = uniqueName();
    await run('python3', [
      '-c',
      [
        'import sys',
        'from multiprocessing import resource_tracker, shared_memory',
        `s = shared_memory.SharedMemory(${JSON.stringify(name)}, create=True, size=10)`,
        'resource_tracker.unregister(s._name, "shared_memory")',
        's.buf[:10] = bytes(range(10, 20))',
        's.close()',
      ].join('\n'),
    ]);
    using shm = SharedMemory.open(`/${name}`);
    expect(shm.name).toBe(name);
    expect(shm.size).toBe(10);
    expect(Array.from(new Uint8Array(shm.buffer))).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    shm.unlink();
  });
});
