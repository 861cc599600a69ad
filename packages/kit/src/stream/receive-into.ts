import { IpcError, type Codec, type FrameDecoder, type RecvOptions } from '@ipc/core';
import type { Inbox } from '../inbox.js';

/**
 * Offers `target` to `decoder` for the next frame to complete (a decoder that cannot read into a given
 * buffer declines); returns whether it was offered.
 */
export function offerToDecoder(decoder: FrameDecoder | undefined, target: Uint8Array): boolean {
  if (decoder?.receiveInto === undefined) return false;
  decoder.receiveInto(target);
  return true;
}

/**
 * Why `recvInto` cannot work on a receiver with this codec, or `undefined` when it can: it hands
 * over the message's bytes, so it needs the `raw` codec and no `validate`.
 */
export function bytesOnly<T>(codec: Codec<T>, validates: boolean): IpcError | undefined {
  if (codec.name === 'raw' && !validates) return undefined;
  return new IpcError(
    'ERR_UNSUPPORTED',
    `recvInto receives bytes: it needs the raw codec and no validate (this channel has the ${codec.name} codec${validates ? ' and validate' : ''})`,
  );
}

/**
 * `recvInto` of a byte-stream receiver (see `StreamReceiver.recvInto`): the next message of `inbox`
 * copied into `buffer` at `offset`, or read there in place when nothing is buffered, nothing else
 * waits, and the call cannot give up: then `offer` is asked to hand the buffer to the decoder for the
 * next frame (it returns whether it did). `unsupported` is what {@link bytesOnly} said.
 */
export function receiveInto<T>(
  inbox: Inbox<T>,
  offer: ((target: Uint8Array) => boolean) | undefined,
  unsupported: IpcError | undefined,
  buffer: Uint8Array,
  offset: number,
  options: RecvOptions,
): Promise<number> {
  let target: Uint8Array;
  try {
    if (unsupported !== undefined) throw unsupported;
    target = recvIntoTarget(buffer, offset);
  } catch (err) {
    return Promise.reject(err);
  }
  const first = inbox.peek();
  if (first !== undefined) {
    const bytes = first.value as Uint8Array;
    if (bytes.byteLength > target.byteLength)
      return Promise.reject(bufferTooSmall(bytes.byteLength, target.byteLength));
    inbox.poll();
    target.set(bytes);
    return Promise.resolve(bytes.byteLength);
  }
  // Offer `target` for the next frame only when this is the only receive waiting and it cannot give
  // up: a receive that timed out must not leave the kernel writing into the caller's buffer.
  const lend =
    offer !== undefined &&
    options.signal === undefined &&
    options.timeout === undefined &&
    inbox.size === 0 &&
    inbox.waiting === 0 &&
    offer(target);
  return inbox.recv(options).then((value) => {
    const bytes = value as Uint8Array;
    if (lend && bytes.buffer === target.buffer && bytes.byteOffset === target.byteOffset) {
      return bytes.byteLength; // read in place
    }
    if (bytes.byteLength > target.byteLength) {
      inbox.unshift(value, bytes.byteLength);
      throw bufferTooSmall(bytes.byteLength, target.byteLength);
    }
    target.set(bytes);
    return bytes.byteLength;
  });
}

/** The room `recvInto(buffer, offset)` may fill: `buffer` from `offset` on (`ERR_INVALID_ARGUMENT` for bad arguments). */
export function recvIntoTarget(buffer: Uint8Array, offset: number): Uint8Array {
  if (!(buffer instanceof Uint8Array)) {
    throw new IpcError('ERR_INVALID_ARGUMENT', `recvInto needs a Uint8Array or Buffer, got ${typeof buffer}`);
  }
  if (!Number.isInteger(offset) || offset < 0 || offset > buffer.byteLength) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `recvInto offset must be an integer from 0 to the buffer's length (${buffer.byteLength}), got ${String(offset)}`,
    );
  }
  return buffer.subarray(offset);
}

/** `recvInto`'s error for a next message of `length` bytes that does not fit in `room` bytes (it stays queued). */
export function bufferTooSmall(length: number, room: number): IpcError {
  return new IpcError(
    'ERR_BUFFER_TOO_SMALL',
    `the next message has ${length} bytes, the buffer has room for ${room} (it stays queued)`,
  );
}
