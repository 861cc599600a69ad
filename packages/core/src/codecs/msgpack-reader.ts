/**
 * A MessagePack reader for the values most messages are made of — maps with short string keys (to
 * plain objects), arrays, strings, numbers, booleans, nil — reading a range of a caller's buffer in
 * place, and sharing no memory with it afterwards. Anything else (binary, extensions, 64-bit
 * integers, other keys) and anything malformed is left to msgpackr: {@link readMsgpack} then says
 * {@link NOT_READ} and the codec hands the bytes to msgpackr, which decodes them or says what is
 * wrong. What it returns equals what msgpackr returns for the same bytes (strings that are not valid
 * UTF-8 aside: this reader replaces bad sequences with U+FFFD).
 */

/** {@link readMsgpack}'s result when msgpackr must decode the bytes instead. */
export const NOT_READ: unique symbol = Symbol('msgpack: not read');

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const f32 = new Float32Array(1);
const f32Bytes = new Uint8Array(f32.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Thrown inside the reader to give the bytes to msgpackr. */
const giveUp = new Error('not read');

// The reader's state during one call. Reading runs no user code, so it never re-enters.
let s: Uint8Array = new Uint8Array(0);
let q = 0;
let stop = 0;

/**
 * Reads the msgpack value in `source[start, end)`: the value (which shares no memory with `source`),
 * or {@link NOT_READ} when msgpackr must decode these bytes (a type this reader leaves to it, or
 * bytes that are not exactly one well-formed value).
 */
export function readMsgpack(source: Uint8Array, start: number, end: number): unknown {
  s = source;
  q = start;
  stop = Math.min(end, source.length);
  try {
    const value = read();
    return q === stop ? value : NOT_READ;
  } catch {
    return NOT_READ; // ours (giveUp), or a malformed message's stack overflow: msgpackr says which
  } finally {
    s = EMPTY;
  }
}

const EMPTY = new Uint8Array(0);

function read(): unknown {
  if (q >= stop) throw giveUp;
  const b = s[q++] as number;
  if (b < 0x80) return b;
  if (b < 0x90) return readMap(b & 0x0f);
  if (b < 0xa0) return readArray(b & 0x0f);
  if (b < 0xc0) return readString(b & 0x1f);
  if (b >= 0xe0) return b - 0x100;
  switch (b) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xca:
      return readFloat32();
    case 0xcb:
      return readFloat64();
    case 0xcc:
      return readUint(1);
    case 0xcd:
      return readUint(2);
    case 0xce:
      return readUint(4);
    case 0xd0:
      return (readUint(1) << 24) >> 24;
    case 0xd1:
      return (readUint(2) << 16) >> 16;
    case 0xd2:
      return readUint(4) | 0;
    case 0xd9:
      return readString(readUint(1));
    case 0xda:
      return readString(readUint(2));
    case 0xdb:
      return readString(readUint(4));
    case 0xdc:
      return readArray(readUint(2));
    case 0xdd:
      return readArray(readUint(4));
    case 0xde:
      return readMap(readUint(2));
    case 0xdf:
      return readMap(readUint(4));
    default:
      throw giveUp; // binary, extensions, 64-bit integers, 0xc1
  }
}

/** A big-endian unsigned integer of `bytes` bytes (1, 2 or 4). */
function readUint(bytes: 1 | 2 | 4): number {
  if (q + bytes > stop) throw giveUp;
  const at = q;
  q += bytes;
  if (bytes === 1) return s[at] as number;
  if (bytes === 2) return ((s[at] as number) << 8) | (s[at + 1] as number);
  return (
    (s[at] as number) * 0x1000000 +
    (((s[at + 1] as number) << 16) | ((s[at + 2] as number) << 8) | (s[at + 3] as number))
  );
}

function readFloat64(): number {
  if (q + 8 > stop) throw giveUp;
  if (littleEndian) for (let i = 7; i >= 0; i--) f64Bytes[i] = s[q++] as number;
  else for (let i = 0; i < 8; i++) f64Bytes[i] = s[q++] as number;
  return f64[0] as number;
}

function readFloat32(): number {
  if (q + 4 > stop) throw giveUp;
  if (littleEndian) for (let i = 3; i >= 0; i--) f32Bytes[i] = s[q++] as number;
  else for (let i = 0; i < 4; i++) f32Bytes[i] = s[q++] as number;
  return f32[0] as number;
}

function readArray(n: number): unknown[] {
  if (n > stop - q) throw giveUp; // each item takes at least one byte
  const a = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    // Small integers inline: most arrays of numbers are made of them.
    if (q < stop && (s[q] as number) < 0x80) a[i] = s[q++];
    else a[i] = read();
  }
  return a;
}

function readMap(n: number): Record<string, unknown> {
  if (n > (stop - q) / 2) throw giveUp; // each entry takes at least two bytes
  const o: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    if (q >= stop) throw giveUp;
    const b = s[q++] as number;
    if (b < 0xa0 || b >= 0xc0) throw giveUp; // keys other than short strings: msgpackr's rules
    let key = readKey(b & 0x1f);
    if (key === '__proto__') key = '__proto_'; // as msgpackr: never a prototype
    // The values objects are mostly made of are read here, without a call: how fast this loop runs
    // then depends less on whether the compiler inlined the recursive `read`.
    if (q >= stop) throw giveUp;
    const c = s[q] as number;
    let value: unknown;
    if (c < 0x80) {
      q++;
      value = c;
    } else if (c >= 0xa0 && c < 0xc0) {
      q++;
      value = readString(c & 0x1f);
    } else if (c === 0xc3 || c === 0xc2) {
      q++;
      value = c === 0xc3;
    } else if (c === 0xcb) {
      q++;
      value = readFloat64();
    } else if (c >= 0x90 && c < 0xa0) {
      q++;
      value = readArray(c & 0x0f);
    } else value = read();
    o[key] = value;
  }
  return o;
}

/** A string of `n` UTF-8 bytes: ASCII by hand, the rest by Buffer's decoder. */
function readString(n: number): string {
  if (n > stop - q) throw giveUp;
  const end = q + n;
  if (n <= 24) {
    let bits = 0;
    for (let i = q; i < end; i++) bits |= s[i] as number;
    if (bits >= 0x80) return readUtf8(n);
    const text = n <= 12 ? shortAscii(s, q, n) : shortAscii(s, q, 12) + shortAscii(s, q + 12, n - 12);
    q = end;
    return text;
  }
  return readUtf8(n);
}

/** `String.fromCharCode` over bytes read with `noUncheckedIndexedAccess` (always in range here). */
const chars = String.fromCharCode as (...codes: (number | undefined)[]) => string;

/** The ASCII string of the `n` (at most 12) bytes at `i`: one call, one flat string. */
function shortAscii(b: Uint8Array, i: number, n: number): string {
  // prettier-ignore
  switch (n) {
    case 0: return '';
    case 1: return chars(b[i]);
    case 2: return chars(b[i], b[i + 1]);
    case 3: return chars(b[i], b[i + 1], b[i + 2]);
    case 4: return chars(b[i], b[i + 1], b[i + 2], b[i + 3]);
    case 5: return chars(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4]);
    case 6: return chars(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5]);
    case 7: return chars(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6]);
    case 8: return chars(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]);
    case 9: return chars(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7], b[i + 8]);
    case 10: return chars(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7], b[i + 8], b[i + 9]);
    case 11: return chars(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7], b[i + 8], b[i + 9], b[i + 10]);
    case 12: return chars(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7], b[i + 8], b[i + 9], b[i + 10], b[i + 11]);
    default: throw giveUp;
  }
}

function readUtf8(n: number): string {
  const text = Buffer.from(s.buffer, s.byteOffset + q, n).toString('utf8');
  q += n;
  return text;
}

// Keys repeat from message to message: the same bytes give the same string, from a small cache.
const KEY_SLOTS = 4096;
const keyBytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(KEY_SLOTS);
const keyStrings: string[] = new Array<string>(KEY_SLOTS).fill('');

function readKey(n: number): string {
  if (n > stop - q) throw giveUp;
  // The slot: from the length and the first, middle and last bytes (a clash only costs a re-read).
  const h =
    n === 0
      ? 0
      : ((n << 7) ^ ((s[q] as number) << 4) ^ (s[q + (n >> 1)] as number) ^ ((s[q + n - 1] as number) << 2)) &
        (KEY_SLOTS - 1);
  const cached = keyBytes[h];
  if (cached !== undefined && cached.length === n) {
    let i = 0;
    while (i < n && cached[i] === s[q + i]) i++;
    if (i === n) {
      q += n;
      return keyStrings[h] as string;
    }
  }
  const start = q;
  const key = readString(n);
  keyBytes[h] = Uint8Array.prototype.slice.call(s, start, q); // a copy, even of a Buffer
  keyStrings[h] = key;
  return key;
}
