import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createPickleCodec, isIpcError, pickle } from '@ipc/core';

/**
 * Fuzzing the pickle reader: every input decodes or fails with ERR_DECODE — nothing else, no hang.
 * A few seconds by default (9,000 hostile inputs); `PICKLE_FUZZ_INPUTS=1000000 npx jest
 * packages/core/test/pickle-fuzz.test.ts` shares a million hostile inputs among the three hostile
 * properties (each input is decoded twice: plain objects and `dictsAsMaps`).
 */
const inputs = Number(process.env['PICKLE_FUZZ_INPUTS'] ?? 9000);
const runs = Math.ceil(inputs / 3);
const timeout = Math.max(120_000, runs * 2);

// Seeds written by Python 3.11 (protocols 5, 2 and 0): every data opcode, memo references, a cycle.
const seeds = [
  '8005956f000000000000007d94288c0161945d94284b018a090000000000000000404afdffffff4740040000000000008c0668c3a96c6c6f94430378797a944b014b0286948f94284b0390284b0491944e889601000000000000007194658c0162947d948c0163948c0364646494738c0172945d94680e61752e',
  '80025d7100284b014b028571017d710258010000006b71034e73652e',
  '286c70300a49310a6146322e350a6156780a70310a61286470320a566b0a70330a286c70340a4930310a6173612e',
].map((hex) => Buffer.from(hex, 'hex'));
seeds.push(
  Buffer.from(
    pickle.encode({ a: [1, -1, 2n ** 80n, 0.5, 'é', Buffer.from('b'), new Set([1]), {}], b: null }),
  ),
);

const maps = createPickleCodec({ dictsAsMaps: true, maxDepth: 50 });

function onlyDecodeErrors(bytes: Uint8Array): void {
  for (const codec of [pickle, maps]) {
    try {
      codec.decode(bytes);
    } catch (err) {
      if (!isIpcError(err, 'ERR_DECODE')) throw err;
    }
  }
}

/** A seed with some bytes replaced, inserted or removed, or cut short. */
const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(
      fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')),
      {
        minLength: 1,
        maxLength: 6,
      },
    ),
    fc.option(fc.nat()),
  )
  .map(([seed, edits, cut]) => {
    const bytes = [...seed];
    for (const [at, value, how] of edits) {
      const i = at % (bytes.length + 1);
      if (how === 'set' && i < bytes.length) bytes[i] = value;
      else if (how === 'insert') bytes.splice(i, 0, value);
      else bytes.splice(i, 1);
    }
    return Uint8Array.from(cut === null ? bytes : bytes.slice(0, cut % (bytes.length + 1)));
  });

/** Opcode soup: a protocol header, then bytes drawn mostly from the opcodes and small arguments. */
const opcodeSoup = fc
  .array(
    fc.constantFrom(
      ...Buffer.from(
        '()0123FGIJKLMNSTUXabcdeghjlpqrstu}]\x80\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f\x90\x91\x93\x94\x95\x96\x00\x01\x02\x04\x0a\xff',
      ),
    ),
    {
      maxLength: 64,
    },
  )
  .map((body) => Uint8Array.from([0x80, 4, ...body, 0x2e]));

const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.maxSafeInteger(),
    fc.bigInt(),
    fc.string({ unit: 'grapheme' }),
    fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
    fc.array(tie('v'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'grapheme' }), tie('v'), { maxKeys: 5 }),
    fc.uniqueArray(fc.oneof(fc.string(), fc.maxSafeInteger()), { maxLength: 5 }).map((a) => new Set(a)),
  ),
})).v;

/** What a value reads back as: bigints in the safe range are numbers. */
function expected(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? Number(v) : v;
  if (Array.isArray(v)) return v.map(expected);
  if (v instanceof Set || Buffer.isBuffer(v)) return v;
  if (typeof v === 'object' && v !== null) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(o, k, {
        value: expected(x),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return o;
  }
  return v;
}

describe(`pickle codec fuzzing (${inputs} hostile inputs)`, () => {
  it(
    'random bytes give a value or ERR_DECODE',
    () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => onlyDecodeErrors(bytes)),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'mutated and truncated real pickles give a value or ERR_DECODE',
    () => {
      fc.assert(
        fc.property(mutated, (bytes) => onlyDecodeErrors(bytes)),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'opcode soup gives a value or ERR_DECODE',
    () => {
      fc.assert(
        fc.property(opcodeSoup, (bytes) => onlyDecodeErrors(bytes)),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'every value it can encode decodes back to the same value',
    () => {
      fc.assert(
        fc.property(value, (v) => {
          expect(pickle.decode(pickle.encode(v))).toEqual(expected(v));
        }),
        { numRuns: Math.min(runs, 20_000) },
      );
    },
    timeout,
  );
});
