import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { Value } from '@ipc/shm';
import { leftovers, runNode } from './helpers.js';

const COUNT = 1_000_000;

describe('Value across two unrelated processes', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it.each(['lock', 'atomics'])('adds 2 × %s increments exactly', async (mode) => {
    using value = Value.create(uniqueName(), 'i', 0);
    const outputs = await Promise.all([
      runNode('increment.mjs', [value.segment.name, mode, String(COUNT)]),
      runNode('increment.mjs', [value.segment.name, mode, String(COUNT)]),
    ]);
    expect(outputs).toEqual(['done\n', 'done\n']);
    expect(value.value).toBe(2 * COUNT);
  });
});
