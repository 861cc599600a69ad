import type { Writable } from 'node:stream';
import {
  abortError,
  CLOSE_MARKER_BYTES,
  IpcError,
  toIpcError,
  type Codec,
  type Framing,
  type Sender,
  type SendOptions,
} from '@ipc/core';
import { SendGate } from '../send-gate.js';

/** Frames up to this size are copied into a shared slab and written together (one syscall for many). */
const COALESCE_MAX = 16 * 1024;
/** Slab size; the slab is flushed once half of it is pending, or at the end of the tick. */
const SLAB_BYTES = 64 * 1024;

const resolved = Promise.resolve();

/**
 * Sends framed, encoded messages on a Node `Writable`. Small frames are coalesced into one write
 * per tick (or per 32 KiB); big payloads are written with `writev` without a copy. `send` waits
 * while the writable is above its `highWaterMark` (`writableNeedDrain`) — the backpressure.
 */
export class StreamSender<T> implements Sender<T> {
  private slab = Buffer.allocUnsafe(SLAB_BYTES);
  private slabStart = 0;
  private slabEnd = 0;
  private flushScheduled = false;
  private readonly blocked = new SendGate<Uint8Array>((payload) => this.enqueue(payload));
  private failure: IpcError | undefined;
  private closing: Promise<void> | undefined;
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
    private readonly writable: Writable,
    private readonly codec: Codec<T>,
    private readonly framing: Framing,
    private readonly sendCloseMarker = false,
  ) {
    writable.on('drain', () => this.release());
    writable.on('error', (err) => this.fail(toIpcError(err, 'ERR_PEER_GONE', 'write failed')));
    writable.on('close', () => this.fail(new IpcError('ERR_PEER_GONE', 'the stream was closed')));
  }

  /** {@inheritDoc Sender.send} */
  send(message: T, options?: SendOptions): Promise<void> {
    if (this.closing) return Promise.reject(new IpcError('ERR_CLOSED', 'the sender is closed'));
    if (this.failure) return Promise.reject(this.failure);
    if (this.writable.destroyed || this.writable.writableEnded) {
      const gone = new IpcError('ERR_PEER_GONE', 'the stream was closed by the other side');
      this.fail(gone);
      return Promise.reject(gone);
    }
    const signal = options?.signal;
    if (signal?.aborted === true) return Promise.reject(abortError(signal));
    let payload: Uint8Array;
    try {
      payload = this.codec.encode(message);
    } catch (err) {
      return Promise.reject(toIpcError(err, 'ERR_ENCODE'));
    }
    if (this.blocked.length === 0 && !this.writable.writableNeedDrain) {
      try {
        this.enqueue(payload);
      } catch (err) {
        return Promise.reject(toIpcError(err, 'ERR_ENCODE'));
      }
      return resolved;
    }
    return this.blocked.wait(payload, signal);
  }

  /** {@inheritDoc Sender.close} */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  /** Closes gracefully (see {@link StreamSender.close}). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async finish(): Promise<void> {
    this.blocked.rejectAll(
      new IpcError('ERR_CLOSED', 'the sender was closed before this message could be sent'),
    );
    this.flush();
    const w = this.writable;
    if (this.failure || w.destroyed || w.writableFinished) return;
    if (this.sendCloseMarker && !w.writableEnded) w.write(Buffer.from(CLOSE_MARKER_BYTES));
    await new Promise<void>((resolve) => {
      const done = (): void => {
        w.off('finish', done);
        w.off('close', done);
        w.off('error', done);
        resolve();
      };
      w.on('finish', done);
      w.on('close', done);
      w.on('error', done);
      w.end();
    });
  }

  /** Adds one frame to the write path. */
  private enqueue(payload: Uint8Array): void {
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

  /** Lets blocked sends through, in order, while the writable has room. */
  private release(): void {
    this.blocked.release(() => !this.writable.writableNeedDrain && this.failure === undefined);
  }

  private fail(error: IpcError): void {
    if (this.failure) return;
    if (this.closing && this.writable.writableFinished) return;
    this.failure = error;
    this.blocked.rejectAll(error);
  }
}
