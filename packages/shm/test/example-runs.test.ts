import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { leftovers, run } from './helpers.js';

describe('examples/shm-counter', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it('runs: the child doubles over the ring, and 2 × 1000 locked increments make 2000', async () => {
    const out = await run(process.execPath, [join(__dirname, '../../../examples/shm-counter/index.mjs')]);
    expect(out).toBe('reply: 42\ncounter: 2000\n');
    expect(readdirSync('/dev/shm').filter((n) => n.startsWith('example-'))).toEqual([]);
  });
});
