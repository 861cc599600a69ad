import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { ShmChannel } from '@ipc/shm';
import { leftovers } from './helpers.js';

/** Message `i`: a length that mixes tiny, mid-size and multi-record sizes, filled with a pattern of `i`. */
function message(i: number): Uint8Array {
  const length = i % 50 === 7 ? 3000 + i : i % 5 === 0 ? 0 : (i * 37) % 300;
  const bytes = new Uint8Array(length);
  for (let k = 0; k < length; k++) bytes[k] = (i + k) & 0xff;
  return bytes;
}

describe('ShmChannel receiving many waiting messages', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it('delivers mixed sizes intact and in order through a small ring, by recv and recvView alike', async () => {
    // 4 KiB ring: records of at most 1,024 bytes, so 3 KiB messages go in pieces and the ring wraps often.
    await using a = ShmChannel.create<Uint8Array>(uniqueName(), { codec: 'raw', capacity: 4096 });
    await using b = ShmChannel.open<Uint8Array>(a.segment.name, { codec: 'raw' });
    const count = 3000;
    const sending = (async () => {
      for (let i = 0; i < count; i++) await a.send(message(i));
    })();
    sending.catch(() => undefined); // a failed expectation below closes the channel under the sender
    const kept: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      // Let the sender run ahead now and then, so that many messages wait in the ring at once.
      if (i % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (i % 3 === 2) {
        const view = await b.recvView();
        expect(view).toEqual(message(i));
      } else {
        kept.push(await b.recv());
      }
    }
    await sending;
    // What recv returned is the receiver's own memory: still intact after the ring was reused.
    let k = 0;
    for (let i = 0; i < count; i++) if (i % 3 !== 2) expect(kept[k++]).toEqual(message(i));
  });

  it('delivers the messages sent before the sender closed, then ends', async () => {
    const a = ShmChannel.create<Uint8Array>(uniqueName(), { codec: 'raw', capacity: 1 << 16 });
    await using b = ShmChannel.open<Uint8Array>(a.segment.name, { codec: 'raw' });
    for (let i = 0; i < 100; i++) await a.send(message(i));
    await a.close();
    const got: Uint8Array[] = [];
    for await (const m of b) got.push(m);
    expect(got).toEqual(Array.from({ length: 100 }, (_, i) => message(i)));
  });
});
