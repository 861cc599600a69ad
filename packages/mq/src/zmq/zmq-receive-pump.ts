import type * as zmq from 'zeromq';
import { fromZmqError, receiveSkippingSpurious } from './zmq-error.js';
import { RECEIVE_SLICE_MS } from './zmq-options.js';

/**
 * Reads a ZeroMQ socket in a loop, one `receive()` at a time (zeromq.js allows one pending receive),
 * handing each multipart message to `onFrames`. `pause()` stops reading: ZeroMQ then queues up to
 * `ZMQ_RCVHWM` and the sending peer waits — the backpressure travels back to it.
 *
 * With `sliced` (all but REQ/REP), each receive waits {@link RECEIVE_SLICE_MS} at most, then is made
 * again (the pump sets the socket's `receiveTimeout`): that is what recovers a wake-up zeromq.js lost
 * while a send waited for room.
 */
export class ZmqReceivePump {
  private paused = false;
  private running = false;
  private stopped = false;

  /**
   * @param socket - the socket to read
   * @param onFrames - gets every received message
   * @param onError - gets a read failure (not called after `stop()`)
   * @param sliced - wait in slices of {@link RECEIVE_SLICE_MS}; only for a socket on which a receive is
   *   always legal (not REQ/REP, whose receive out of turn fails with `EFSM`)
   */
  constructor(
    private readonly socket: zmq.Readable & zmq.Socket,
    private readonly onFrames: (frames: Buffer[]) => void,
    private readonly onError: (err: unknown) => void,
    sliced = true,
  ) {
    if (sliced) socket.receiveTimeout = RECEIVE_SLICE_MS;
  }

  /** Starts (or resumes) reading. */
  resume(): void {
    this.paused = false;
    if (!this.running && !this.stopped) void this.loop();
  }

  /** Stops reading after the current message until `resume()`. */
  pause(): void {
    this.paused = true;
  }

  /** Stops for good (before the socket closes). */
  stop(): void {
    this.stopped = true;
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (!this.paused && !this.stopped) {
        const frames = await receiveSkippingSpurious(
          () => this.socket.receive(),
          () => this.stopped || this.socket.closed,
        );
        if (this.stopped) return;
        this.onFrames(frames);
      }
    } catch (err) {
      if (!this.stopped && !this.socket.closed) this.onError(fromZmqError(err, 'receive'));
    } finally {
      this.running = false;
    }
  }
}
