import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { ShmChannel } from '@ipc/shm';
import { leftovers } from './helpers.js';

describe('ShmChannel.trySend', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it('sends while the ring has room, says false (sending nothing) when full, and keeps order with send', async () => {
    await using a = ShmChannel.create<Uint8Array>(uniqueName(), { codec: 'raw', capacity: 4096 });
    await using b = ShmChannel.open<Uint8Array>(a.segment.name, { codec: 'raw' });
    let sent = 0;
    while (a.trySend(Uint8Array.of(sent))) sent++;
    // 4 KiB of 16-byte records (8 header + 1 padded to 8).
    expect(sent).toBe(256);
    // A send that has to wait queues; trySend does not overtake it, even once there is room.
    const waiting = a.send(Uint8Array.of(sent));
    expect(Array.from(await b.recv())).toEqual([0]);
    expect(a.trySend(Uint8Array.of(255))).toBe(false);
    await waiting;
    expect(a.trySend(Uint8Array.of(sent + 1))).toBe(true);
    for (let i = 1; i <= sent + 1; i++) expect(Array.from(await b.recv())).toEqual([i & 0xff]);
    await expect(b.recv({ timeout: 0 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
  });

  it('throws what send rejects with', async () => {
    const a = ShmChannel.create<Uint8Array>(uniqueName(), { codec: 'raw', maxMessageBytes: 10 });
    const b = ShmChannel.open<Uint8Array>(a.segment.name, { codec: 'raw' });
    expect(() => a.trySend(new Uint8Array(11))).toThrow(
      expect.objectContaining({ code: 'ERR_FRAME_TOO_LARGE' }),
    );
    expect(() => a.trySend('text' as unknown as Uint8Array)).toThrow(
      expect.objectContaining({ code: 'ERR_ENCODE' }),
    );
    await b.close();
    expect(() => a.trySend(new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'ERR_PEER_GONE' }));
    await a.close();
    expect(() => a.trySend(new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }));
  });
});
