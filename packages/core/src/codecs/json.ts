import type { Codec } from '../codec.js';
import { IpcError } from '../errors.js';
import { asBuffer } from './as-buffer.js';

/**
 * JSON as UTF-8 text: what a Python peer (`json.dumps(...).encode()`), a shell tool or any language
 * reads without a library. `JSON.parse` makes a `__proto__` key an own property, never a prototype.
 */
export const json: Codec<unknown> = {
  name: 'json',
  encode(value: unknown): Uint8Array {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (err) {
      throw new IpcError('ERR_ENCODE', `json cannot encode this value: ${String(err)}`, { cause: err });
    }
    if (text === undefined) throw new IpcError('ERR_ENCODE', `json cannot encode ${typeof value}`);
    return Buffer.from(text, 'utf8');
  },
  decode(bytes: Uint8Array): unknown {
    try {
      return JSON.parse(asBuffer(bytes).toString('utf8')) as unknown;
    } catch (err) {
      throw new IpcError('ERR_DECODE', `json: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  },
};
