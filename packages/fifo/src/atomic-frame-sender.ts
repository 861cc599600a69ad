import type { Writable } from 'node:stream';
import { CLOSE_MARKER_BYTES, IpcError, OPEN_MARKER_BYTES, type Codec, type Framing } from '@ipc/core';
import { Deque, FrameSender } from '@ipc/kit';
import { PIPE_BUF } from './pipe-buf.js';

/** Bytes queued (not yet written) above which `send` waits. */
const HIGH_WATER_BYTES = 64 * 1024;

/**
 * A {@link Sender} for a FIFO that other processes write too. Every `write(2)` it makes holds whole
 * frames and at most {@link PIPE_BUF} bytes, and only one write is in flight at a time (so Node never
 * merges two into one `writev`): the kernel then writes each one atomically, never interleaved with
 * another writer's bytes. Small frames are still coalesced, up to 4096 bytes per write. A frame larger
 * than `PIPE_BUF` cannot be written atomically and is refused with `ERR_FRAME_TOO_LARGE`. The rest of
 * a sender (checks, encoding, backpressure, close) is the kit's `FrameSender`.
 */
export class AtomicFrameSender<T> extends FrameSender<T> {
  private readonly chunks = new Deque<Buffer>();
  private current = Buffer.allocUnsafe(PIPE_BUF);
  private currentLength = 0;
  private queuedBytes = 0;
  private writing = false;
  private flushScheduled = false;
  private idle: (() => void) | undefined;

  /**
   * @param writable - the FIFO's write stream (ended on close)
   * @param codec - encodes each message
   * @param framing - delimits each message
   * @param announce - write the open marker first and the close marker on `close()` (see
   *   `announce` in `openFifo`; length-prefixed framing only)
   */
  constructor(
    writable: Writable,
    codec: Codec<T>,
    framing: Framing,
    private readonly announce = false,
  ) {
    super(writable, codec, framing);
    if (announce) this.enqueueBytes(OPEN_MARKER_BYTES);
  }

  /** Refuses a frame over `PIPE_BUF`: the kernel could interleave it with other writers' data. */
  protected override check(payload: Uint8Array): void {
    const frameLength = this.framing.frameLength(payload.byteLength);
    if (frameLength > PIPE_BUF) {
      throw new IpcError(
        'ERR_FRAME_TOO_LARGE',
        `a frame of ${frameLength} bytes is over PIPE_BUF (${PIPE_BUF}): the kernel could interleave it with ` +
          `other writers' data. Send smaller messages, or open with { exclusive: true } when this is the only writer`,
      );
    }
  }

  /** Fewer than 64 KiB are queued. */
  protected hasRoom(): boolean {
    return this.queuedBytes < HIGH_WATER_BYTES;
  }

  /** Nothing is queued. */
  protected allWritten(): boolean {
    return this.queuedBytes === 0;
  }

  /** Queues the close marker when announcing, and waits until every queued chunk is written. */
  protected async writeOut(): Promise<void> {
    if (this.announce && !this.failure) this.enqueueBytes(CLOSE_MARKER_BYTES);
    if (!this.failure && (this.writing || this.queuedBytes > 0)) {
      await new Promise<void>((resolve) => {
        this.idle = resolve;
        this.pump();
      });
    }
  }

  /** Fails, and lets a close waiting for the queue to empty go on. */
  protected override fail(error: IpcError): boolean {
    if (!super.fail(error)) return false;
    this.idle?.();
    return true;
  }

  /** Adds one frame to the chunk being filled (a new chunk when it would go over `PIPE_BUF`). */
  protected enqueue(payload: Uint8Array): void {
    const frameLength = this.framing.frameLength(payload.byteLength);
    if (this.currentLength + frameLength > PIPE_BUF) this.seal();
    this.currentLength = this.framing.writeFrame(payload, this.current, this.currentLength);
    this.queued(frameLength);
  }

  /** Queues bytes that are already a whole frame (a marker), within one atomic write. */
  private enqueueBytes(bytes: Uint8Array): void {
    if (this.currentLength + bytes.byteLength > PIPE_BUF) this.seal();
    this.current.set(bytes, this.currentLength);
    this.currentLength += bytes.byteLength;
    this.queued(bytes.byteLength);
  }

  /** Counts `n` more queued bytes and makes sure a write will take them. */
  private queued(n: number): void {
    this.queuedBytes += n;
    if (!this.writing && !this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => {
        this.flushScheduled = false;
        this.pump();
      });
    }
  }

  /** Moves the chunk being filled to the write queue. */
  private seal(): void {
    if (this.currentLength === 0) return;
    this.chunks.push(this.current.subarray(0, this.currentLength));
    this.current = Buffer.allocUnsafe(PIPE_BUF);
    this.currentLength = 0;
  }

  /** Starts the next write when none is in flight. */
  private pump(): void {
    if (this.writing || this.failure) return;
    if (this.chunks.length === 0) this.seal();
    const chunk = this.chunks.shift();
    if (chunk === undefined) {
      this.idle?.();
      return;
    }
    this.writing = true;
    this.writable.write(chunk, (err) => {
      this.writing = false;
      if (err) return; // 'error' follows and fails the sender
      this.queuedBytes -= chunk.byteLength;
      this.release();
      this.pump();
    });
  }
}
