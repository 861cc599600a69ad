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
 * The codec of a client without an `authkey`, watching the first message of each connection: a
 * server that wants an authkey starts with a `multiprocessing` challenge (`#CHALLENGE#…`), which is
 * then `ERR_AUTH` (the client's requests and `recv` fail with it at once) instead of a decode error
 * and a wait for the server's handshake timeout. After the first message it only delegates. The `raw`
 * codec is left as it is (raw bytes are never checked; the challenge then arrives as a message).
 * One guard serves all the connections of a reconnecting client: {@link ChallengeGuard.arm} watches
 * the next one.
 */
export class ChallengeGuard {
  /** The codec to decode with (the option's codec, checking the first message after `arm`). */
  readonly codec: Codec<unknown>;
  private watch: ChallengeWatch | undefined;

  /** @param option - the client's codec option */
  constructor(option: CodecOption<any> | undefined) {
    const codec: Codec<unknown> = resolveCodec(option);
    if (codec.name === 'raw') {
      this.codec = codec;
      return;
    }
    const check = (bytes: Uint8Array): void => {
      const watch = this.watch;
      if (watch === undefined) return;
      this.watch = undefined;
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
        if (this.watch !== undefined) check(bytes);
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
        if (this.watch !== undefined) check(source.subarray(start, end));
        return decodeFrom(source, start, end);
      };
    }
    this.codec = guarded;
  }

  /** Checks the first message decoded from now on (a new connection's) and reports to `watch`. */
  arm(watch: ChallengeWatch): void {
    if (this.codec.name !== 'raw') this.watch = watch;
  }
}
