import { Packr } from 'msgpackr';
import type { Codec } from '../codec.js';
import { IpcError, isIpcError } from '../errors.js';

/** Options of {@link createMsgpackCodec}. */
export interface MsgpackCodecOptions {
  /**
   * Encode JavaScript `Map`s as msgpack maps and decode maps to plain objects (default `true`:
   * objects). Set `false` to decode maps with non-string keys as `Map`.
   */
  mapsAsObjects?: boolean;
}

/**
 * A standard MessagePack codec (msgpackr, without its non-standard record extension, so that any
 * msgpack library can read what it writes). A decoded `__proto__` key never reaches a prototype:
 * msgpackr renames it `__proto_`.
 */
export function createMsgpackCodec<T = unknown>(options: MsgpackCodecOptions = {}): Codec<T> {
  const packr = new Packr({
    useRecords: false,
    mapsAsObjects: options.mapsAsObjects ?? true,
    moreTypes: false,
  });
  return {
    name: 'msgpack',
    encode(value: T): Uint8Array {
      try {
        return packr.pack(value);
      } catch (err) {
        throw new IpcError('ERR_ENCODE', `msgpack cannot encode this value: ${String(err)}`, { cause: err });
      }
    },
    decode(bytes: Uint8Array): T {
      if (bytes.byteLength === 0) throw new IpcError('ERR_DECODE', 'msgpack: empty message');
      try {
        return packr.unpack(bytes) as T;
      } catch (err) {
        if (isIpcError(err)) throw err;
        throw new IpcError('ERR_DECODE', `msgpack: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }
    },
  };
}

/** The default codec: MessagePack (see {@link createMsgpackCodec}). */
export const msgpack: Codec<unknown> = createMsgpackCodec();
