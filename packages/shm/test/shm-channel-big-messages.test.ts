import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { uniqueName } from '@ipc/core/testing';
import { copyBytes, ShmChannel } from '@ipc/shm';
import { FIXTURES, leftovers } from './helpers.js';

/** `length` bytes of a pattern of `seed`. */
function bytes(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (seed + i * 7 + (i >> 11)) & 0xff;
  return b;
}

/** An echo peer in another process on `channel`, once it says it is ready. */
async function echoPeer(channel: ShmChannel<Uint8Array>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(FIXTURES, 'echo-peer.mjs'), channel.segment.name], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, IPC_CODEC: 'raw' },
  });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  expect(chunk.toString()).toBe('ready\n');
  return child;
}

async function closeWith(channel: ShmChannel<Uint8Array>, child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  await channel.close();
  await exited;
}

describe('ShmChannel with big messages', () => {
  afterAll(() => expect(leftovers()).toEqual([]));

  it('carries a message of exactly a quarter of the ring in one record, a bigger one in pieces', async () => {
    const channel = ShmChannel.create<Uint8Array>(uniqueName(), { codec: 'raw', capacity: 4096 });
    const child = await echoPeer(channel);
    try {
      expect(channel.maxReserve).toBe(1024);
      const quarter = bytes(1024, 1);
      await channel.send(quarter);
      const whole = await channel.recvView();
      expect(whole).toEqual(quarter);
      expect(whole.buffer).toBe(channel.segment.buffer); // read in place: one record
      const bigger = bytes(1025, 2);
      await channel.send(bigger);
      const assembled = await channel.recvView();
      expect(assembled).toEqual(bigger);
      expect(assembled.buffer).not.toBe(channel.segment.buffer); // assembled from pieces
    } finally {
      await closeWith(channel, child);
    }
  });

  it('delivers messages of 512 KiB to 4 MiB intact through another process, every byte checked', async () => {
    // Copies above 512 KiB go in pieces (copyBytes): sizes around the piece boundaries, both ways.
    const channel = ShmChannel.create<Uint8Array>(uniqueName(), { codec: 'raw', capacity: 16 << 20 });
    const child = await echoPeer(channel);
    try {
      const into = new Uint8Array((4 << 20) + 16);
      const sizes = [
        512 * 1024,
        512 * 1024 + 1,
        1 << 20,
        (1 << 20) - 8,
        (1 << 20) + 3,
        (3 << 20) + 5,
        4 << 20,
      ];
      for (const [i, size] of sizes.entries()) {
        const sent = bytes(size, i);
        await channel.send(sent);
        const n = await channel.recvInto(into, 7 + i);
        expect(n).toBe(size);
        expect(Buffer.compare(into.subarray(7 + i, 7 + i + n), sent)).toBe(0);
        await channel.send(sent);
        expect(Buffer.compare(await channel.recv(), sent)).toBe(0);
      }
    } finally {
      await closeWith(channel, child);
    }
  });
});

describe('copyBytes', () => {
  it('copies like set, in pieces of at most 512 KiB, at any offset', () => {
    for (const size of [0, 1, 512 * 1024 - 1, 512 * 1024, 512 * 1024 + 1, (1 << 20) + 3, (3 << 20) + 5]) {
      const src = bytes(size, size);
      const dst = new Uint8Array(size + 20).fill(0xee);
      copyBytes(dst, src, 9);
      expect(Buffer.compare(dst.subarray(9, 9 + size), src)).toBe(0);
      expect(dst.subarray(0, 9).every((b) => b === 0xee)).toBe(true);
      expect(dst.subarray(9 + size).every((b) => b === 0xee)).toBe(true);
    }
    // Overlapping ranges of one buffer, as with set.
    const both = bytes(3 << 20, 5);
    const expected = both.slice();
    expected.set(both.subarray(0, 2 << 20), 1 << 20);
    copyBytes(both, both.subarray(0, 2 << 20), 1 << 20);
    expect(Buffer.compare(both, expected)).toBe(0);
    // Nothing is copied when it does not fit, as with set.
    for (const size of [5, (1 << 20) + 1]) {
      const dst = new Uint8Array(size - 1);
      expect(() => copyBytes(dst, bytes(size, 3), 0)).toThrow('out of bounds');
      expect(dst.every((b) => b === 0)).toBe(true);
    }
  });
});
