import type { Codec } from '../codec.js';
import { IpcError } from '../errors.js';
import { json } from './json.js';
import { msgpack } from './msgpack.js';
import { pickle } from './pickle.js';
import { raw } from './raw.js';
import { structured } from './structured.js';

/** The built-in codecs by name. */
export const codecs = { msgpack, json, raw, structured, pickle } as const;

/** A codec, or the name of a built-in one. */
export type CodecOption<T = unknown> = Codec<T> | keyof typeof codecs;

/**
 * Resolves a `codec` option: a {@link Codec} is returned as is, a name picks a built-in codec,
 * `undefined` gives {@link msgpack}. Anything else throws `ERR_INVALID_ARGUMENT`.
 */
export function resolveCodec<T>(option: CodecOption<T> | undefined): Codec<T> {
  if (option === undefined) return msgpack as Codec<T>;
  if (typeof option === 'string') {
    const found = (codecs as Record<string, Codec<unknown>>)[option];
    if (found === undefined) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `unknown codec "${option}"; built-in codecs are ${Object.keys(codecs).join(', ')}`,
      );
    }
    return found as Codec<T>;
  }
  if (
    typeof option !== 'object' ||
    typeof option.encode !== 'function' ||
    typeof option.decode !== 'function'
  ) {
    throw new IpcError('ERR_INVALID_ARGUMENT', 'a codec must have encode() and decode()');
  }
  return option;
}
