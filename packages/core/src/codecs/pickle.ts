import type { Codec } from '../codec.js';
import { IpcError } from '../errors.js';
import { DEFAULT_PICKLE_PROTOCOL, type PickleProtocol } from './pickle-opcodes.js';
import { readPickle } from './pickle-reader.js';
import { writePickle } from './pickle-writer.js';

/** Options of {@link createPickleCodec}. */
export interface PickleCodecOptions {
  /**
   * The protocol written (2 to 5; default 4, what Python 3.8–3.13's `Connection.send` writes — 3.14
   * writes 5; every Python 3.8+ reads both). At 2 and 3, `bytes`, `set` and `frozenset` still use the
   * protocol 3/4 opcodes, which Python 3 reads at any protocol (Python 2 cannot).
   */
  protocol?: PickleProtocol;
  /**
   * Decode every `dict` to a `Map` (keys of any type: tuples become arrays, `frozenset`s Sets). Default
   * `false`: a plain object, whose keys are the dict's `str` keys, with `int`, `float`, `bool` and `None`
   * keys written as JavaScript writes them (`1`, `1.5`, `true`, `null`, as `json.dumps` does); any other
   * key is an `ERR_DECODE`. A `__proto__` key is an own property, never the prototype.
   */
  dictsAsMaps?: boolean;
  /** The deepest nesting of containers encoded or decoded (default 1000, as Python's recursion limit). */
  maxDepth?: number;
  /** The most memo entries a decoded stream may make (default 16,777,216). */
  maxMemo?: number;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new IpcError('ERR_INVALID_ARGUMENT', `pickle: ${name} must be a positive integer`);
  }
  return value;
}

/**
 * Python's pickle, safe by construction: what Python's `multiprocessing.connection` `send`/`recv`
 * speak, so a Python program that uses them talks to a Node peer unchanged.
 *
 * Encoding: `null`/`undefined` → `None`, booleans, safe integers (|n| ≤ 2^53 − 1) → `int`, other
 * numbers (`-0`, fractions, and integer-valued numbers beyond 2^53, which lost their precision) → `float`, `bigint` → `int`, strings → `str`, `Uint8Array`/`Buffer` → `bytes`,
 * arrays → `list`, plain objects and `Map`s → `dict`, `Set`s → `set`; inside a dict key or a set an
 * array is a `tuple` and a Set a `frozenset`. Anything else (class instances, Dates, functions,
 * cycles) is an `ERR_ENCODE`.
 *
 * Decoding: the same types back, plus `tuple` → array, `frozenset` → `Set`, `bytearray` (protocol 5)
 * → bytes (a `Buffer`). An `int` is a `number` when it is a safe integer (|n| ≤ 2^53 − 1) and a
 * `bigint` otherwise — so every `number` read is exact and every `int` keeps its value, and what this
 * codec writes reads back as the same type (write a bigint to send a big `int`).
 * Strings that are not valid UTF-8 (Python's lone surrogates) read with U+FFFD in their place.
 *
 * Safety: the opcodes that name a class or call something — GLOBAL, STACK_GLOBAL, REDUCE, BUILD,
 * INST, OBJ, NEWOBJ, NEWOBJ_EX, EXT1/2/4, PERSID, BINPERSID (and out-of-band buffers) — are an
 * `ERR_DECODE` before anything is constructed; nothing is ever evaluated. So objects of other Python
 * classes (datetime, Decimal, complex, a `bytearray` at protocol 4 and below…) cannot be received:
 * send plain data. Memo size and nesting depth are bounded; a truncated stream, bytes after STOP or
 * anything malformed is an `ERR_DECODE`.
 */
export function createPickleCodec<T = unknown>(options: PickleCodecOptions = {}): Codec<T> {
  const protocol = options.protocol ?? DEFAULT_PICKLE_PROTOCOL;
  if (![2, 3, 4, 5].includes(protocol)) {
    throw new IpcError('ERR_INVALID_ARGUMENT', 'pickle: protocol must be 2, 3, 4 or 5');
  }
  const maxDepth = positiveInteger('maxDepth', options.maxDepth, 1000);
  const maxMemo = positiveInteger('maxMemo', options.maxMemo, 16 * 1024 * 1024);
  const read = { dictsAsMaps: options.dictsAsMaps ?? false, maxDepth, maxMemo };
  const write = { protocol, maxDepth };
  const decodeRange = (source: Uint8Array, start: number, end: number): T => {
    try {
      return readPickle(source, start, end, read) as T;
    } catch (err) {
      if (err instanceof IpcError) throw err;
      throw new IpcError('ERR_DECODE', `pickle: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  };
  return {
    name: 'pickle',
    encode(value: T): Uint8Array {
      try {
        return writePickle(value, write);
      } catch (err) {
        if (err instanceof IpcError) throw err;
        throw new IpcError('ERR_ENCODE', `pickle cannot encode this value: ${String(err)}`, { cause: err });
      }
    },
    decode: (bytes: Uint8Array): T => decodeRange(bytes, 0, bytes.byteLength),
    decodeFrom: decodeRange,
  };
}

/** Python's pickle with the default options (see {@link createPickleCodec}). */
export const pickle: Codec<unknown> = createPickleCodec();
