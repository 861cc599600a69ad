import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { ShmChannel } from '@ipc/shm';
import { leftovers } from './helpers.js';

describe('ShmChannel zero-copy paths', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it('writes in place with reserve/commit and reads in place with recvView', async () => {
    await using a = ShmChannel.create(uniqueName(), { codec: 'raw', capacity: 1 << 16 });
    await using b = ShmChannel.open(a.segment.name, { codec: 'raw' });
    expect(a.maxReserve).toBe((1 << 16) / 4);
    for (let round = 0; round < 20; round++) {
      const out = await a.reserve(10_000);
      out.fill(round);
      a.commit(9_000 + round);
      const view = await b.recvView();
      expect(view.byteLength).toBe(9_000 + round);
      expect(view.every((x) => x === round)).toBe(true);
    }
    await a.send(Uint8Array.of(9)); // a copying send after reservations
    expect(Array.from((await b.recv()) as Uint8Array)).toEqual([9]);
    await expect(a.reserve(a.maxReserve + 1)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    expect(() => a.commit()).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('rejects a message above maxMessageBytes with ERR_FRAME_TOO_LARGE', async () => {
    await using a = ShmChannel.create(uniqueName(), { codec: 'raw', maxMessageBytes: 100 });
    await expect(a.send(new Uint8Array(101))).rejects.toMatchObject({ code: 'ERR_FRAME_TOO_LARGE' });
  });
});
