import { describe, expect, it } from '@jest/globals';
import { lengthHeader, lengthPrefixed, LengthPrefixedDecoder, lines } from '@ipc/core';

function encodeFrames(payloads: Uint8Array[]): Buffer {
  return Buffer.concat(payloads.flatMap((p) => lengthPrefixed.framePieces(p)));
}

const payloads = [Buffer.from('hello'), Buffer.alloc(0), Buffer.alloc(300, 9), Buffer.from([1, 2, 3])];

describe('LengthPrefixedDecoder', () => {
  it('decodes frames split at every byte offset', () => {
    const wire = encodeFrames(payloads);
    for (let cut = 0; cut <= wire.length; cut++) {
      const decoder = new LengthPrefixedDecoder();
      const frames = [...decoder.push(wire.subarray(0, cut)), ...decoder.push(wire.subarray(cut))];
      expect(frames.map((f) => Buffer.from(f).toString('hex'))).toEqual(
        payloads.map((p) => p.toString('hex')),
      );
      expect(decoder.partial).toBe(false);
    }
  });

  it('decodes a stream fed one byte at a time', () => {
    const wire = encodeFrames(payloads);
    const decoder = new LengthPrefixedDecoder();
    const frames: Uint8Array[] = [];
    for (let i = 0; i < wire.length; i++) frames.push(...decoder.push(wire.subarray(i, i + 1)));
    expect(frames.map((f) => Buffer.from(f).toString('hex'))).toEqual(payloads.map((p) => p.toString('hex')));
  });

  it('returns a frame inside one chunk as a view of the chunk, not a copy', () => {
    const wire = encodeFrames([Buffer.from('abc')]);
    const [frame] = new LengthPrefixedDecoder().push(wire);
    expect(frame?.buffer).toBe(wire.buffer);
  });

  it("reads Python's escape for lengths over 2^31-1 (0xFFFFFFFF then a u64 length)", () => {
    const header = lengthHeader(2 ** 31);
    expect(Buffer.from(header).toString('hex')).toBe('ffffffff' + '0000000080000000');
    const escaped = Buffer.concat([
      Buffer.from('ffffffff', 'hex'),
      Buffer.from('0000000000000003', 'hex'),
      Buffer.from('xyz'),
    ]);
    for (let cut = 0; cut <= escaped.length; cut++) {
      const decoder = new LengthPrefixedDecoder();
      const frames = [...decoder.push(escaped.subarray(0, cut)), ...decoder.push(escaped.subarray(cut))];
      expect(frames.map((f) => Buffer.from(f).toString())).toEqual(['xyz']);
    }
  });

  it('reports a stream cut in the middle of a frame as ERR_PEER_GONE', () => {
    const decoder = new LengthPrefixedDecoder();
    decoder.push(encodeFrames([Buffer.from('hello')]).subarray(0, 6));
    expect(decoder.partial).toBe(true);
    expect(() => decoder.end()).toThrow(expect.objectContaining({ code: 'ERR_PEER_GONE' }));
  });
});

describe('lines framing', () => {
  it('splits lines at every byte offset, accepting \\r\\n and a last unterminated line', () => {
    const wire = Buffer.from('{"a":1}\r\n\n{"b":2}\nlast');
    for (let cut = 0; cut <= wire.length; cut++) {
      const decoder = lines.createDecoder();
      const frames = [
        ...decoder.push(wire.subarray(0, cut)),
        ...decoder.push(wire.subarray(cut)),
        ...decoder.end(),
      ];
      expect(frames.map((f) => Buffer.from(f).toString())).toEqual(['{"a":1}', '', '{"b":2}', 'last']);
    }
  });

  it('refuses to send a payload containing a newline', () => {
    expect(() => lines.framePieces(Buffer.from('a\nb'))).toThrow(
      expect.objectContaining({ code: 'ERR_ENCODE' }),
    );
  });

  it('fails a line longer than maxFrameBytes with ERR_FRAME_TOO_LARGE', () => {
    const decoder = lines.createDecoder({ maxFrameBytes: 4 });
    expect(() => decoder.push(Buffer.from('abc'))).not.toThrow();
    expect(() => decoder.push(Buffer.from('de'))).toThrow(
      expect.objectContaining({ code: 'ERR_FRAME_TOO_LARGE' }),
    );
  });
});
