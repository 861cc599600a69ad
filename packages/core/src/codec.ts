/**
 * Turns messages into bytes and back. Every transport takes one (`{ codec }`); the default is
 * {@link msgpack}. A codec's `decode` throws `IpcError` `ERR_DECODE` on bad bytes, and its `encode`
 * throws `ERR_ENCODE` on a value it cannot represent — nothing else.
 *
 * @typeParam T - the type of the values it carries
 */
export interface Codec<T = unknown> {
  /** A short name (`msgpack`, `json`, `raw`, `structured`, `pickle`, or your own). */
  readonly name: string;
  /** Encodes one message. The result may be a view into a larger buffer, which it must not reuse. */
  encode(value: T): Uint8Array;
  /** Decodes one message. `bytes` may be a view the caller keeps; copy if you keep parts of it. */
  decode(bytes: Uint8Array): T;
  /**
   * Optional fast path of {@link Codec.encode}: encodes `value` straight into `target` from `offset`
   * (a transport's own memory, such as a shared-memory ring), writing nothing at or after `end`.
   * Returns the offset after the message, or -1 when it does not fit (the range may have been
   * written). Throws what `encode` throws. Transports use it when it is there, `encode` otherwise.
   */
  encodeInto?(value: T, target: Uint8Array, offset: number, end: number): number;
  /**
   * Optional fast path of {@link Codec.decode}: decodes the message in `source[start, end)` in place.
   * The value must share no memory with `source`, which the caller reuses as soon as this returns.
   * Throws what `decode` throws.
   */
  decodeFrom?(source: Uint8Array, start: number, end: number): T;
}
