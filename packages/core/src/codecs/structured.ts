import { deserialize, serialize } from 'node:v8';
import type { Codec } from '../codec.js';
import { IpcError } from '../errors.js';

/**
 * Node's structured clone (`node:v8` serialize/deserialize), like `child_process` with
 * `serialization: 'advanced'`: Map, Set, Date, RegExp, BigInt, typed arrays and cycles survive.
 * Node-only: other languages cannot read it.
 */
export const structured: Codec<unknown> = {
  name: 'structured',
  encode(value: unknown): Uint8Array {
    try {
      return serialize(value);
    } catch (err) {
      throw new IpcError('ERR_ENCODE', `structured clone cannot encode this value: ${String(err)}`, {
        cause: err,
      });
    }
  },
  decode(bytes: Uint8Array): unknown {
    try {
      return deserialize(bytes) as unknown;
    } catch (err) {
      throw new IpcError('ERR_DECODE', `structured: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  },
};
