/**
 * Writes JavaScript values as a pickle that Python's `pickle.loads` (and `Connection.recv`) reads:
 * `null`/`undefined` → `None`, booleans → `bool`, safe integers → `int`, other numbers → `float`,
 * `bigint` → `int`, strings → `str`, `Uint8Array`/`Buffer` → `bytes`, arrays → `list`, plain objects
 * and `Map` → `dict`, `Set` → `set`. Inside a `Map` key or a `Set` (which Python hashes) an array
 * becomes a `tuple` and a `Set` a `frozenset`. Anything else is an `ERR_ENCODE`.
 */
import { IpcError } from '../errors.js';
import { op, type PickleProtocol } from './pickle-opcodes.js';

/** Options of {@link writePickle}. */
export interface PickleWriteOptions {
  /** The protocol the stream declares (2 to 5). */
  protocol: PickleProtocol;
  /** The deepest nesting of containers written (a cycle is reported as too deep). */
  maxDepth: number;
}

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A growing output buffer. */
class Output {
  buf = Buffer.allocUnsafe(256);
  p = 0;

  room(n: number): void {
    if (this.p + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.p + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.p);
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.p++] = b;
  }

  /** An opcode followed by a little-endian unsigned length of `width` bytes (1, 4 or 8). */
  lengthOp(code: number, width: 1 | 4 | 8, n: number): void {
    this.room(1 + width);
    this.buf[this.p++] = code;
    if (width === 1) this.buf[this.p++] = n;
    else if (width === 4) {
      this.buf.writeUInt32LE(n, this.p);
      this.p += 4;
    } else {
      this.buf.writeBigUInt64LE(BigInt(n), this.p);
      this.p += 8;
    }
  }
}

/** Writes `value` as one pickle (PROTO … STOP). */
export function writePickle(value: unknown, options: PickleWriteOptions): Uint8Array {
  const out = new Output();
  out.byte(op.PROTO);
  out.byte(options.protocol);
  write(out, value, false, options.maxDepth, options.protocol);
  out.byte(op.STOP);
  return out.buf.subarray(0, out.p);
}

function write(out: Output, value: unknown, hashable: boolean, depth: number, protocol: number): void {
  switch (typeof value) {
    case 'undefined':
      out.byte(op.NONE);
      return;
    case 'boolean':
      out.byte(value ? op.NEWTRUE : op.NEWFALSE);
      return;
    case 'number':
      writeNumber(out, value);
      return;
    case 'bigint':
      writeInt(out, value);
      return;
    case 'string':
      writeString(out, value, protocol);
      return;
    case 'object':
      if (value === null) {
        out.byte(op.NONE);
        return;
      }
      if (depth <= 0) throw new IpcError('ERR_ENCODE', 'pickle: the value nests too deep (or is cyclic)');
      if (value instanceof Uint8Array) return writeBytes(out, value);
      if (Array.isArray(value)) return writeArray(out, value, hashable, depth - 1, protocol);
      if (value instanceof Map) {
        if (hashable) throw unhashable('a Map');
        return writeDict(out, value.entries(), value.size, depth - 1, protocol);
      }
      if (value instanceof Set) return writeSet(out, value, hashable, depth - 1, protocol);
      {
        const proto = Object.getPrototypeOf(value) as unknown;
        if (proto === Object.prototype || proto === null) {
          if (hashable) throw unhashable('an object');
          const keys = Object.keys(value);
          const entries = keys.map((k) => [k, (value as Record<string, unknown>)[k]] as [string, unknown]);
          return writeDict(out, entries.values(), keys.length, depth - 1, protocol);
        }
      }
      throw new IpcError('ERR_ENCODE', `pickle cannot encode ${value.constructor?.name ?? 'this object'}`);
    default:
      throw new IpcError('ERR_ENCODE', `pickle cannot encode a ${typeof value}`);
  }
}

function unhashable(what: string): IpcError {
  return new IpcError(
    'ERR_ENCODE',
    `pickle: ${what} cannot be a dict key or a set item (Python cannot hash it)`,
  );
}

function writeNumber(out: Output, n: number): void {
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) {
    if (n >= 0 && n < 0x100) {
      out.room(2);
      out.buf[out.p++] = op.BININT1;
      out.buf[out.p++] = n;
    } else if (n >= 0 && n < 0x10000) {
      out.room(3);
      out.buf[out.p++] = op.BININT2;
      out.buf.writeUInt16LE(n, out.p);
      out.p += 2;
    } else if (n >= -0x80000000 && n < 0x80000000) {
      out.room(5);
      out.buf[out.p++] = op.BININT;
      out.buf.writeInt32LE(n, out.p);
      out.p += 4;
    } else writeInt(out, BigInt(n));
    return;
  }
  out.room(9);
  out.buf[out.p++] = op.BINFLOAT;
  f64[0] = n;
  if (littleEndian) for (let i = 7; i >= 0; i--) out.buf[out.p++] = f64Bytes[i] as number;
  else for (let i = 0; i < 8; i++) out.buf[out.p++] = f64Bytes[i] as number;
}

/** An `int` of any size: LONG1/LONG4 with Python's little-endian two's complement (`encode_long`). */
function writeInt(out: Output, x: bigint): void {
  if (x >= -0x80000000n && x < 0x80000000n) return writeNumber(out, Number(x));
  const magnitude = x < 0n ? -x : x;
  let nbytes = (magnitude.toString(2).length >> 3) + 1;
  let hex = BigInt.asUintN(nbytes * 8, x)
    .toString(16)
    .padStart(nbytes * 2, '0');
  // Python drops a redundant 0xff byte of a negative number whose next byte already has the sign bit.
  if (x < 0n && nbytes > 1 && hex.startsWith('ff') && parseInt(hex.slice(2, 4), 16) & 0x80) {
    hex = hex.slice(2);
    nbytes--;
  }
  if (nbytes < 0x100) out.lengthOp(op.LONG1, 1, nbytes);
  else out.lengthOp(op.LONG4, 4, nbytes);
  out.room(nbytes);
  for (let i = nbytes - 1; i >= 0; i--) out.buf[out.p++] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
}

function writeString(out: Output, s: string, protocol: number): void {
  const n = Buffer.byteLength(s, 'utf8');
  if (n < 0x100 && protocol >= 4) out.lengthOp(op.SHORT_BINUNICODE, 1, n);
  else if (n <= 0xffffffff) out.lengthOp(op.BINUNICODE, 4, n);
  else out.lengthOp(op.BINUNICODE8, 8, n);
  out.room(n);
  out.p += out.buf.write(s, out.p, n, 'utf8');
}

function writeBytes(out: Output, b: Uint8Array): void {
  const n = b.byteLength;
  if (n < 0x100) out.lengthOp(op.SHORT_BINBYTES, 1, n);
  else if (n <= 0xffffffff) out.lengthOp(op.BINBYTES, 4, n);
  else out.lengthOp(op.BINBYTES8, 8, n);
  out.room(n);
  out.buf.set(b, out.p);
  out.p += n;
}

function writeArray(out: Output, a: unknown[], tuple: boolean, depth: number, protocol: number): void {
  const n = a.length;
  if (tuple) {
    // A dict key or set item: Python must hash it, so a tuple (of hashable items).
    if (n === 0) return out.byte(op.EMPTY_TUPLE);
    if (n > 3) out.byte(op.MARK);
    for (let i = 0; i < n; i++) write(out, a[i], true, depth, protocol);
    out.byte(n === 1 ? op.TUPLE1 : n === 2 ? op.TUPLE2 : n === 3 ? op.TUPLE3 : op.TUPLE);
    return;
  }
  out.byte(op.EMPTY_LIST);
  if (n === 0) return;
  if (n > 1) out.byte(op.MARK);
  for (let i = 0; i < n; i++) write(out, a[i], false, depth, protocol);
  out.byte(n === 1 ? op.APPEND : op.APPENDS);
}

function writeDict(
  out: Output,
  entries: Iterator<[unknown, unknown]>,
  n: number,
  depth: number,
  protocol: number,
): void {
  out.byte(op.EMPTY_DICT);
  if (n === 0) return;
  out.byte(op.MARK);
  for (let e = entries.next(); e.done !== true; e = entries.next()) {
    write(out, e.value[0], true, depth, protocol);
    write(out, e.value[1], false, depth, protocol);
  }
  out.byte(op.SETITEMS);
}

function writeSet(out: Output, s: Set<unknown>, frozen: boolean, depth: number, protocol: number): void {
  if (!frozen) out.byte(op.EMPTY_SET);
  if (s.size > 0 || frozen) {
    out.byte(op.MARK);
    for (const item of s) write(out, item, true, depth, protocol);
    out.byte(frozen ? op.FROZENSET : op.ADDITEMS);
  }
}
