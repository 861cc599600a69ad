import type { Writable } from 'node:stream';
import { CLOSE_MARKER_BYTES, type Codec, type Framing } from '@ipc/core';
import { FrameSender } from './frame-sender.js';

/** Frames up to this size are copied into a shared slab and written together (one syscall for many). */
const COALESCE_MAX = 16 * 1024;
/** Slab size; the slab is flushed once half of it is pending, or at the end of the tick. */
const SLAB_BYTES = 64 * 1024;

/**
 * Sends framed, encoded messages on a Node `Writable`. Small frames are coalesced into one write
 * per tick (or per 32 KiB); big payloads are written with `writev` without a copy. `send` waits
 * while the writable is above its `highWaterMark` (`writableNeedDrain`) — the backpressure.
 */
export class StreamSender<T> extends FrameSender<T> {
  private slab = Buffer.allocUnsafe(SLAB_BYTES);
  private slabStart = 0;
  private slabEnd = 0;
  private flushScheduled = false;
  private readonly flushBound = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  /**
   * @param writable - the byte stream to write to (the sender ends it on close)
   * @param codec - encodes each message
   * @param framing - delimits each message
   * @param sendCloseMarker - write the close marker (see `CLOSE_MARKER_BYTES`) last on `close()`:
   *   only to an @ipc receiver that expects it, with the length-prefixed framing
   */
  constructor(
    writable: Writable,
    codec: Codec<T>,
    framing: Framing,
    private readonly sendCloseMarker = false,
  ) {
    super(writable, codec, framing);
    writable.on('drain', () => this.release());
  }

  /** The writable is below its `highWaterMark`. */
  protected hasRoom(): boolean {
    return !this.writable.writableNeedDrain;
  }

  /** Everything accepted has reached the OS. */
  protected allWritten(): boolean {
    return this.writable.writableFinished;
  }

  /** Flushes the slab, and writes the close marker when asked to. */
  protected writeOut(): Promise<void> {
    this.flush();
    const w = this.writable;
    if (this.sendCloseMarker && !this.failure && !w.destroyed && !w.writableEnded) {
      w.write(Buffer.from(CLOSE_MARKER_BYTES));
    }
    return Promise.resolve();
  }

  /** Adds one frame to the write path. */
  protected enqueue(payload: Uint8Array): void {
    const frameLength = this.framing.frameLength(payload.byteLength);
    if (frameLength > COALESCE_MAX) {
      const pieces = this.framing.framePieces(payload);
      this.flush();
      this.writable.cork();
      for (const piece of pieces) this.writable.write(piece);
      this.writable.uncork();
      return;
    }
    if (this.slabEnd + frameLength > this.slab.byteLength) {
      this.flush();
      this.slab = Buffer.allocUnsafe(SLAB_BYTES);
      this.slabStart = 0;
      this.slabEnd = 0;
    }
    this.slabEnd = this.framing.writeFrame(payload, this.slab, this.slabEnd);
    if (this.slabEnd - this.slabStart >= SLAB_BYTES / 2) {
      this.flush();
    } else if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flushBound);
    }
  }

  /** Writes the frames gathered in the slab. The written part of the slab is never touched again. */
  private flush(): void {
    if (this.slabEnd === this.slabStart || this.failure) return;
    this.writable.write(this.slab.subarray(this.slabStart, this.slabEnd));
    this.slabStart = this.slabEnd;
  }
}
