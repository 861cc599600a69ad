import { describe, expect, it } from '@jest/globals';
import { createPickleCodec, DEFAULT_PICKLE_PROTOCOL, pickle, type PickleProtocol } from '@ipc/core';
import { python, pythonDumps, pythonRepr } from './fixtures/python-pickle.js';

const maps = createPickleCodec({ dictsAsMaps: true });

const message = {
  id: 7,
  user: 'héllo ☃ 日本 🎉',
  items: [1, -2, 255, 256, 65535, 65536, -2147483648, 2147483647, 2 ** 40, -(2 ** 52)],
  big: [2n ** 64n, -(2n ** 64n), 2n ** 1000n + 1n, -(2n ** 63n)],
  floats: [0.5, -1.25e-300, 1e300, Infinity, -Infinity],
  nothing: null,
  flags: [true, false],
  bytes: Buffer.from([0, 1, 2, 255]),
  longText: 'x'.repeat(300),
  longBytes: Buffer.alloc(70_000, 7),
  nested: { a: { b: { c: [[], {}, [[1]]] } } },
};

describe('pickle codec against real Python (python3, standard library only)', () => {
  it('writes protocol 4 by default, as Connection.send on Python 3.8–3.13', () => {
    expect(DEFAULT_PICKLE_PROTOCOL).toBe(4);
    expect([...pickle.encode(1).subarray(0, 2)]).toEqual([0x80, 4]);
    // What Connection.send writes here: the first two bytes of ForkingPickler.dumps (PROTO n).
    const [minor, sent] = python(
      'import sys\nfrom multiprocessing.reduction import ForkingPickler\n' +
        'print(sys.version_info[1], bytes(ForkingPickler.dumps(1))[1], end="")',
    )
      .toString()
      .split(' ')
      .map(Number);
    expect(sent).toBe((minor as number) >= 14 ? 5 : 4);
  });

  it.each([2, 3, 4, 5] as PickleProtocol[])('Python reads what protocol %i writes', (protocol) => {
    const codec = createPickleCodec({ protocol });
    const bytes = codec.encode(message);
    expect(bytes[1]).toBe(protocol);
    const repr = pythonRepr(bytes);
    expect(repr).toContain("'user': 'héllo ☃ 日本 🎉'");
    expect(repr).toContain('18446744073709551616, -18446744073709551616');
    expect(repr).toContain(`${(2n ** 1000n + 1n).toString()}`);
    expect(repr).toContain("'bytes': b'\\x00\\x01\\x02\\xff'");
    expect(repr).toContain("'nothing': None, 'flags': [True, False]");
    expect(repr).toContain('[0.5, -1.25e-300, 1e+300, inf, -inf]');
    expect(repr).toContain("'nested': {'a': {'b': {'c': [[], {}, [[1]]]}}}");
  });

  it.each(['4', '5', 'pickle.HIGHEST_PROTOCOL', 'None'])(
    'round-trips through Python: Node encodes, Python loads and dumps (protocol %s), Node decodes',
    (protocol) => {
      const back = python(
        `import sys, pickle\nv = pickle.loads(sys.stdin.buffer.read())\nsys.stdout.buffer.write(pickle.dumps(v, protocol=${protocol}))`,
        pickle.encode(message),
      );
      expect(pickle.decode(back)).toEqual(message);
    },
  );

  it('writes ints exactly as Python does (LONG1/LONG4 two’s complement, minimal length)', () => {
    const values = [
      0n,
      1n,
      -1n,
      127n,
      128n,
      -128n,
      -129n,
      255n,
      256n,
      2n ** 31n,
      -(2n ** 31n) - 1n,
      2n ** 63n - 1n,
    ];
    for (let i = 0; i < 60; i++) values.push(-(2n ** BigInt(i * 17)), 2n ** BigInt(i * 17) - 1n);
    const mine = pickle.encode(values);
    const theirs = pythonDumps(`[${values.join(', ')}]`, '4');
    // Python also memoizes and frames; compare the values both ways rather than the bytes.
    expect(pythonRepr(mine)).toBe(pythonRepr(theirs));
    expect(pickle.decode(theirs)).toEqual(
      values.map((v) => (v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? Number(v) : v)),
    );
  });

  it('reads what only Python writes: tuples, sets, frozensets, bytearray (protocol 5), shared and cyclic references', () => {
    expect(pickle.decode(pythonDumps('(1, (2, 3), (), (4,), (1, 2, 3, 4, 5))'))).toEqual([
      1,
      [2, 3],
      [],
      [4],
      [1, 2, 3, 4, 5],
    ]);
    expect(pickle.decode(pythonDumps('{1, 2, "three"}'))).toEqual(new Set([1, 2, 'three']));
    expect(pickle.decode(pythonDumps('frozenset([1])'))).toEqual(new Set([1]));
    expect(pickle.decode(pythonDumps('bytearray(b"abc")', '5'))).toEqual(Buffer.from('abc'));
    const shared = pickle.decode(pythonDumps('(lambda x: [x, x])([1, 2])')) as unknown[][];
    expect(shared[0]).toBe(shared[1]);
    const cyclic = pickle.decode(pythonDumps('(lambda l: (l.append(l), l)[1])([1])')) as unknown[];
    expect(cyclic[1]).toBe(cyclic);
    // A cyclic list with more than 1000 items: Python appends in batches of 1000 after the self-reference.
    const longCycle = pickle.decode(
      pythonDumps('(lambda l: (l.append(l), l.extend(range(2500)), l)[2])([])'),
    ) as unknown[];
    expect(longCycle).toHaveLength(2501);
    expect(longCycle[0]).toBe(longCycle);
    // Big ints: numbers while safe, bigints beyond.
    expect(pickle.decode(pythonDumps('[2**53 - 1, -(2**53 - 1), 2**53, 2**64, -(2**100)]'))).toEqual([
      2 ** 53 - 1,
      -(2 ** 53 - 1),
      2n ** 53n,
      2n ** 64n,
      -(2n ** 100n),
    ]);
  });

  it('reads dicts with non-str keys: as objects with JavaScript key text, or as Maps (dictsAsMaps)', () => {
    const bytes = pythonDumps('{3: "a", 2.5: "b", True: "c", None: "d", "e": 5}');
    expect(pickle.decode(bytes)).toEqual({ 3: 'a', 2.5: 'b', true: 'c', null: 'd', e: 5 });
    expect(maps.decode(bytes)).toEqual(
      new Map<unknown, unknown>([
        [3, 'a'],
        [2.5, 'b'],
        [true, 'c'],
        [null, 'd'],
        ['e', 5],
      ]),
    );
    const tupleKeys = pythonDumps('{(1, 2): "pair", frozenset([3]): "set"}');
    expect(() => pickle.decode(tupleKeys)).toThrow(expect.objectContaining({ code: 'ERR_DECODE' }));
    expect(maps.decode(tupleKeys)).toEqual(
      new Map<unknown, unknown>([
        [[1, 2], 'pair'],
        [new Set([3]), 'set'],
      ]),
    );
    // And the other way: Map keys that are arrays or Sets become tuples and frozensets.
    expect(
      pythonRepr(
        pickle.encode(
          new Map<unknown, unknown>([
            [[1, [2]], 'x'],
            [new Set([3]), 'y'],
          ]),
        ),
      ),
    ).toBe("{(1, (2,)): 'x', frozenset({3}): 'y'}");
  });

  it('a __proto__ key from Python is an own property, never the prototype', () => {
    const decoded = pickle.decode(pythonDumps('{"__proto__": {"polluted": True}, "a": 1}')) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect((decoded as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(pythonRepr(pickle.encode(decoded))).toBe("{'__proto__': {'polluted': True}, 'a': 1}");
  });

  it('refuses what it cannot encode with ERR_ENCODE', () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    for (const v of [
      new Date(),
      () => 1,
      Symbol('s'),
      new Float64Array(2),
      cyclic,
      new Set([{}]),
      new Map([[{}, 1]]),
    ]) {
      expect(() => pickle.encode(v)).toThrow(expect.objectContaining({ code: 'ERR_ENCODE' }));
    }
    expect(() => createPickleCodec({ protocol: 6 as PickleProtocol })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
    expect(pythonRepr(pickle.encode([undefined, -0, 1e20, 2 ** 53 - 1]))).toBe(
      '[None, -0.0, 1e+20, 9007199254740991]',
    );
  });
});
