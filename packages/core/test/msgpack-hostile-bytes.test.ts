import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createMsgpackCodec, isIpcError, msgpack, type Codec } from '@ipc/core';

const asMaps = createMsgpackCodec({ mapsAsObjects: false });

/** Why `value` is not plain data (a path and a reason), or `undefined` when it is. */
function notPlain(value: unknown, path = '$', depth = 0): string | undefined {
  if (depth > 2000) return `${path}: nested too deep to check`;
  if (value === null) return undefined;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return undefined;
    case 'object':
      break;
    default:
      return `${path}: a ${typeof value}`;
  }
  const proto = Object.getPrototypeOf(value) as object | null;
  if (ArrayBuffer.isView(value)) {
    return proto === Buffer.prototype || proto === Uint8Array.prototype ? undefined : `${path}: a view`;
  }
  if (proto === Date.prototype) return undefined;
  if (proto === Map.prototype) {
    for (const [k, v] of value as Map<unknown, unknown>) {
      const bad = notPlain(k, `${path}<key>`, depth + 1) ?? notPlain(v, `${path}<value>`, depth + 1);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) {
    return `${path}: an object of prototype ${String((proto as { constructor?: { name?: string } }).constructor?.name)}`;
  }
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'symbol') return `${path}: a symbol key`;
    const d = Object.getOwnPropertyDescriptor(value, key);
    if (d === undefined || !('value' in d)) return `${path}.${key}: an accessor`;
    if (Array.isArray(value) && key === 'length') continue;
    const bad = notPlain(d.value, `${path}.${key}`, depth + 1);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

/** Decodes `bytes`: 'plain' when the result is plain data, 'refused' for ERR_DECODE, else why not. */
function outcome(codec: Codec<unknown>, bytes: Uint8Array): string {
  let value: unknown;
  try {
    value = codec.decode(bytes);
  } catch (err) {
    return isIpcError(err, 'ERR_DECODE') ? 'refused' : `threw ${String(err)}`;
  }
  return notPlain(value) ?? 'plain';
}

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s/g, ''), 'hex');

describe('msgpack with hostile bytes', () => {
  it('refuses the error extension named valueOf (17 bytes) instead of returning msgpackr internals', () => {
    // fixext 4 of type 0x65 ('e', msgpackr's errors), then the array ["valueOf", nil, nil]
    const bytes = hex('d6 65 00000000  93 a7 76616c75654f66 c0 c0');
    expect(bytes.byteLength).toBe(17);
    expect(outcome(msgpack, bytes)).toBe('refused');
    expect(outcome(asMaps, bytes)).toBe('refused');
    // The same payload as an ext 8, and errors named after other inherited properties.
    for (const name of ['valueOf', 'constructor', 'toString', 'Error', 'hasOwnProperty']) {
      const str = Buffer.concat([Buffer.from([0xa0 + name.length]), Buffer.from(name)]);
      const payload = Buffer.concat([hex('c7 00 65 93'), str, hex('c0 c0')]);
      expect(outcome(msgpack, payload)).toBe('refused');
    }
  });

  it('refuses byte 0xc1 ("never used") wherever it stands', () => {
    for (const bytes of [hex('c1'), hex('91 c1'), hex('81 a1 61 c1'), hex('82 c1 01 a1 62 02')]) {
      expect(outcome(msgpack, bytes)).toBe('refused');
      expect(outcome(asMaps, bytes)).toBe('refused');
    }
  });

  it("refuses msgpackr's object-building extensions: records, sets, regexps, typed arrays, references", () => {
    const cases = [
      'd4 72 40', // record definition
      'd5 72 40 00',
      'd4 73 00 91 01', // Set
      'd4 78 00 92 a1 61 a0', // RegExp
      'd6 74 08 00 00 00', // Float32Array ('t' code 7 / 8)
      'c7 01 74 10', // ArrayBuffer (code 16)
      'd6 69 00 00 00 01 90', // structured-clone id
      'd6 70 00 00 00 01', // structured-clone pointer
      'd6 62 00 00 00 05 a0', // bundled strings
      'd4 42 01', // BigInt extension
      'd4 05 00', // an unknown application type
    ];
    for (const text of cases) expect([text, outcome(msgpack, hex(text))]).toEqual([text, 'refused']);
  });

  it('still decodes the standard extensions it writes: timestamps and undefined', () => {
    const when = new Date(1_700_000_000_123);
    const message = { when, gone: undefined, bytes: Buffer.from([1, 2, 3]), big: 2 ** 60 };
    const decoded = msgpack.decode(msgpack.encode(message)) as Record<string, unknown>;
    expect(decoded['when']).toEqual(when);
    expect('gone' in decoded && decoded['gone'] === undefined).toBe(true);
    expect(Buffer.from(decoded['bytes'] as Uint8Array)).toEqual(Buffer.from([1, 2, 3]));
    expect(notPlain(decoded)).toBeUndefined();
    const map = new Map<unknown, unknown>([
      [1, 'one'],
      ['two', [2]],
    ]);
    expect(asMaps.decode(asMaps.encode(map))).toEqual(map);
    // A timestamp of a length the standard does not define is refused, not an invalid Date.
    expect(outcome(msgpack, hex('d5 ff 00 00'))).toBe('refused');
  });

  it('decodes them when msgpackrExtensions opts in (trusted peers)', () => {
    const trusting = createMsgpackCodec({ msgpackrExtensions: true });
    const decoded = trusting.decode(trusting.encode({ s: new Set([1, 2]), e: new RangeError('no') })) as {
      s: Set<number>;
      e: Error;
    };
    expect(decoded.s).toEqual(new Set([1, 2]));
    expect(decoded.e).toBeInstanceOf(RangeError);
  });

  it('gives only ERR_DECODE or plain data over 200,000 seeded hostile messages', () => {
    const random = seeded(0x1badc0de);
    const seen = new Map<string, number>();
    let refused = 0;
    for (let i = 0; i < 200_000; i++) {
      const bytes = hostileMessage(random);
      const codec = i % 4 === 3 ? asMaps : msgpack;
      const result = outcome(codec, bytes);
      if (result === 'refused') refused++;
      else if (result !== 'plain') seen.set(result, (seen.get(result) ?? 0) + 1);
      if (seen.size > 0 && i % 1000 === 0) break;
    }
    expect([...seen]).toEqual([]);
    // The generator reaches both sides: messages that decode and messages that are refused.
    expect(refused).toBeGreaterThan(10_000);
    expect(200_000 - refused).toBeGreaterThan(2_000);
  }, 180_000);

  it('gives only ERR_DECODE or plain data for arbitrary bytes (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        expect(outcome(msgpack, bytes)).toMatch(/^(plain|refused)$/);
        expect(outcome(asMaps, bytes)).toMatch(/^(plain|refused)$/);
      }),
      { numRuns: 5_000, seed: 20 },
    );
  }, 120_000);
});

/** A seeded xorshift32: the same messages on every run. */
function seeded(seed: number): (below: number) => number {
  let x = seed | 0 || 1;
  return (below) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % below;
  };
}

const NAMES = [
  'valueOf',
  'constructor',
  'toString',
  '__proto__',
  'Error',
  'TypeError',
  'hasOwnProperty',
  'a',
];

/** A message of msgpack tokens, most of them well-formed headers, biased to extensions and names. */
function hostileMessage(random: (below: number) => number): Uint8Array {
  const out: number[] = [];
  const tokens = 1 + random(12);
  for (let t = 0; t < tokens; t++) {
    const pick = random(16);
    if (pick < 3) {
      // fixext 1/2/4/8/16 or ext 8 of a random type
      const sizes = [1, 2, 4, 8, 16];
      const k = random(6);
      const type =
        random(4) === 0
          ? 0xff
          : random(3) === 0
            ? [0x65, 0x72, 0x73, 0x74, 0x78, 0x69, 0x70, 0x62, 0x42, 0][random(10)]!
            : random(256);
      if (k < 5) out.push(0xd4 + k, type);
      else out.push(0xc7, random(20), type);
      const len = k < 5 ? sizes[k]! : (out[out.length - 2] as number);
      for (let i = 0; i < len && random(8) !== 0; i++) out.push(random(256));
    } else if (pick < 5) {
      const name = NAMES[random(NAMES.length)]!;
      out.push(0xa0 + name.length, ...Buffer.from(name));
    } else if (pick < 7)
      out.push(0x90 + random(4)); // small arrays
    else if (pick < 9)
      out.push(0x80 + random(3)); // small maps
    else if (pick < 10) out.push(0xc1);
    else if (pick < 11)
      out.push(0xc4, random(4), random(256), random(256)); // bin 8
    else if (pick < 12)
      out.push(0xc0 + random(64)); // any header byte
    else out.push(random(256));
  }
  return Uint8Array.from(out);
}
