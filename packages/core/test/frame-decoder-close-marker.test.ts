import { describe, expect, it } from '@jest/globals';
import {
  CLOSE_MARKER,
  CLOSE_MARKER_BYTES,
  LengthPrefixedDecoder,
  OPEN_MARKER,
  OPEN_MARKER_BYTES,
} from '@ipc/core';

const frame = (text: string): Buffer => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length);
  return Buffer.concat([header, payload]);
};

describe('LengthPrefixedDecoder close and open markers', () => {
  it('returns the markers as their own objects, split anywhere, between ordinary frames', () => {
    const decoder = new LengthPrefixedDecoder({ closeMarker: true });
    const stream = Buffer.concat([OPEN_MARKER_BYTES, frame('a'), frame(''), frame('b'), CLOSE_MARKER_BYTES]);
    const got: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i += 5) got.push(...decoder.push(stream.subarray(i, i + 5)));
    expect(got[0]).toBe(OPEN_MARKER);
    expect(Buffer.from(got[1] as Uint8Array).toString()).toBe('a');
    expect(got[2]).not.toBe(CLOSE_MARKER);
    expect(got[2]).toHaveLength(0);
    expect(Buffer.from(got[3] as Uint8Array).toString()).toBe('b');
    expect(got[4]).toBe(CLOSE_MARKER);
    expect(decoder.end()).toEqual([]);
  });

  it('without closeMarker, the close marker is an empty frame and the open marker too large (as before)', () => {
    const decoder = new LengthPrefixedDecoder();
    const [empty] = decoder.push(CLOSE_MARKER_BYTES);
    expect(empty).not.toBe(CLOSE_MARKER);
    expect(empty).toHaveLength(0);
    expect(() => decoder.push(OPEN_MARKER_BYTES)).toThrow(
      expect.objectContaining({ code: 'ERR_FRAME_TOO_LARGE' }),
    );
  });
});
