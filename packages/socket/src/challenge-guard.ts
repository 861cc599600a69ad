import { IpcError, resolveCodec, type Codec, type CodecOption } from '@ipc/core';
import { CHALLENGE_TAG } from './auth-handshake.js';

/**
 * Whether a client connected without an `authkey` met a server that wants one: `error` once seen;
 * `then` (set once the channel exists) is called with it.
 */
export interface ChallengeWatch {
  error: IpcError | undefined;
  then: ((error: IpcError) => void) | undefined;
}

/**
 * The codec of a client without an `authkey`, watching the first message: a server that wants an
 * authkey starts with a `multiprocessing` challenge (`#CHALLENGE#…`), which is then `ERR_AUTH` (the
 * client's requests and `recv` fail with it at once) instead of a decode error and a wait for the
 * server's handshake timeout. After the first message it only delegates. The `raw` codec is left as
 * it is (raw bytes are never checked; the challenge then arrives as a message).
 */
export function challengeGuard(
  option: CodecOption<any> | undefined,
  watch: ChallengeWatch,
): CodecOption<any> {
  const codec: Codec<unknown> = resolveCodec(option);
  if (codec.name === 'raw') return codec;
  let checked = false;
  const check = (bytes: Uint8Array): void => {
    checked = true;
    if (bytes.byteLength < CHALLENGE_TAG.length) return;
    if (!Buffer.from(bytes.buffer, bytes.byteOffset, CHALLENGE_TAG.length).equals(CHALLENGE_TAG)) return;
    watch.error = new IpcError(
      'ERR_AUTH',
      'the server requires an authkey (it sent an authentication challenge); set options.authkey',
    );
    watch.then?.(watch.error);
    throw watch.error;
  };
  const guarded: Codec<unknown> = {
    name: codec.name,
    encode: (value) => codec.encode(value),
    decode: (bytes) => {
      if (!checked) check(bytes);
      return codec.decode(bytes);
    },
  };
  if (codec.encodeInto !== undefined) {
    const encodeInto = codec.encodeInto.bind(codec);
    guarded.encodeInto = (value, target, offset, end) => encodeInto(value, target, offset, end);
  }
  if (codec.decodeFrom !== undefined) {
    const decodeFrom = codec.decodeFrom.bind(codec);
    guarded.decodeFrom = (source, start, end) => {
      if (!checked) check(source.subarray(start, end));
      return decodeFrom(source, start, end);
    };
  }
  return guarded;
}
