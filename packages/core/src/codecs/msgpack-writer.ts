/**
 * A MessagePack writer for the values most messages are made of — plain objects, arrays, strings,
 * numbers, booleans, null — straight into a caller's buffer at an offset: no allocation per message,
 * no copy afterwards. Anything else (Map, Date, BigInt, undefined, binary, class instances, …) is
 * left to msgpackr, which the codec falls back to. What it writes is standard msgpack that msgpackr
 * decodes to the same value it would have got from its own encoding.
 */

/** {@link writeMsgpack}'s result when the value holds something outside the subset this writer covers. */
export const UNSUPPORTED = -2;
/** {@link writeMsgpack}'s result when the encoding does not fit before `end`. */
export const NO_ROOM = -1;

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = new TextEncoder();

// The writer's state during one call (one message at a time; see `busy`).
let t: Uint8Array = new Uint8Array(0);
let p = 0;
let limit = 0;
let busy = false;

/** Thrown inside the writer to abandon a value it does not cover. */
const unsupported = new Error('unsupported');

/**
 * Writes `value` as msgpack into `target` from `offset`, stopping before `end`: the offset after the
 * message, {@link NO_ROOM} when it does not fit, or {@link UNSUPPORTED} when the value holds something
 * this writer leaves to msgpackr (bytes in `[offset, end)` may have been written either way).
 * Errors other than those come from the value itself (a throwing getter) and are rethrown.
 */
export function writeMsgpack(value: unknown, target: Uint8Array, offset: number, end: number): number {
  // A getter that encodes another message while this one is being written would clobber the state.
  if (busy || prototypeHasEnumerables()) return UNSUPPORTED;
  busy = true;
  t = target;
  p = offset;
  limit = Math.min(end, target.length);
  try {
    return write(value) ? p : NO_ROOM;
  } catch (err) {
    if (err === unsupported) return UNSUPPORTED;
    throw err;
  } finally {
    busy = false;
    t = EMPTY;
  }
}

const EMPTY = new Uint8Array(0);

/** Writes one value; false when out of room. */
function write(value: unknown): boolean {
  switch (typeof value) {
    case 'number':
      return writeNumber(value);
    case 'string':
      return writeString(value);
    case 'boolean':
      if (p >= limit) return false;
      t[p++] = value ? 0xc3 : 0xc2;
      return true;
    case 'object':
      if (value === null) {
        if (p >= limit) return false;
        t[p++] = 0xc0;
        return true;
      }
      if (Array.isArray(value)) {
        if (value.constructor !== Array) throw unsupported;
        return writeArray(value as unknown[]);
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) throw unsupported;
      return writeObject(value as Record<string, unknown>);
    default:
      throw unsupported; // undefined, bigint, symbol, function: msgpackr's business
  }
}

function writeNumber(n: number): boolean {
  if (n >>> 0 === n) {
    if (n < 0x80) {
      if (p >= limit) return false;
      t[p++] = n;
    } else if (n < 0x100) {
      if (p + 2 > limit) return false;
      t[p++] = 0xcc;
      t[p++] = n;
    } else if (n < 0x10000) {
      if (p + 3 > limit) return false;
      t[p++] = 0xcd;
      t[p++] = n >> 8;
      t[p++] = n & 0xff;
    } else {
      if (p + 5 > limit) return false;
      t[p++] = 0xce;
      writeUint32(n);
    }
  } else if (n >> 0 === n) {
    if (n >= -0x20) {
      if (p >= limit) return false;
      t[p++] = n & 0xff;
    } else if (n >= -0x80) {
      if (p + 2 > limit) return false;
      t[p++] = 0xd0;
      t[p++] = n & 0xff;
    } else if (n >= -0x8000) {
      if (p + 3 > limit) return false;
      t[p++] = 0xd1;
      t[p++] = (n >> 8) & 0xff;
      t[p++] = n & 0xff;
    } else {
      if (p + 5 > limit) return false;
      t[p++] = 0xd2;
      writeUint32(n >>> 0);
    }
  } else {
    if (p + 9 > limit) return false;
    t[p++] = 0xcb;
    f64[0] = n;
    if (littleEndian) {
      for (let i = 7; i >= 0; i--) t[p++] = f64Bytes[i] as number;
    } else {
      for (let i = 0; i < 8; i++) t[p++] = f64Bytes[i] as number;
    }
  }
  return true;
}

function writeUint32(n: number): void {
  t[p++] = n >>> 24;
  t[p++] = (n >> 16) & 0xff;
  t[p++] = (n >> 8) & 0xff;
  t[p++] = n & 0xff;
}

/** A string: short ASCII ones by hand (the common case: keys, names), others by the UTF-8 encoder. */
function writeString(s: string): boolean {
  const n = s.length;
  if (n < 32) {
    if (p + 1 + n > limit) return false;
    let q = p + 1;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return writeUtf8(s);
      t[q++] = c;
    }
    t[p] = 0xa0 | n;
    p = q;
    return true;
  }
  return writeUtf8(s);
}

function writeUtf8(s: string): boolean {
  const n = Buffer.byteLength(s, 'utf8');
  const header = n < 32 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
  if (p + header + n > limit) return false;
  if (header === 1) t[p++] = 0xa0 | n;
  else if (header === 2) {
    t[p++] = 0xd9;
    t[p++] = n;
  } else if (header === 3) {
    t[p++] = 0xda;
    t[p++] = n >> 8;
    t[p++] = n & 0xff;
  } else {
    t[p++] = 0xdb;
    writeUint32(n);
  }
  // Lone surrogates become U+FFFD (3 bytes), as Buffer.byteLength counted them.
  p += utf8.encodeInto(s, t.subarray(p, p + n)).written;
  return true;
}

function writeArray(a: unknown[]): boolean {
  const n = a.length;
  if (!writeCount(n, 0x90, 0xdc)) return false;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    // Small non-negative integers inline: most arrays of numbers are made of them.
    if (typeof v === 'number' && v >>> 0 === v && v < 0x80 && p < limit) t[p++] = v;
    else if (!write(v)) return false;
  }
  return true;
}

function writeObject(o: Record<string, unknown>): boolean {
  // for-in walks the object's own keys without allocating (writeMsgpack made sure that
  // Object.prototype adds none). The entry count goes in front: a fixmap header is assumed, and the
  // entries are moved along in the rare case that a wider one is needed.
  if (p >= limit) return false;
  const header = p++;
  let n = 0;
  for (const key in o) {
    if (!writeString(key)) return false;
    const v = o[key];
    // The values objects are mostly made of, without a call (see the reader's `readMap`).
    if (typeof v === 'number' && v >>> 0 === v && v < 0x80 && p < limit) t[p++] = v;
    else if (typeof v === 'boolean' && p < limit) t[p++] = v ? 0xc3 : 0xc2;
    else if (!write(v)) return false;
    n++;
  }
  if (n < 16) {
    t[header] = 0x80 | n;
    return true;
  }
  const extra = n < 0x10000 ? 2 : 4;
  if (p + extra > limit) return false;
  t.copyWithin(header + 1 + extra, header + 1, p);
  const end = p + extra;
  p = header;
  writeCount(n, 0x80, 0xde); // room checked above
  p = end;
  return true;
}

/** Whether some library made a property of Object.prototype enumerable (for-in would list it). */
function prototypeHasEnumerables(): boolean {
  for (const key in Object.prototype) if (key !== undefined) return true;
  return false;
}

/** A fixarray/fixmap header (`fix`) for up to 15 entries, else a 16- or 32-bit one (`wide`, `wide + 1`). */
function writeCount(n: number, fix: number, wide: number): boolean {
  if (n < 16) {
    if (p >= limit) return false;
    t[p++] = fix | n;
  } else if (n < 0x10000) {
    if (p + 3 > limit) return false;
    t[p++] = wide;
    t[p++] = n >> 8;
    t[p++] = n & 0xff;
  } else {
    if (p + 5 > limit) return false;
    t[p++] = wide + 1;
    writeUint32(n);
  }
  return true;
}
