import type { WaitOptions } from './abort.js';

/** Options of {@link Sender.send}. */
export interface SendOptions {
  /** Cancels a send that is waiting for room (backpressure); it then rejects with `ERR_ABORTED` and sends nothing. */
  signal?: AbortSignal | undefined;
}

/** Options of {@link Receiver.recv}: `signal` (→ `ERR_ABORTED`) and `timeout` in ms (→ `ERR_TIMEOUT`). */
export type RecvOptions = WaitOptions;

/**
 * The sending half of every @ipc transport.
 *
 * @typeParam T - the type of the messages it sends
 */
export interface Sender<T> extends AsyncDisposable {
  /**
   * Sends one message. Resolves once the transport has accepted it; waits while the transport is
   * above its high-water mark (that is the backpressure). Messages are delivered in the order of
   * `send` calls. Rejects with `ERR_CLOSED` after `close()`, `ERR_ENCODE` for a value the codec
   * cannot encode, `ERR_PEER_GONE` when the other side is known to be gone.
   */
  send(message: T, options?: SendOptions): Promise<void>;
  /** Flushes what was accepted and closes. Idempotent: a second call returns the same promise. */
  close(): Promise<void>;
}

/**
 * The receiving half of every @ipc transport. Async-iterable: `for await (const m of rx)` ends when
 * the peer ends cleanly or the receiver is closed, and throws on a failure (`ERR_PEER_GONE` for a
 * cut in the middle of a message). Breaking out of the loop does not close the receiver.
 *
 * @typeParam T - the type of the messages it receives
 */
export interface Receiver<T> extends AsyncDisposable, AsyncIterable<T> {
  /**
   * Receives the next message. Rejects with `ERR_CLOSED` once closed or ended by the peer,
   * `ERR_TIMEOUT`/`ERR_ABORTED` per the options, `ERR_DECODE`/`ERR_INVALID_MESSAGE` for one message
   * that could not be decoded or validated (the next `recv` goes on with the following message).
   */
  recv(options?: RecvOptions): Promise<T>;
  /** Stops receiving and releases the resource. Idempotent. */
  close(): Promise<void>;
}

/**
 * Both halves: a two-way channel.
 *
 * @typeParam Out - the messages this side sends
 * @typeParam In - the messages this side receives (by default the same)
 */
export interface Channel<Out, In = Out> extends Sender<Out>, Receiver<In> {}
