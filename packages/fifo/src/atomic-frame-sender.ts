import type { Writable } from 'node:stream';
import {
  abortError,
  CLOSE_MARKER_BYTES,
  IpcError,
  OPEN_MARKER_BYTES,
  toIpcError,
  type Codec,
  type Framing,
  type Sender,
  type SendOptions,
} from '@ipc/core';
import { Deque, SendGate } from '@ipc/kit';
import { PIPE_BUF } from './pipe-buf.js';

/** Bytes queued (not yet written) above which `send` waits. */
const HIGH_WATER_BYTES = 64 * 1024;

/**
 * A {@link Sender} for a FIFO that other processes write too. Every `write(2)` it makes holds whole
 * frames and at most {@link PIPE_BUF} bytes, and only one write is in flight at a time (so Node never
 * merges two into one `writev`): the kernel then writes each one atomically, never interleaved with
 * another writer's bytes. Small frames are still coalesced, up to 4096 bytes per write. A frame larger
 * than `PIPE_BUF` cannot be written atomically and is refused with `ERR_FRAME_TOO_LARGE`.
 */
export class AtomicFrameSender<T> implements Sender<T> {
  private readonly chunks = new Deque<Buffer>();
  private current = Buffer.allocUnsafe(PIPE_BUF);
  private currentLength = 0;
  private queuedBytes = 0;
  private writing = false;
  private flushScheduled = false;
  private readonly blocked = new SendGate<Uint8Array>((payload) => this.enqueue(payload));
  private failure: IpcError | undefined;
  private closing: Promise<void> | undefined;
  private idle: (() => void) | undefined;

  /**
   * @param writable - the FIFO's write stream (ended on close)
   * @param codec - encodes each message
   * @param framing - delimits each message
   * @param announce - write the open marker first and the close marker on `close()` (see
   *   `announce` in `openFifo`; length-prefixed framing only)
   */
  constructor(
    private readonly writable: Writable,
    private readonly codec: Codec<T>,
    private readonly framing: Framing,
    private readonly announce = false,
  ) {
    writable.on('error', (err) => this.fail(toIpcError(err, 'ERR_PEER_GONE', 'writing to the FIFO failed')));
    writable.on('close', () => this.fail(new IpcError('ERR_PEER_GONE', 'the FIFO was closed')));
    if (announce) this.enqueueBytes(OPEN_MARKER_BYTES);
  }

  /** {@inheritDoc Sender.send} */
  send(message: T, options?: SendOptions): Promise<void> {
    if (this.closing) return Promise.reject(new IpcError('ERR_CLOSED', 'the sender is closed'));
    if (this.failure) return Promise.reject(this.failure);
    const signal = options?.signal;
    if (signal?.aborted === true) return Promise.reject(abortError(signal));
    let payload: Uint8Array;
    try {
      payload = this.codec.encode(message);
      const frameLength = this.framing.frameLength(payload.byteLength);
      if (frameLength > PIPE_BUF) {
        throw new IpcError(
          'ERR_FRAME_TOO_LARGE',
          `a frame of ${frameLength} bytes is over PIPE_BUF (${PIPE_BUF}): the kernel could interleave it with ` +
            `other writers' data. Send smaller messages, or open with { exclusive: true } when this is the only writer`,
        );
      }
    } catch (err) {
      return Promise.reject(toIpcError(err, 'ERR_ENCODE'));
    }
    if (this.blocked.length === 0 && this.queuedBytes < HIGH_WATER_BYTES) {
      try {
        this.enqueue(payload);
      } catch (err) {
        return Promise.reject(toIpcError(err, 'ERR_ENCODE'));
      }
      return Promise.resolve();
    }
    return this.blocked.wait(payload, signal);
  }

  /** Writes what was accepted, then closes the FIFO's write end (idempotent). */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  /** Closes (see {@link AtomicFrameSender.close}). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private enqueue(payload: Uint8Array): void {
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

  private release(): void {
    this.blocked.release(() => this.queuedBytes < HIGH_WATER_BYTES && this.failure === undefined);
  }

  private async finish(): Promise<void> {
    this.blocked.rejectAll(
      new IpcError('ERR_CLOSED', 'the sender was closed before this message could be sent'),
    );
    if (this.announce && !this.failure) this.enqueueBytes(CLOSE_MARKER_BYTES);
    if (!this.failure && (this.writing || this.queuedBytes > 0)) {
      await new Promise<void>((resolve) => {
        this.idle = resolve;
        this.pump();
      });
    }
    const w = this.writable;
    if (w.destroyed) return;
    if (this.failure) {
      w.destroy();
      return;
    }
    await new Promise<void>((resolve) => {
      w.once('close', () => resolve());
      w.end();
    });
  }

  private fail(error: IpcError): void {
    if (this.failure) return;
    if (this.closing && this.queuedBytes === 0) return;
    this.failure = error;
    this.blocked.rejectAll(error);
    this.idle?.();
  }
}
