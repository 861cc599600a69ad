import { describe, expect, it } from '@jest/globals';
import { LengthPrefixedDecoder } from '@ipc/core';

const MiB = 1024 * 1024;

/** Feeds `bytes` through the direct-read path, as Node's `onread` would: reads of at most what is offered. */
function readInto(decoder: LengthPrefixedDecoder, bytes: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.byteLength) {
    const target = decoder.readBuffer();
    const n = Math.min(target.byteLength, bytes.byteLength - at);
    target.set(bytes.subarray(at, at + n));
    at += n;
    frames.push(...decoder.pushRead(n));
  }
  return frames;
}

function frame(claim: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(claim);
  return Buffer.concat([header, payload]);
}

describe('LengthPrefixedDecoder direct reads: memory follows the bytes received', () => {
  it('offers a small read buffer after a header claiming 64 MiB, not the claimed size', () => {
    const decoder = new LengthPrefixedDecoder();
    expect(readInto(decoder, frame(64 * MiB, Buffer.alloc(16)))).toEqual([]);
    expect(decoder.readBuffer().byteLength).toBeLessThanOrEqual(MiB);
  });

  it('reads a big frame into its own buffer once an eighth of it has arrived, and delivers it intact', () => {
    const decoder = new LengthPrefixedDecoder();
    const payload = Buffer.alloc(8 * MiB);
    for (let i = 0; i < payload.length; i += 4096) payload[i] = (i / 4096) & 0xff;
    const bytes = frame(payload.length, payload);
    const first = MiB + 4;
    expect(readInto(decoder, bytes.subarray(0, first))).toEqual([]);
    const direct = decoder.readBuffer();
    expect(direct.byteLength).toBe(payload.length - MiB);
    direct.set(bytes.subarray(first));
    const [got] = decoder.pushRead(bytes.length - first);
    expect(Buffer.from(got as Uint8Array).equals(payload)).toBe(true);
  });
});
