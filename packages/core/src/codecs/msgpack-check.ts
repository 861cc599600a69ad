/**
 * A structural check of a MessagePack message before msgpackr decodes it: exactly one well-formed
 * value, no byte 0xc1 ("never used"), and no extension but the two standard ones the codec writes
 * itself — type -1 (timestamp: a `Date`) and type 0 (`undefined`). msgpackr's own extensions
 * (errors, regular expressions, records, structured-clone references, bundled strings…) construct
 * objects from a peer's bytes, and some of them hand out msgpackr's internals; a message that uses
 * them is refused here, so what msgpackr returns is only plain data.
 */
import { IpcError } from '../errors.js';

/** The standard timestamp extension's type (-1 as a byte). */
const TIMESTAMP = 0xff;
/** The extension type msgpack libraries use for `undefined`. */
const UNDEFINED = 0x00;

function refuse(why: string): never {
  throw new IpcError('ERR_DECODE', `msgpack: ${why}`);
}

/**
 * Throws `ERR_DECODE` unless `bytes` hold exactly one well-formed MessagePack value made of nil,
 * booleans, numbers, strings, binary, arrays, maps, timestamps and `undefined` (extension 0).
 * Runs in one pass without recursion (any nesting depth costs no stack).
 */
export function checkMsgpack(bytes: Uint8Array): void {
  const end = bytes.length;
  let p = 0;
  let pending = 1; // values still to read
  while (pending > 0) {
    if (p >= end) refuse('the message ends inside a value');
    const b = bytes[p++] as number;
    pending--;
    if (b < 0x80 || b >= 0xe0) continue; // fixints
    if (b < 0x90) pending += 2 * (b & 0x0f);
    else if (b < 0xa0) pending += b & 0x0f;
    else if (b < 0xc0) p += b & 0x1f;
    else {
      switch (b) {
        case 0xc0:
        case 0xc2:
        case 0xc3:
          break;
        case 0xc1:
          refuse('byte 0xc1 is never used in MessagePack');
          break;
        case 0xc4:
        case 0xd9:
          p = skip(bytes, p, 1);
          break;
        case 0xc5:
        case 0xda:
          p = skip(bytes, p, 2);
          break;
        case 0xc6:
        case 0xdb:
          p = skip(bytes, p, 4);
          break;
        case 0xc7:
          p = extension(bytes, p + 1, uint(bytes, p, 1));
          break;
        case 0xc8:
          p = extension(bytes, p + 2, uint(bytes, p, 2));
          break;
        case 0xc9:
          p = extension(bytes, p + 4, uint(bytes, p, 4));
          break;
        case 0xca:
          p += 4;
          break;
        case 0xcb:
        case 0xcf:
        case 0xd3:
          p += 8;
          break;
        case 0xcc:
        case 0xd0:
          p += 1;
          break;
        case 0xcd:
        case 0xd1:
          p += 2;
          break;
        case 0xce:
        case 0xd2:
          p += 4;
          break;
        case 0xd4:
          p = extension(bytes, p, 1);
          break;
        case 0xd5:
          p = extension(bytes, p, 2);
          break;
        case 0xd6:
          p = extension(bytes, p, 4);
          break;
        case 0xd7:
          p = extension(bytes, p, 8);
          break;
        case 0xd8:
          p = extension(bytes, p, 16);
          break;
        case 0xdc:
          pending += uint(bytes, p, 2);
          p += 2;
          break;
        case 0xdd:
          pending += uint(bytes, p, 4);
          p += 4;
          break;
        case 0xde:
          pending += 2 * uint(bytes, p, 2);
          p += 2;
          break;
        default: // 0xdf
          pending += 2 * uint(bytes, p, 4);
          p += 4;
      }
    }
    // Every value still to read takes at least one byte.
    if (p > end || pending > end - p) refuse('the message ends inside a value');
  }
  if (p !== end) refuse('bytes follow the message');
}

/** A big-endian unsigned integer of `size` bytes at `p`. */
function uint(bytes: Uint8Array, p: number, size: 1 | 2 | 4): number {
  if (p + size > bytes.length) refuse('the message ends inside a value');
  let n = 0;
  for (let i = 0; i < size; i++) n = n * 256 + (bytes[p + i] as number);
  return n;
}

/** Skips a length of `size` bytes at `p` and the data it counts. */
function skip(bytes: Uint8Array, p: number, size: 1 | 2 | 4): number {
  return p + size + uint(bytes, p, size);
}

/** Checks the extension whose type byte is at `p` and whose data has `length` bytes. */
function extension(bytes: Uint8Array, p: number, length: number): number {
  if (p + 1 + length > bytes.length) refuse('the message ends inside an extension');
  const type = bytes[p] as number;
  if (type === TIMESTAMP) {
    if (length !== 4 && length !== 8 && length !== 12) refuse(`a timestamp of ${length} bytes`);
  } else if (type !== UNDEFINED) {
    const signed = type >= 0x80 ? type - 0x100 : type;
    refuse(`extension type ${signed} is not accepted (only timestamps and undefined)`);
  }
  return p + 1 + length;
}
