/**
 * Turns messages into bytes and back. Every transport takes one (`{ codec }`); the default is
 * {@link msgpack}. A codec's `decode` throws `IpcError` `ERR_DECODE` on bad bytes, and its `encode`
 * throws `ERR_ENCODE` on a value it cannot represent — nothing else.
 *
 * @typeParam T - the type of the values it carries
 */
export interface Codec<T = unknown> {
  /** A short name (`msgpack`, `json`, `raw`, `structured`, or your own). */
  readonly name: string;
  /** Encodes one message. The result may be a view into a larger buffer, which it must not reuse. */
  encode(value: T): Uint8Array;
  /** Decodes one message. `bytes` may be a view the caller keeps; copy if you keep parts of it. */
  decode(bytes: Uint8Array): T;
}
