import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { ShmChannel } from '@ipc/shm';
import { leftovers } from './helpers.js';

/** Message `i`: plain values of varied sizes (some over a record, so sent in pieces), and now and then binary. */
function message(i: number): unknown {
  const text = 'x'.repeat(i % 50 === 7 ? 1500 + i : (i * 37) % 300);
  return i % 11 === 3
    ? { i, bytes: Buffer.from(text), when: new Date(i) } // msgpackr's types: the fallback path
    : { i, text, list: [i, -i - 1, i / 3, null, true], nested: { key: `k${i % 7}` } };
}

describe('ShmChannel with a codec that encodes into the ring and decodes in place', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it('delivers every message intact and in order through a small ring that wraps often', async () => {
    // 4 KiB ring: records of at most 1,024 bytes; the bigger messages go in pieces.
    await using a = ShmChannel.create(uniqueName(), { capacity: 4096 });
    await using b = ShmChannel.open(a.segment.name);
    const count = 3000;
    const sending = (async () => {
      for (let i = 0; i < count; i++) if (!a.trySend(message(i))) await a.send(message(i));
    })();
    sending.catch(() => undefined); // a failed expectation below closes the channel under the sender
    const kept: unknown[] = [];
    for (let i = 0; i < count; i++) {
      if (i % 200 === 0) await new Promise((resolve) => setImmediate(resolve)); // let messages pile up
      const got = await b.recv();
      expect(got).toEqual(message(i));
      kept.push(got);
    }
    await sending;
    // Decoded values share no memory with the ring, which has been rewritten many times since.
    expect(kept).toEqual(Array.from({ length: count }, (_, i) => message(i)));
  });

  it('refuses a message over maxMessageBytes with ERR_FRAME_TOO_LARGE, and goes on', async () => {
    await using a = ShmChannel.create(uniqueName(), { capacity: 1 << 16, maxMessageBytes: 100 });
    await using b = ShmChannel.open(a.segment.name);
    expect(() => a.trySend({ text: 'x'.repeat(200) })).toThrow(
      expect.objectContaining({ code: 'ERR_FRAME_TOO_LARGE' }),
    );
    await expect(a.send({ text: 'x'.repeat(200) })).rejects.toMatchObject({ code: 'ERR_FRAME_TOO_LARGE' });
    await a.send({ text: 'small' });
    await expect(b.recv()).resolves.toEqual({ text: 'small' });
  });
});
