import { Packr } from 'msgpackr';
import type { Codec } from '../codec.js';
import { IpcError, isIpcError } from '../errors.js';
import { checkMsgpack } from './msgpack-check.js';
import { NOT_READ, readMsgpack } from './msgpack-reader.js';
import { NO_ROOM, UNSUPPORTED, writeMsgpack } from './msgpack-writer.js';

/** Options of {@link createMsgpackCodec}. */
export interface MsgpackCodecOptions {
  /**
   * Encode JavaScript `Map`s as msgpack maps and decode maps to plain objects (default `true`:
   * objects). Set `false` to decode maps with non-string keys as `Map`.
   */
  mapsAsObjects?: boolean;
  /**
   * Accept msgpackr's own extensions when decoding, and write them when encoding (default `false`).
   * They rebuild `Error`s, `RegExp`s, `Set`s, typed arrays, records and structured-clone references
   * from a peer's bytes — objects a message of plain data never needs, some of which hand out
   * msgpackr's internals to hostile bytes. Only for peers you trust, which must set it too. Without
   * it a decoded message is only plain data (objects, arrays, strings, numbers, booleans, null,
   * `undefined`, binary as `Uint8Array`, timestamps as `Date`, and `Map`s when `mapsAsObjects` is
   * `false`), and any other extension, or byte 0xc1, fails with `ERR_DECODE`.
   */
  msgpackrExtensions?: boolean;
}

/** Bytes of the blocks `encode` writes messages into (a message bigger than a block goes to msgpackr). */
const BLOCK_BYTES = 64 * 1024;

/**
 * A standard MessagePack codec (msgpackr, without its non-standard extensions, so that any msgpack
 * library can read what it writes). A decoded message is only plain data: bytes using msgpackr's
 * object-building extensions fail with `ERR_DECODE` unless `msgpackrExtensions` is set (see
 * {@link MsgpackCodecOptions}). A decoded `__proto__` key never reaches a prototype: msgpackr
 * renames it `__proto_`.
 *
 * Plain objects, arrays, strings, numbers, booleans and null — what most messages are made of — are
 * written and read by a small reader and writer of this package (about twice msgpackr's speed on
 * such messages, and in place: `encodeInto`/`decodeFrom`); every other value goes through msgpackr.
 * Both produce the same bytes' meaning: either side decodes what the other wrote to the same value.
 */
export function createMsgpackCodec<T = unknown>(options: MsgpackCodecOptions = {}): Codec<T> {
  const mapsAsObjects = options.mapsAsObjects ?? true;
  const extensions = options.msgpackrExtensions ?? false;
  const packr = new Packr({ useRecords: false, mapsAsObjects, moreTypes: extensions });
  const pack = (value: T): Uint8Array => {
    try {
      return packr.pack(value);
    } catch (err) {
      throw new IpcError('ERR_ENCODE', `msgpack cannot encode this value: ${String(err)}`, { cause: err });
    }
  };
  const unpack = (bytes: Uint8Array): T => {
    if (bytes.byteLength === 0) throw new IpcError('ERR_DECODE', 'msgpack: empty message');
    if (!extensions) checkMsgpack(bytes);
    try {
      return packr.unpack(bytes) as T;
    } catch (err) {
      if (isIpcError(err)) throw err;
      throw new IpcError('ERR_DECODE', `msgpack: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  };
  // Maps to `Map`s are msgpackr's alone.
  const read = mapsAsObjects ? readMsgpack : (): unknown => NOT_READ;

  // `encode` writes into a block and hands out views of it; a block is never written twice.
  let block = new Uint8Array(BLOCK_BYTES);
  let used = 0;

  return {
    name: 'msgpack',
    encode(value: T): Uint8Array {
      let end = writeMsgpack(value, block, used, block.length);
      if (end === NO_ROOM && used > 0) {
        block = new Uint8Array(BLOCK_BYTES);
        used = 0;
        end = writeMsgpack(value, block, 0, block.length);
      }
      if (end < 0) return pack(value);
      const bytes = block.subarray(used, end);
      used = (end + 7) & ~7;
      return bytes;
    },
    encodeInto(value: T, target: Uint8Array, offset: number, end: number): number {
      const written = writeMsgpack(value, target, offset, end);
      if (written !== UNSUPPORTED) return written;
      const bytes = pack(value);
      if (bytes.byteLength > end - offset) return NO_ROOM;
      target.set(bytes, offset);
      return offset + bytes.byteLength;
    },
    decode(bytes: Uint8Array): T {
      const value = read(bytes, 0, bytes.byteLength);
      return value === NOT_READ ? unpack(bytes) : (value as T);
    },
    decodeFrom(source: Uint8Array, start: number, end: number): T {
      const value = read(source, start, end);
      // msgpackr's binary values are views of what it reads: give it a copy (a Buffer's slice is a view).
      return value === NOT_READ ? unpack(Uint8Array.prototype.slice.call(source, start, end)) : (value as T);
    },
  };
}

/** The default codec: MessagePack (see {@link createMsgpackCodec}). */
export const msgpack: Codec<unknown> = createMsgpackCodec();
