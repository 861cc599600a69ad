import { IpcError, Mutex, type WaitOptions } from '@ipc/core';
import {
  elementBytes,
  elementType,
  TYPE_IDS,
  typedArray,
  type ElementType,
  type ElementValue,
  type PythonTypecode,
  type ResolveType,
  type TypedArrayOf,
} from './element-type.js';
import { SharedMemory } from './shared-memory.js';

/** Options of {@link SharedArray.create} and {@link Value.create}. */
export interface SharedArrayOptions {
  /** Whether to include a cross-process `Mutex` for `withLock` (default true, as Python's `lock=True`). */
  lock?: boolean | undefined;
  /** Permission bits of the segment (default `0o600`). */
  mode?: number | undefined;
}

const MAGIC = 0x41435049; // 'IPCA'
const META_BYTES = 32; // int32 magic, int32 type, float64 length, int32 hasLock, int32 pad, Mutex (2 int32)

/**
 * A fixed-length typed array in a named segment (Python's `multiprocessing.Array`, by name): the
 * elements start at byte 0, so any process that maps the name sees them (Python:
 * `SharedMemory(name).buf.cast('i')`). A small header after the elements records the type and length
 * and holds the optional lock. Use `Atomics` on `array` for lock-free updates of integer types.
 *
 * @example
 * ```ts
 * using counts = SharedArray.create('counts', 'int32', 16);
 * await counts.withLock(() => { counts.array[0]! += 1; });
 * Atomics.add(counts.array, 1, 1);
 * ```
 */
export class SharedArray<T extends ElementType = ElementType> implements Disposable {
  /** The elements, over shared memory. */
  readonly array: TypedArrayOf[T];
  /** The lock (`withLock`), when the array has one. */
  readonly lock: Mutex | undefined;

  protected constructor(
    /** The segment holding the array. */
    readonly segment: SharedMemory,
    /** The element type. */
    readonly type: T,
    length: number,
  ) {
    this.array = typedArray(type, segment.buffer, length);
    const meta = metaView(segment);
    this.lock = meta[4] === 1 ? new Mutex(meta, { index: 6, strategy: segment.waitStrategy() }) : undefined;
  }

  /**
   * Creates the array `name` of `type` (a name or a Python typecode) with `init` elements (zeroed) or
   * the given values. `ERR_EXISTS` when the name is taken.
   */
  static create<K extends ElementType | PythonTypecode>(
    name: string,
    type: K,
    init: number | ArrayLike<ElementValue<ResolveType<K>>>,
    options: SharedArrayOptions = {},
  ): SharedArray<ResolveType<K>> {
    const { segment, resolved, length } = createSegment(name, type, init, options);
    const shared = new SharedArray(segment, resolved as ResolveType<K>, length);
    if (typeof init !== 'number') (shared.array as unknown as { set(v: ArrayLike<unknown>): void }).set(init);
    return shared;
  }

  /** Opens the array `name` made by {@link SharedArray.create} in any process. */
  static open<T extends ElementType = ElementType>(name: string): SharedArray<T> {
    const { segment, type, length } = openSegment(name);
    return new SharedArray(segment, type as T, length);
  }

  /** The number of elements. */
  get length(): number {
    return this.array.length;
  }

  /**
   * Runs `fn` holding the array's lock (across processes), releasing it after even if `fn` throws.
   * `ERR_OWNER_DEAD` when the previous holder died holding it (then call again); `ERR_UNSUPPORTED`
   * when the array was made with `lock: false`.
   */
  async withLock<R>(fn: () => R | Promise<R>, options?: WaitOptions): Promise<R> {
    if (!this.lock) throw new IpcError('ERR_UNSUPPORTED', `${this.segment.name} was created without a lock`);
    return this.lock.withLock(fn, options);
  }

  /** Closes the segment (the creator unlinks it). Idempotent. */
  close(): void {
    this.segment.close();
  }

  /** Same as {@link SharedArray.close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

/**
 * One typed value in a named segment (Python's `multiprocessing.Value`, by name), with an optional
 * cross-process lock: `value.withLock(() => { value.value += 1; })`.
 */
export class Value<T extends ElementType = ElementType> extends SharedArray<T> {
  /** Creates the value `name` of `type` (a name or a Python typecode), set to `initial` (default 0). */
  static override create<K extends ElementType | PythonTypecode>(
    name: string,
    type: K,
    initial?: number | bigint | ArrayLike<ElementValue<ResolveType<K>>>,
    options: SharedArrayOptions = {},
  ): Value<ResolveType<K>> {
    const { segment, resolved } = createSegment(name, type, 1, options);
    const v = new Value(segment, resolved as ResolveType<K>, 1);
    if (initial !== undefined && typeof initial !== 'object')
      v.value = initial as ElementValue<ResolveType<K>>;
    return v;
  }

  /** Opens the value `name` made by {@link Value.create} in any process. */
  static override open<T extends ElementType = ElementType>(name: string): Value<T> {
    const { segment, type } = openSegment(name);
    return new Value(segment, type as T, 1);
  }

  /** The current value (an atomic load for integer types). */
  get value(): ElementValue<T> {
    return read(this.array, this.type) as ElementValue<T>;
  }

  /** Sets the value (an atomic store for integer types). */
  set value(v: ElementValue<T>) {
    write(this.array, this.type, v);
  }
}

function read(array: TypedArrayOf[ElementType], type: ElementType): number | bigint {
  if (type === 'float32' || type === 'float64') return array[0] as number;
  return Atomics.load(array as Int32Array, 0);
}

function write(array: TypedArrayOf[ElementType], type: ElementType, v: number | bigint): void {
  if (type === 'float32' || type === 'float64') (array as Float64Array)[0] = Number(v);
  else if (type === 'bigint64' || type === 'biguint64') Atomics.store(array as BigInt64Array, 0, BigInt(v));
  else Atomics.store(array as Int32Array, 0, Number(v));
}

function metaView(segment: SharedMemory): Int32Array {
  return new Int32Array(segment.buffer, segment.size - META_BYTES, META_BYTES / 4);
}

function createSegment(
  name: string,
  type: ElementType | PythonTypecode,
  init: number | ArrayLike<unknown>,
  options: SharedArrayOptions,
): { segment: SharedMemory; resolved: ElementType; length: number } {
  const resolved = elementType(type);
  const length = typeof init === 'number' ? init : init.length;
  if (!Number.isSafeInteger(length) || length < 1) {
    throw new IpcError('ERR_INVALID_ARGUMENT', `an array needs at least one element, got ${String(length)}`);
  }
  const dataBytes = Math.ceil((length * elementBytes(resolved)) / 8) * 8;
  const segment = SharedMemory.create(name, dataBytes + META_BYTES, { mode: options.mode });
  const meta = metaView(segment);
  new Float64Array(segment.buffer, segment.size - META_BYTES + 8, 1)[0] = length;
  meta[1] = TYPE_IDS.indexOf(resolved);
  meta[4] = options.lock === false ? 0 : 1;
  Atomics.store(meta, 0, MAGIC);
  return { segment, resolved, length };
}

function openSegment(name: string): { segment: SharedMemory; type: ElementType; length: number } {
  const segment = SharedMemory.open(name);
  try {
    if (segment.size < META_BYTES) throw notArray(name);
    const meta = metaView(segment);
    const type = TYPE_IDS[meta[1] ?? -1];
    const length = new Float64Array(segment.buffer, segment.size - META_BYTES + 8, 1)[0] ?? 0;
    if (Atomics.load(meta, 0) !== MAGIC || type === undefined || !Number.isSafeInteger(length)) {
      throw notArray(name);
    }
    if (length * elementBytes(type) > segment.size - META_BYTES) throw notArray(name);
    return { segment, type, length };
  } catch (err) {
    segment.close();
    throw err;
  }
}

function notArray(name: string): IpcError {
  return new IpcError('ERR_INVALID_ARGUMENT', `shared memory ${name} is not a SharedArray or Value`);
}
