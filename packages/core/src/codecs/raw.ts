import type { Codec } from '../codec.js';
import { IpcError } from '../errors.js';

/**
 * Bytes as they are: `encode` takes any `Uint8Array` (a `Buffer` too), `decode` returns the received
 * bytes without copying (a view the receiver owns).
 */
export const raw: Codec<Uint8Array> = {
  name: 'raw',
  encode(value: Uint8Array): Uint8Array {
    if (!(value instanceof Uint8Array)) {
      throw new IpcError(
        'ERR_ENCODE',
        `the raw codec sends Uint8Array or Buffer values, got ${typeof value}`,
      );
    }
    return value;
  },
  decode(bytes: Uint8Array): Uint8Array {
    return bytes;
  },
};
