import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { isIpcError, LengthPrefixedDecoder } from '@ipc/core';

describe('LengthPrefixedDecoder limits', () => {
  it('fails a header claiming 4 GiB with maxFrameBytes 1 MiB before allocating', () => {
    const decoder = new LengthPrefixedDecoder({ maxFrameBytes: 1024 * 1024 });
    const before = process.memoryUsage().arrayBuffers;
    const header = Buffer.from('fffffffe', 'hex');
    expect(() => decoder.push(header)).toThrow(expect.objectContaining({ code: 'ERR_FRAME_TOO_LARGE' }));
    // Nothing near the claimed size was allocated (a 4 GiB buffer would show here).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    expect(() => decoder.push(Buffer.from('00', 'hex'))).toThrow(
      expect.objectContaining({ code: 'ERR_FRAME_TOO_LARGE' }),
    );
  });

  it('holds only the bytes that arrived, not what an allowed header claims', () => {
    const decoder = new LengthPrefixedDecoder();
    const before = process.memoryUsage().arrayBuffers;
    const header = Buffer.alloc(4);
    header.writeUInt32BE(60 * 1024 * 1024);
    expect(decoder.push(Buffer.concat([header, Buffer.from('only a few bytes')]))).toEqual([]);
    expect(decoder.partial).toBe(true);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('fails an escaped 2^63 length with ERR_FRAME_TOO_LARGE', () => {
    const decoder = new LengthPrefixedDecoder();
    const header = Buffer.from('ffffffff8000000000000000', 'hex');
    expect(() => decoder.push(header)).toThrow(expect.objectContaining({ code: 'ERR_FRAME_TOO_LARGE' }));
  });

  it('refuses a bad maxFrameBytes with ERR_INVALID_ARGUMENT', () => {
    expect(() => new LengthPrefixedDecoder({ maxFrameBytes: -1 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
  });

  it('never throws anything but IpcError on random bytes split anywhere', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2048 }),
        fc.array(fc.nat(2048), { maxLength: 8 }),
        (bytes, cuts) => {
          const decoder = new LengthPrefixedDecoder({ maxFrameBytes: 4096 });
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
          let from = 0;
          try {
            for (const p of [...points, bytes.length]) {
              decoder.push(bytes.subarray(from, p));
              from = p;
            }
            decoder.end();
          } catch (err) {
            if (!isIpcError(err)) throw err;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
