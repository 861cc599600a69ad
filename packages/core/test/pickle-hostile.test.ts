import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createPickleCodec, isIpcError, pickle } from '@ipc/core';
import { pythonDumps } from './fixtures/python-pickle.js';

/** Bytes from a latin1 string (pickle opcodes are mostly printable). */
const b = (text: string): Buffer => Buffer.from(text, 'latin1');

function decodeError(bytes: Uint8Array, codec = pickle): { code: string; message: string } {
  try {
    codec.decode(bytes);
  } catch (err) {
    if (!isIpcError(err)) throw err;
    return { code: err.code, message: err.message };
  }
  throw new Error('decoded without an error');
}

const refused: [string, string][] = [
  ['GLOBAL', '\x80\x02cos\nsystem\n.'],
  ['STACK_GLOBAL', '\x80\x04\x8c\x02os\x8c\x06system\x93.'],
  ['REDUCE', '\x80\x02N)R.'],
  ['BUILD', '\x80\x02}}b.'],
  ['INST', '\x80\x02(ios\nsystem\n.'],
  ['OBJ', '\x80\x02(N)o.'],
  ['NEWOBJ', '\x80\x02N)\x81.'],
  ['NEWOBJ_EX', '\x80\x04N)}\x92.'],
  ['EXT1', '\x80\x02\x82\x01.'],
  ['EXT2', '\x80\x02\x83\x01\x00.'],
  ['EXT4', '\x80\x02\x84\x01\x00\x00\x00.'],
  ['PERSID', '\x80\x02P1\n.'],
  ['BINPERSID', '\x80\x02NQ.'],
  ['NEXT_BUFFER', '\x80\x05\x97.'],
  ['READONLY_BUFFER', '\x80\x05N\x98.'],
];

describe('pickle codec against hostile pickles', () => {
  it.each(refused)('refuses %s with ERR_DECODE', (name, stream) => {
    expect(decodeError(b(stream))).toEqual({
      code: 'ERR_DECODE',
      message: expect.stringContaining(`refused opcode ${name}`),
    });
  });

  it.each(['0', '1', '2', '3', '4', '5'])(
    'refuses what Python writes for objects of classes (protocol %s), and nothing runs',
    (protocol) => {
      const marker = join(tmpdir(), `ipc-pickle-pwned-${process.pid}`);
      rmSync(marker, { force: true });
      const evil = pythonDumps(
        `(lambda os: type("Evil", (), {"__reduce__": lambda self: (os.system, ("touch ${marker}",))})())(__import__("os"))`,
        protocol,
      );
      expect(decodeError(evil)).toEqual({
        code: 'ERR_DECODE',
        message: expect.stringMatching(/refused opcode (GLOBAL|STACK_GLOBAL)/),
      });
      expect(existsSync(marker)).toBe(false);
      for (const expression of [
        '__import__("datetime").date(2020, 1, 1)',
        'complex(1, 2)',
        '__import__("decimal").Decimal(1)',
      ]) {
        expect(decodeError(pythonDumps(expression, protocol)).code).toBe('ERR_DECODE');
      }
    },
  );

  it('bounds nesting: 1000 deep reads, 1001 deep is ERR_DECODE (default maxDepth), however it is built', () => {
    const nested = (n: number): Buffer => b('\x80\x04' + ']'.repeat(n) + 'a'.repeat(n - 1) + '.');
    let v = pickle.decode(nested(1000));
    let depth = 0;
    while (Array.isArray(v)) {
      depth++;
      v = v[0];
    }
    expect(depth).toBe(1000);
    expect(decodeError(nested(1001)).message).toContain('nest more than 1000 deep');
    // Built top-down through the memo (each list filled after it was nested), 100,000 deep.
    const chain = ['\x80\x04]r\x00\x00\x00\x00'];
    for (let i = 0; i < 100_000; i++) {
      const idx = (n: number): string =>
        String.fromCharCode(n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24);
      chain.push(`j${idx(i)}]r${idx(i + 1)}a0`);
    }
    expect(decodeError(b(chain.join('') + '.')).message).toContain('nest more than 1000 deep');
    expect(decodeError(nested(50), createPickleCodec({ maxDepth: 10 })).message).toContain(
      'more than 10 deep',
    );
    // A million MARKs or a million items on the stack: no recursion, a typed error at the end.
    expect(decodeError(b('\x80\x04' + '('.repeat(1_000_000) + '.')).code).toBe('ERR_DECODE');
    expect(decodeError(b('\x80\x04' + 'N'.repeat(1_000_000) + '.')).code).toBe('ERR_DECODE');
  });

  it('bounds the memo and refuses missing memo entries, however large the index', () => {
    expect(decodeError(b('\x80\x04j\xff\xff\xff\xff.')).message).toContain(
      'memo entry 4294967295 is missing',
    );
    expect(decodeError(b('\x80\x04h\x07.')).message).toContain('memo entry 7 is missing');
    expect(decodeError(b('\x80\x02g99999999999\n.')).code).toBe('ERR_DECODE');
    expect(pickle.decode(b('\x80\x04Nr\xff\xff\xff\xff0j\xff\xff\xff\xff.'))).toBeNull();
    const small = createPickleCodec({ maxMemo: 10 });
    expect(small.decode(b('\x80\x04(' + 'N\x94'.repeat(10) + 'l.'))).toHaveLength(10);
    expect(decodeError(b('\x80\x04(' + 'N\x94'.repeat(11) + 'l.'), small).message).toContain(
      'more than 10 memo entries',
    );
  });

  it('refuses every truncation of a real message, and lengths that claim more than the stream holds', () => {
    const whole = pythonDumps(
      '{"a": [1, 2**70, 2.5, "héllo", b"xyz" * 100, (1, 2), {3}, frozenset(), None, True], "b": {"c": "d" * 300}}',
      '5',
    );
    expect(pickle.decode(whole)).toBeTruthy();
    for (let n = 0; n < whole.length; n++) expect(decodeError(whole.subarray(0, n)).code).toBe('ERR_DECODE');
    for (const stream of [
      '\x80\x04\x8b\xff\xff\xff\x7f', // LONG4 of 2 GiB
      '\x80\x04\x8b\xff\xff\xff\xff', // LONG4 with a negative length
      '\x80\x04\x8e\xff\xff\xff\xff\xff\xff\xff\xff', // BINBYTES8 of 2^64 - 1
      '\x80\x05\x96\x00\x00\x00\x00\x01\x00\x00\x00', // BYTEARRAY8 of 4 GiB
      '\x80\x04\x95\xff\xff\xff\xff\xff\xff\xff\x7fN.', // FRAME larger than the stream
      '\x80\x04X\xff\xff\xff\xff', // BINUNICODE of 4 GiB
      '\x80\x06N.', // protocol 6
      '\x80\x04N.N', // bytes after STOP
      '\x80\x04NN.', // two values
      '\x80\x04a.', // APPEND to nothing
      '\x80\x04)Na.', // APPEND to a tuple
      '\x80\x04\x91N\x90.', // ADDITEMS to a frozenset
      '\x80\x04]Ns.', // SETITEM on a list
      '\x80\x04}(Nu.', // SETITEMS with an odd count
      '\x80\x04}]Ns.', // a list as a dict key
      '\x80\x02U\x02\xc3\xa9.', // a Python 2 str that is not ASCII
      "\x80\x02S'abc'\n.", // protocol 0 STRING (unsupported)
      '', // nothing
    ]) {
      expect(decodeError(b(stream)).code).toBe('ERR_DECODE');
    }
  });

  it('reads protocol 0 and 1 data and Python 2 byte strings that are ASCII', () => {
    expect(pickle.decode(pythonDumps('[1, -2, 2.5, None, True, False, 2**70]', '0'))).toEqual([
      1,
      -2,
      2.5,
      null,
      true,
      false,
      2n ** 70n,
    ]);
    expect(pickle.decode(pythonDumps('[1, 2.5, None, "x", (1,), {"k": [True]}]', '1'))).toEqual([
      1,
      2.5,
      null,
      'x',
      [1],
      { k: [true] },
    ]);
    expect(pickle.decode(b('\x80\x02U\x03abcq\x00.'))).toBe('abc');
    expect(pickle.decode(b('\x80\x02T\x02\x00\x00\x00hi.'))).toBe('hi');
  });

  it('a __proto__ or constructor key never reaches a prototype, with or without dictsAsMaps', () => {
    const stream = b('\x80\x04}(\x8c\x09__proto__}(\x8c\x08polluted\x88u\x8c\x0bconstructor}u.');
    const o = pickle.decode(stream) as Record<string, unknown>;
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.keys(o)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const m = createPickleCodec({ dictsAsMaps: true }).decode(stream) as Map<string, unknown>;
    expect(m.get('__proto__')).toEqual(new Map([['polluted', true]]));
  });
});
