import { IpcError } from '@ipc/core';

/** The element types of {@link Value} and {@link SharedArray}. */
export type ElementType =
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'bigint64'
  | 'biguint64'
  | 'float32'
  | 'float64';

/**
 * Python's `array`/`multiprocessing` typecodes, as on Linux x86-64/arm64: `'b' 'B' 'h' 'H' 'i' 'I'
 * 'l' 'L' 'q' 'Q' 'f' 'd'` (`'l'`/`'L'` are 64-bit there, like C's `long`) and `'c'` (a byte).
 */
export type PythonTypecode = 'b' | 'B' | 'c' | 'h' | 'H' | 'i' | 'I' | 'l' | 'L' | 'q' | 'Q' | 'f' | 'd';

/** The element type a type name or Python typecode stands for. */
export type ResolveType<K extends ElementType | PythonTypecode> = K extends ElementType
  ? K
  : {
      b: 'int8';
      B: 'uint8';
      c: 'uint8';
      h: 'int16';
      H: 'uint16';
      i: 'int32';
      I: 'uint32';
      l: 'bigint64';
      L: 'biguint64';
      q: 'bigint64';
      Q: 'biguint64';
      f: 'float32';
      d: 'float64';
    }[K & PythonTypecode];

/** The typed array class of each element type. */
export interface TypedArrayOf {
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  bigint64: BigInt64Array;
  biguint64: BigUint64Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** The JavaScript value of an element: `bigint` for the 64-bit integers, `number` otherwise. */
export type ElementValue<T extends ElementType> = T extends 'bigint64' | 'biguint64' ? bigint : number;

const TYPES = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  bigint64: BigInt64Array,
  biguint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

const TYPECODES: Record<PythonTypecode, ElementType> = {
  b: 'int8',
  B: 'uint8',
  c: 'uint8',
  h: 'int16',
  H: 'uint16',
  i: 'int32',
  I: 'uint32',
  l: 'bigint64',
  L: 'biguint64',
  q: 'bigint64',
  Q: 'biguint64',
  f: 'float32',
  d: 'float64',
};

/** The stable number of each type in a segment header. */
export const TYPE_IDS: readonly ElementType[] = Object.keys(TYPES) as ElementType[];

/** Resolves a type name or Python typecode; `ERR_INVALID_ARGUMENT` for anything else. */
export function elementType(type: ElementType | PythonTypecode): ElementType {
  if (Object.hasOwn(TYPES, type)) return type as ElementType;
  const mapped = Object.hasOwn(TYPECODES, type) ? TYPECODES[type as PythonTypecode] : undefined;
  if (mapped === undefined) {
    throw new IpcError('ERR_INVALID_ARGUMENT', `unknown element type ${JSON.stringify(type)}`);
  }
  return mapped;
}

/** Bytes per element of `type`. */
export function elementBytes(type: ElementType): number {
  return TYPES[type].BYTES_PER_ELEMENT;
}

/** A typed array of `type` over `length` elements of `buffer`. */
export function typedArray<T extends ElementType>(
  type: T,
  buffer: ArrayBuffer,
  length: number,
): TypedArrayOf[T] {
  return new TYPES[type](buffer, 0, length) as TypedArrayOf[T];
}

/** Whether `Atomics` works on arrays of `type` (the integer types). */
export function isAtomicType(type: ElementType): boolean {
  return type !== 'float32' && type !== 'float64';
}
