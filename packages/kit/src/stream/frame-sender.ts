import type { Writable } from 'node:stream';
import {
  abortError,
  IpcError,
  toIpcError,
  type Codec,
  type Framing,
  type Sender,
  type SendOptions,
} from '@ipc/core';
import { SendGate } from '../send-gate.js';

const resolved = Promise.resolve();

/**
 * What every {@link Sender} that writes frames to a Node `Writable` shares, for a transport to build
 * its own write path on (`StreamSender` coalesces into a slab, the FIFO's `AtomicFrameSender` writes
 * whole frames of at most `PIPE_BUF` bytes): `send`'s order of checks (closed, failed, a stream the
 * other side closed, aborted), encoding, the {@link SendGate} that holds sends while there is no room
 * (the backpressure), failing on the writable's `'error'` and `'close'`, and `close()`: refuse what
 * waits, write out what was accepted, end the writable and wait for it.
 *
 * A subclass supplies {@link FrameSender.enqueue} (takes one encoded payload onto the write path),
 * {@link FrameSender.hasRoom}, {@link FrameSender.writeOut} (at close), and calls
 * {@link FrameSender.release} when room appears.
 *
 * @typeParam T - the messages sent
 */
export abstract class FrameSender<T> implements Sender<T> {
  /** The sends waiting for room, in order. */
  protected readonly blocked = new SendGate<Uint8Array>((payload) => this.enqueue(payload));
  /** Why the sender failed (every later `send` rejects with it), or `undefined`. */
  protected failure: IpcError | undefined;
  private closing: Promise<void> | undefined;

  /**
   * @param writable - the byte stream to write to (the sender ends it on close)
   * @param codec - encodes each message
   * @param framing - delimits each message
   */
  constructor(
    protected readonly writable: Writable,
    protected readonly codec: Codec<T>,
    protected readonly framing: Framing,
  ) {
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
      this.check(payload);
    } catch (err) {
      return Promise.reject(toIpcError(err, 'ERR_ENCODE'));
    }
    if (this.blocked.length === 0 && this.hasRoom()) {
      try {
        this.enqueue(payload);
      } catch (err) {
        return Promise.reject(toIpcError(err, 'ERR_ENCODE'));
      }
      return resolved;
    }
    return this.blocked.wait(payload, signal);
  }

  /** Writes out what was accepted, then ends the writable (idempotent); waiting sends reject with `ERR_CLOSED`. */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  /** Closes gracefully (see {@link FrameSender.close}). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Whether `close()` was called. */
  protected get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Refuses a payload before it is accepted (throw an `IpcError`, such as `ERR_FRAME_TOO_LARGE`). */
  protected check(_payload: Uint8Array): void {}

  /** Takes one encoded payload onto the write path (a throw rejects that send). */
  protected abstract enqueue(payload: Uint8Array): void;

  /** Whether a send may be accepted now rather than wait. */
  protected abstract hasRoom(): boolean;

  /** At close: writes out everything accepted (and any last bytes, such as a close marker). */
  protected abstract writeOut(): Promise<void>;

  /** Whether everything accepted has been written (a failure after that, while closing, is ignored). */
  protected abstract allWritten(): boolean;

  /** Lets waiting sends through, in order, while there is room. */
  protected release(): void {
    this.blocked.release(() => this.failure === undefined && this.hasRoom());
  }

  /** Fails the sender with `error` (the first failure wins); returns whether it did. */
  protected fail(error: IpcError): boolean {
    if (this.failure) return false;
    if (this.closing && this.allWritten()) return false;
    this.failure = error;
    this.blocked.rejectAll(error);
    return true;
  }

  private async finish(): Promise<void> {
    this.blocked.rejectAll(
      new IpcError('ERR_CLOSED', 'the sender was closed before this message could be sent'),
    );
    await this.writeOut();
    const w = this.writable;
    if (w.destroyed || w.writableFinished) return;
    if (this.failure) {
      w.destroy();
      return;
    }
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
}
