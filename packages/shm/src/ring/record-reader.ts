import { IpcError, type Codec } from '@ipc/core';
import { bufferTooSmall } from '@ipc/kit';
import { copyBytes } from '../copy-bytes.js';
import { RecordBatch } from './record-batch.js';
import { CONTINUED, RECORD_HEADER, type Ring } from './ring.js';

/**
 * How a receive takes a message: `'decode'` (recv), `'view'` (recvView: the bytes in place), or a
 * buffer to copy the bytes into (recvInto).
 */
export type Take = 'decode' | 'view' | Uint8Array;
/** "No message": what {@link RecordReader.tryRead} returns when there is nothing to take yet. */
export const NONE: unique symbol = Symbol('no message');

/** Most bytes of small messages one receive copies out of the ring at once. */
const BATCH_BYTES = 32 * 1024;

/**
 * Takes whole messages out of an `ShmChannel`'s rx ring, never waiting: decoded in place, viewed in
 * place, copied into a caller's buffer, batched (small messages waiting together are copied out at
 * once), or assembled from pieces. Frees ring room as it goes and wakes a writer waiting for room.
 */
export class RecordReader {
  private held = 0; // bytes of the record recvView handed out, released on the next receive
  private readonly batch = new RecordBatch(); // messages copied out of the ring, not yet received
  private assembling: { bytes: Uint8Array; filled: number } | undefined;
  private ready: Uint8Array | undefined; // a whole message a recvInto found too big for its buffer

  constructor(
    private readonly rx: Ring,
    private readonly codec: Codec<unknown>,
    /** Wakes a writer waiting for room, if one is (see `RingWake`). */
    private readonly wakeWriter: () => void,
  ) {}

  /**
   * One whole message from the rx ring if there is one (assembling pieces as they come), taken as
   * `how` says; {@link NONE} when there is none. A decoding error consumes the message; a message too
   * big for a `recvInto` buffer stays.
   */
  tryRead(how: Take): unknown {
    const ring = this.rx;
    if (this.ready !== undefined) {
      const bytes = this.ready;
      checkRoom(how, bytes.byteLength);
      this.ready = undefined;
      return this.finish(bytes, how);
    }
    if (this.batch.pending) {
      checkRoom(how, this.batch.nextLength());
      return this.finish(this.batch.next(), how);
    }
    for (;;) {
      if (!ring.peek()) return NONE;
      const offset = ring.recOffset;
      const length = ring.recLength;
      const info = ring.recInfo;
      const size = ring.recSize;
      if (length < 0 || offset + length > ring.capacity)
        throw new IpcError('ERR_DECODE', 'corrupt ring record');
      if (this.assembling === undefined) {
        if (info === length) return this.takeWhole(how, offset, length, size);
        if (info < length || info > 0x7fffffff) throw new IpcError('ERR_DECODE', 'corrupt ring record');
        checkRoom(how, info); // before the first piece is taken
        this.assembling = { bytes: new Uint8Array(info), filled: 0 };
      } else if (info !== CONTINUED) {
        throw new IpcError('ERR_DECODE', 'corrupt ring record: a message piece is missing');
      }
      const a = this.assembling;
      if (a.filled + length > a.bytes.byteLength)
        throw new IpcError('ERR_DECODE', 'corrupt ring record: too many bytes');
      copyBytes(a.bytes, ring.data.subarray(offset, offset + length), a.filled);
      a.filled += length;
      this.release(size);
      if (a.filled === a.bytes.byteLength) {
        this.assembling = undefined;
        return this.finish(a.bytes, how);
      }
    }
  }

  /** Releases the record the last `recvView` handed out (call before the next receive). */
  releaseHeld(): void {
    if (this.held === 0) return;
    const size = this.held;
    this.held = 0;
    this.release(size);
  }

  /** The unfragmented message at `offset` (its record `size` bytes), taken as `how` says. */
  private takeWhole(how: Take, offset: number, length: number, size: number): unknown {
    const ring = this.rx;
    if (how === 'view') {
      this.held = size;
      return ring.data.subarray(offset, offset + length);
    }
    if (typeof how === 'object') {
      checkRoom(how, length);
      copyBytes(how, ring.data.subarray(offset, offset + length), 0);
      this.release(size);
      return length;
    }
    const codec = this.codec;
    if (codec.decodeFrom !== undefined) {
      // The codec decodes in place (its value shares no memory with the ring): no copy at all.
      try {
        return codec.decodeFrom(ring.data, offset, offset + length);
      } finally {
        this.release(size);
      }
    }
    const run = ring.wholeRun(BATCH_BYTES);
    if (run === size - ring.recSkip) {
      const copy = ring.data.slice(offset, offset + length);
      this.release(size);
      return this.finish(copy, how);
    }
    // Several whole messages are waiting: copy them out at once (one allocation, one release).
    this.batch.take(ring.data.slice(offset - RECORD_HEADER, offset - RECORD_HEADER + run));
    this.release(ring.recSkip + run);
    return this.finish(this.batch.next(), how);
  }

  /** A whole message's bytes (the receiver's own memory) taken as `how` says. */
  private finish(bytes: Uint8Array, how: Take): unknown {
    if (how === 'view') return bytes;
    if (how === 'decode') return this.codec.decode(bytes);
    if (bytes.byteLength > how.byteLength) {
      this.ready = bytes; // assembled while an earlier receive waited: it stays first in line
      throw bufferTooSmall(bytes.byteLength, how.byteLength);
    }
    copyBytes(how, bytes, 0);
    return bytes.byteLength;
  }

  // Frees `size` bytes; a writer asleep for room is woken.
  private release(size: number): void {
    this.rx.consume(size);
    this.wakeWriter();
  }
}

/** For a `recvInto` (`how` a buffer): throws `ERR_BUFFER_TOO_SMALL` when `length` bytes do not fit. */
function checkRoom(how: Take, length: number): void {
  if (typeof how === 'object' && length > how.byteLength) throw bufferTooSmall(length, how.byteLength);
}
