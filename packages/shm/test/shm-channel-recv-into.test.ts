import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { ShmChannel } from '@ipc/shm';
import { FIXTURES, leftovers } from './helpers.js';

/** `length` bytes of a pattern of `seed`. */
function bytes(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (seed + i * 7) & 0xff;
  return b;
}

describe('ShmChannel.recvInto', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it('receives what another process sends into one buffer, whole records and pieces alike', async () => {
    // 4 KiB rings: records of at most 1,024 bytes, so the 5,000-byte messages travel in pieces.
    await using channel = ShmChannel.create<Uint8Array>(uniqueName(), { codec: 'raw', capacity: 4096 });
    const child = spawn(process.execPath, [join(FIXTURES, 'echo-peer.mjs'), channel.segment.name], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, IPC_CODEC: 'raw' },
    });
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    expect(chunk.toString()).toBe('ready\n');
    const buffer = new Uint8Array(8 + 6000);
    for (const [i, length] of [0, 1, 100, 1016, 1024, 1025, 5000, 17, 5000, 3000].entries()) {
      const sent = bytes(length, i);
      await channel.send(sent);
      const n = await channel.recvInto(buffer, 8);
      expect(n).toBe(length);
      expect(buffer.subarray(8, 8 + n)).toEqual(sent);
    }
    const exited = once(child, 'exit');
    await channel.close();
    await exited;
  });

  // Shared with every transport (too small, offset, bad arguments…): shm-channel-recv-into-conformance.test.ts.
  it('refuses a message in pieces before its first piece is taken, then receives it whole', async () => {
    await using a = ShmChannel.create<Uint8Array>(uniqueName(), { codec: 'raw', capacity: 4096 });
    await using b = ShmChannel.open<Uint8Array>(a.segment.name, { codec: 'raw' });
    const sending = a.send(bytes(3000, 2));
    await expect(b.recvInto(new Uint8Array(2999))).rejects.toMatchObject({ code: 'ERR_BUFFER_TOO_SMALL' });
    await expect(b.recv()).resolves.toEqual(bytes(3000, 2));
    await sending;
  });

  it('keeps a message whose pieces an earlier receive began taking when it does not fit', async () => {
    await using a = ShmChannel.create<Uint8Array>(uniqueName(), { codec: 'raw', capacity: 4096 });
    await using b = ShmChannel.open<Uint8Array>(a.segment.name, { codec: 'raw' });
    // 6,000 bytes in 1,024-byte pieces: the ring holds only some of them before the reader frees room.
    const sending = a.send(bytes(6000, 3));
    await new Promise((resolve) => setImmediate(resolve)); // the sender fills the ring, then waits
    await expect(b.recv({ timeout: 0 })).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    await sending; // the rest went in as the reader freed room
    await expect(b.recvInto(new Uint8Array(100))).rejects.toMatchObject({ code: 'ERR_BUFFER_TOO_SMALL' });
    const room = new Uint8Array(6000);
    await expect(b.recvInto(room)).resolves.toBe(6000);
    expect(room).toEqual(bytes(6000, 3));
  });
});
