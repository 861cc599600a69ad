import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { createMsgpackCodec, isIpcError, msgpack } from '@ipc/core';

// msgpackr as the codec configures it: the reference for what the fast reader and writer must match.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, moreTypes: false });
const encodeInto = msgpack.encodeInto!.bind(msgpack);
const decodeFrom = msgpack.decodeFrom!.bind(msgpack);

/** JSON-like values with the edges of every msgpack format the fast paths cover. */
const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      0,
      -0,
      127,
      128,
      255,
      256,
      65535,
      65536,
      2 ** 32 - 1,
      2 ** 32,
      -32,
      -33,
      -128,
      -129,
      -32768,
      -32769,
      -(2 ** 31),
      -(2 ** 31) - 1,
      Number.MAX_SAFE_INTEGER,
      NaN,
      Infinity,
      -Infinity,
      0.5,
      '',
      '__proto__',
      'x'.repeat(31),
      'x'.repeat(32),
      'é'.repeat(16),
      'x'.repeat(70_000),
      '\ud800 lone surrogate',
      null,
      true,
      false,
    ),
    fc.integer(),
    fc.double(),
    fc.string({ unit: 'binary' }),
    fc.array(tie('value'), { maxLength: 20 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 40 }), tie('value'), { maxKeys: 20 }),
  ),
})).value;

/** Values the fast writer leaves to msgpackr. */
const other = fc.oneof(
  fc.constant(undefined),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), // msgpack's 64-bit integers
  fc.date({ noInvalidDate: true }),
  fc.uint8Array({ maxLength: 40 }),
  fc.array(fc.integer()).map((a) => new Map(a.map((v, i) => [i, v]))),
  fc.dictionary(fc.string(), fc.oneof(fc.constant(undefined), fc.uint8Array({ maxLength: 4 }))),
);

/** What msgpackr makes of a value (the meaning both sides must agree on). */
const reference = (value: unknown): unknown => packr.unpack(packr.pack(value));

const scratch = new Uint8Array(1 << 20);

describe('msgpack codec fast paths', () => {
  it('writes what msgpackr reads as it reads its own encoding, and reads what msgpackr writes', () => {
    fc.assert(
      fc.property(fc.oneof(plain, other, fc.array(fc.oneof(plain, other))), (value) => {
        const expected = reference(value);
        const ours = msgpack.encode(value);
        expect(packr.unpack(ours)).toEqual(expected);
        expect(msgpack.decode(ours)).toEqual(expected);
        expect(msgpack.decode(packr.pack(value))).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads strings of every short length alike, ASCII or not, as values, items and keys', () => {
    for (let n = 0; n <= 40; n++) {
      const ascii = Array.from({ length: n }, (_, i) => String.fromCharCode(0x21 + ((i * 7) % 94))).join('');
      const variants = [ascii];
      for (let at = 0; at < n; at++) variants.push(`${ascii.slice(0, at)}é${ascii.slice(at + 1)}`);
      for (const text of variants) {
        const value = { [text]: text, list: [text, 1, text], last: text };
        for (const bytes of [msgpack.encode(value), packr.pack(value)]) {
          expect(msgpack.decode(bytes)).toEqual(value);
        }
      }
    }
  });

  it('encodes in place from an offset, never at or past the end it was given', () => {
    fc.assert(
      fc.property(plain, fc.nat(64), (value, offset) => {
        const size = encodeInto(value, scratch, 0, scratch.length);
        const target = new Uint8Array(offset + size + 16).fill(0xee);
        // One byte short: it does not fit, and nothing at or past the end changes.
        expect(encodeInto(value, target, offset, offset + size - 1)).toBe(-1);
        expect(target.subarray(offset + size - 1).every((b) => b === 0xee)).toBe(true);
        expect(encodeInto(value, target, offset, offset + size)).toBe(offset + size);
        expect(target.subarray(offset + size).every((b) => b === 0xee)).toBe(true);
        expect(packr.unpack(target.subarray(offset, offset + size))).toEqual(reference(value));
      }),
      { numRuns: 500 },
    );
  });

  it('encodes values it leaves to msgpackr in place too, or says they do not fit', () => {
    const value = { when: new Date(0), big: 10n, none: undefined, map: new Map([[1, 'a']]) };
    const size = packr.pack(value).byteLength;
    const target = new Uint8Array(size + 8);
    expect(encodeInto(value, target, 8, 8 + size - 1)).toBe(-1);
    expect(encodeInto(value, target, 8, 8 + size)).toBe(8 + size);
    expect(decodeFrom(target, 8, 8 + size)).toEqual(reference(value));
  });

  it('decodes a range in place into values that share no memory with it', () => {
    const value = { id: 1, name: 'first', bytes: Buffer.from('abc'), list: [1, 'two'] };
    const encoded = packr.pack(value);
    const source = Buffer.alloc(encoded.byteLength + 10);
    encoded.copy(source, 5);
    const decoded = decodeFrom(source, 5, 5 + encoded.byteLength) as typeof value;
    expect(decoded).toEqual(value);
    source.fill(0); // the caller reuses its memory at once
    expect(decoded).toEqual(value);
  });

  it('gives map keys from what the bytes say now, whatever was decoded from that memory before', () => {
    // One buffer reused for thousands of different keys (more than the key cache has slots).
    const source = Buffer.alloc(32);
    for (let i = 0; i < 20_000; i++) {
      const key = `k${String(i).padStart(5, '0')}`;
      const bytes = packr.pack({ [key]: i });
      source.set(bytes);
      expect(msgpack.decode(source.subarray(0, bytes.byteLength))).toEqual({ [key]: i });
    }
  });

  it('throws only ERR_DECODE on damaged messages read in place', () => {
    const good = packr.pack({ id: 123456, user: 'user-123456', items: [1, 2, 3], ok: true, score: 0.5 });
    fc.assert(
      fc.property(fc.nat(good.byteLength - 1), fc.nat(255), fc.boolean(), (at, byte, cut) => {
        const source = Buffer.concat([good, Buffer.from([0x92, 0x01, 0x02])]);
        if (!cut) source[at] = byte;
        try {
          decodeFrom(source, 0, cut ? at : good.byteLength);
        } catch (err) {
          expect(isIpcError(err, 'ERR_DECODE')).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never lets a __proto__ key reach a prototype on the fast path', () => {
    const decoded = msgpack.decode(packr.pack(JSON.parse('{"__proto__":{"polluted":true}}'))) as object;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(decoded).toEqual({ __proto_: { polluted: true } });
  });

  it('leaves maps to msgpackr when they decode to Map', () => {
    const codec = createMsgpackCodec({ mapsAsObjects: false });
    const source = new Uint8Array(packr.pack({ a: 1 }));
    expect(codec.decode(source)).toEqual(new Map([['a', 1]]));
    expect(codec.decodeFrom!(source, 0, source.byteLength)).toEqual(new Map([['a', 1]]));
  });

  it('encodes a message whose getter encodes another one meanwhile', () => {
    const inner = { id: 2 };
    const outer = {
      get nested(): unknown {
        return msgpack.decode(msgpack.encode(inner));
      },
      id: 1,
    };
    expect(msgpack.decode(msgpack.encode(outer))).toEqual({ nested: { id: 2 }, id: 1 });
  });

  it('does not write properties that a library made enumerable on Object.prototype', () => {
    Object.defineProperty(Object.prototype, 'injected', { value: 1, enumerable: true, configurable: true });
    try {
      expect(msgpack.decode(msgpack.encode({ own: 1 }))).toEqual({ own: 1 });
    } finally {
      delete (Object.prototype as Record<string, unknown>)['injected'];
    }
  });

  it('hands out encodings that later ones never overwrite', () => {
    const first = msgpack.encode({ n: 1 });
    const copy = Uint8Array.from(first);
    for (let i = 0; i < 20_000; i++) msgpack.encode({ n: i, pad: 'x'.repeat(i % 50) });
    expect(first).toEqual(copy);
  });
});
