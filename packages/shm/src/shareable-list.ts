import { IpcError } from '@ipc/core';
import {
  SharedMemory,
  type CreateSharedMemoryOptions,
  type OpenSharedMemoryOptions,
} from './shared-memory.js';

/**
 * What a {@link ShareableList} item can hold — Python's `int` (64-bit), `float`, `bool`, `str`,
 * `bytes` and `None`: a `number` (an integer goes to an `int` slot, other numbers to a `float` slot;
 * a `float` slot stays a float), a `bigint` (an `int`), a boolean, a string, bytes, or `null`.
 */
export type ShareableValue = number | bigint | boolean | string | Uint8Array | null;

const ALIGN = 8;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Back-transform codes of CPython's `ShareableList._back_transforms_mapping`. */
const Code = {
  /** int, float, bool */
  Plain: 0,
  Str: 1,
  Bytes: 2,
  None: 3,
} as const;
type Code = (typeof Code)[keyof typeof Code];

function invalid(message: string): IpcError {
  return new IpcError('ERR_INVALID_ARGUMENT', `ShareableList: ${message}`);
}

function corrupt(name: string, message: string): IpcError {
  return new IpcError('ERR_DECODE', `ShareableList ${name}: ${message}`);
}

/** The encoding of one value: the struct format, the back-transform code and the bytes of a str/bytes. */
interface Packed {
  format: string;
  code: Code;
  bytes?: Uint8Array;
  number?: number;
  int?: bigint;
}

function pack(value: ShareableValue, floatSlot: boolean): Packed {
  if (value === null) return { format: 'xxxxxx?x', code: Code.None };
  switch (typeof value) {
    case 'boolean':
      return { format: 'xxxxxxx?', code: Code.Plain, number: value ? 1 : 0 };
    case 'number':
      if (!floatSlot && Number.isSafeInteger(value) && !Object.is(value, -0)) {
        return { format: 'q', code: Code.Plain, int: BigInt(value) };
      }
      return { format: 'd', code: Code.Plain, number: value };
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX) throw invalid(`${value} does not fit a 64-bit int`);
      return { format: 'q', code: Code.Plain, int: value };
    case 'string':
    case 'object': {
      const str = typeof value === 'string';
      if (!str && !(value instanceof Uint8Array))
        throw invalid('an item is a number, bigint, boolean, string, bytes or null');
      const bytes = str ? Buffer.from(value, 'utf8') : value;
      // Python strips trailing NULs when it reads a str or bytes item back.
      if (bytes.byteLength > 0 && bytes[bytes.byteLength - 1] === 0) {
        throw invalid('a str or bytes item cannot end with a NUL byte (Python strips them when it reads)');
      }
      return { format: 's', code: str ? Code.Str : Code.Bytes, bytes };
    }
    default:
      throw invalid(`a ${typeof value} cannot be an item`);
  }
}

/**
 * Python's `multiprocessing.shared_memory.ShareableList`, the same bytes in the same shared memory
 * segment: Node and Python open the list by name and read and write its items. Its length is fixed;
 * each item keeps the room it was created with (8 bytes, or a `str`/`bytes` item's length rounded up
 * to the next multiple of 8). Like Python's, it has no lock: a reader may see an item while another
 * process writes it — use a `Mutex` or a handshake when that matters.
 *
 * Layout (CPython `Lib/multiprocessing/shared_memory.py`, native little-endian): the item count
 * (int64); N + 1 data offsets (int64); the data area; N struct formats (8 bytes each: `q`, `d`,
 * `xxxxxxx?`, `xxxxxx?x` for None, `<n>s`); N back-transform codes (int8: 0 plain, 1 str, 2 bytes,
 * 3 None).
 *
 * Values that cannot be represented — an int beyond 64 bits, a string or bytes longer than its slot
 * or ending with NUL, another type — are `ERR_INVALID_ARGUMENT`; a segment whose header is not a
 * ShareableList's is `ERR_DECODE`.
 *
 * @example
 * ```ts
 * using list = ShareableList.open('psm_21467_46075'); // Python: ShareableList([1, 'a', None]).shm.name
 * list.set(0, list.get(0) as number + 1);
 * ```
 */
export class ShareableList implements Disposable {
  readonly #view: DataView;
  readonly #bytes: Uint8Array;
  readonly #ints: BigInt64Array;
  readonly #floats: Float64Array;
  readonly #length: number;
  readonly #offsets: number[];

  private constructor(
    /** The shared memory segment that holds the list. */
    readonly segment: SharedMemory,
  ) {
    const size = segment.size;
    this.#view = new DataView(segment.buffer);
    this.#bytes = new Uint8Array(segment.buffer);
    // Items are 8-byte aligned (the data area starts at a multiple of 8, each item's room is one).
    this.#ints = new BigInt64Array(segment.buffer, 0, Math.floor(size / 8));
    this.#floats = new Float64Array(segment.buffer, 0, Math.floor(size / 8));
    const name = segment.name;
    if (size < 16) throw corrupt(name, `${size} bytes is too small`);
    const n = this.#view.getBigInt64(0, true);
    if (n < 0n || n > BigInt(Math.floor((size - 16) / 17)))
      throw corrupt(name, `an item count of ${n} does not fit`);
    this.#length = Number(n);
    this.#offsets = [];
    for (let i = 0; i <= this.#length; i++) {
      const at = this.#view.getBigInt64(8 + i * 8, true);
      const previous = this.#offsets[i - 1] ?? 0;
      if (at < BigInt(previous) || at > BigInt(size) || at % 8n !== 0n)
        throw corrupt(name, `item offset ${i} is out of order, out of bounds or not 8-byte aligned`);
      this.#offsets.push(Number(at));
    }
    if (this.#offsets[0] !== 0 || this.#backCodes() + this.#length > size) {
      throw corrupt(name, 'the item table does not fit the segment');
    }
  }

  /**
   * Creates a list of `values` in a new segment `name` (`ERR_EXISTS` if it exists), laid out as
   * Python lays it out; Python opens it with `ShareableList(name=...)`. The creator unlinks the
   * segment on close (see `SharedMemory.create`).
   */
  static create(
    name: string,
    values: readonly ShareableValue[],
    options: CreateSharedMemoryOptions = {},
  ): ShareableList {
    if (!Array.isArray(values)) throw invalid('values must be an array');
    const items: readonly ShareableValue[] = values;
    const packed = items.map((v) => pack(v, false));
    const offsets = [0];
    for (const p of packed) {
      const room = p.bytes === undefined ? ALIGN : ALIGN * (Math.floor(p.bytes.byteLength / ALIGN) + 1);
      if (p.bytes !== undefined) p.format = `${room}s`;
      offsets.push((offsets[offsets.length - 1] as number) + room);
    }
    const n = values.length;
    const dataStart = (n + 2) * 8;
    const size = dataStart + (offsets[n] as number) + n * 8 + n;
    const segment = SharedMemory.create(name, Math.max(size, 1), options);
    try {
      const view = new DataView(segment.buffer);
      view.setBigInt64(0, BigInt(n), true);
      offsets.forEach((o, i) => view.setBigInt64(8 + i * 8, BigInt(o), true));
      const list = new ShareableList(segment);
      packed.forEach((p, i) => list.#write(i, p));
      return list;
    } catch (err) {
      segment.close();
      throw err;
    }
  }

  /** Opens the list in the existing segment `name` (made by Python's `ShareableList` or by {@link create}). */
  static open(name: string, options: OpenSharedMemoryOptions = {}): ShareableList {
    const segment = SharedMemory.open(name, options);
    try {
      return new ShareableList(segment);
    } catch (err) {
      segment.close();
      throw err;
    }
  }

  /** The number of items (fixed). */
  get length(): number {
    return this.#length;
  }

  /** The struct format of every item, as Python's `ShareableList.format`. */
  get format(): string {
    let f = '';
    for (let i = 0; i < this.#length; i++) f += this.#format(i);
    return f;
  }

  /** The item at `index` (negative counts from the end); `ERR_INVALID_ARGUMENT` out of range. */
  get(index: number): ShareableValue {
    const i = this.#index(index);
    const format = this.#format(i);
    const at = (this.#length + 2) * 8 + (this.#offsets[i] as number);
    const code = this.#view.getInt8(this.#backCodes() + i);
    if (code === (Code.None as number)) return null;
    if (format === 'q') {
      const v = this.#ints[at / 8] as bigint;
      return v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    if (format === 'd') return this.#floats[at / 8] as number;
    if (format === 'xxxxxxx?') return this.#bytes[at + 7] !== 0;
    const m = /^(\d+)s$/.exec(format);
    const room = (this.#offsets[i + 1] as number) - (this.#offsets[i] as number);
    if (
      m === null ||
      Number(m[1]) > room ||
      (code !== (Code.Str as number) && code !== (Code.Bytes as number))
    ) {
      throw corrupt(this.segment.name, `item ${i} has the format ${JSON.stringify(format)} and code ${code}`);
    }
    let end = at + Number(m[1]);
    while (end > at && this.#bytes[end - 1] === 0) end--;
    const raw = this.#bytes.slice(at, end);
    if (code === (Code.Bytes as number)) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    try {
      return utf8.decode(raw);
    } catch (err) {
      throw new IpcError('ERR_DECODE', `ShareableList ${this.segment.name}: item ${i} is not UTF-8`, {
        cause: err,
      });
    }
  }

  /**
   * Sets the item at `index`, as Python's `list[index] = value` does: the item's type may change, but
   * not its room (`ERR_INVALID_ARGUMENT` when a string or bytes does not fit, or for a value no
   * ShareableList can hold).
   */
  set(index: number, value: ShareableValue): void {
    const i = this.#index(index);
    const current = this.#format(i);
    const p = pack(value, current === 'd');
    if (p.bytes !== undefined) {
      const room = (this.#offsets[i + 1] as number) - (this.#offsets[i] as number);
      if (p.bytes.byteLength > room) {
        throw invalid(`item ${i} has room for ${room} bytes, not ${p.bytes.byteLength}`);
      }
      p.format = current.endsWith('s') ? current : `${room}s`;
    }
    this.#write(i, p);
  }

  /** Every item, in order. */
  toArray(): ShareableValue[] {
    return Array.from({ length: this.#length }, (_, i) => this.get(i));
  }

  /** Iterates over the items. */
  *[Symbol.iterator](): IterableIterator<ShareableValue> {
    for (let i = 0; i < this.#length; i++) yield this.get(i);
  }

  /** Closes the segment handle (the creator unlinks it: see `SharedMemory.close`). Idempotent. */
  close(): void {
    this.segment.close();
  }

  /** Same as {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  #index(index: number): number {
    if (!Number.isInteger(index)) throw invalid(`index ${String(index)} is not an integer`);
    const i = index < 0 ? index + this.#length : index;
    if (i < 0 || i >= this.#length) throw invalid(`index ${index} is out of range (length ${this.#length})`);
    return i;
  }

  #formats(): number {
    return (this.#length + 2) * 8 + (this.#offsets[this.#length] as number);
  }

  #backCodes(): number {
    return this.#formats() + this.#length * 8;
  }

  #format(i: number): string {
    const at = this.#formats() + i * 8;
    let end = at + 8;
    while (end > at && this.#bytes[end - 1] === 0) end--;
    return Buffer.from(this.#bytes.buffer, this.#bytes.byteOffset + at, end - at).toString('latin1');
  }

  /** Writes the format, the back-transform code and the value of item `i` (in Python's order). */
  #write(i: number, p: Packed): void {
    // The format in one 8-byte copy, and only when it changes: a reader never sees it half-written.
    const formatAt = this.#formats() + i * 8;
    const format = new Uint8Array(8);
    Buffer.from(format.buffer).write(p.format, 0, 'latin1');
    let same = true;
    for (let k = 0; k < 8; k++) if (this.#bytes[formatAt + k] !== format[k]) same = false;
    if (!same) this.#bytes.set(format, formatAt);
    this.#view.setInt8(this.#backCodes() + i, p.code);
    const at = (this.#length + 2) * 8 + (this.#offsets[i] as number);
    if (p.bytes !== undefined) {
      const room = (this.#offsets[i + 1] as number) - (this.#offsets[i] as number);
      this.#bytes.set(p.bytes, at);
      this.#bytes.fill(0, at + p.bytes.byteLength, at + room);
    } else if (p.format === 'q')
      this.#ints[at / 8] = p.int as bigint; // aligned: one 8-byte store
    else if (p.format === 'd') this.#floats[at / 8] = p.number as number;
    else {
      // bool ('xxxxxxx?') and None ('xxxxxx?x'): pad bytes are zero, as struct writes them.
      this.#bytes.fill(0, at, at + 8);
      if (p.format === 'xxxxxxx?') this.#bytes[at + 7] = p.number as number;
    }
  }
}
