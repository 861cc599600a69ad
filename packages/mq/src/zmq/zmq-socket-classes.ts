import type { Channel, Receiver, RecvOptions, Sender } from '@ipc/core';
import type * as zmq from 'zeromq';
import type { ZmqLink } from './zmq-link.js';
import type { ZmqSendOptions } from './zmq-send-queue.js';

/**
 * The sending side of a ZeroMQ socket (PUSH, PUB): a {@link Sender}. `send` resolves once ZeroMQ has
 * queued the message and waits while the socket is at its high-water mark; concurrent sends are
 * queued in order.
 *
 * @typeParam T - the messages it sends
 */
export class ZmqSender<T> implements Sender<T> {
  /** @internal */
  constructor(protected readonly link: ZmqLink<T, never>) {}

  /** The zeromq.js socket underneath (for options this package does not cover). */
  get socket(): zmq.Socket {
    return this.link.socket;
  }

  /**
   * Sends one message; waits (with `signal`/`timeout`) while the socket is at `ZMQ_SNDHWM`.
   * Rejects with `ERR_CLOSED` after close, `ERR_ENCODE`, `ERR_ABORTED`, `ERR_TIMEOUT`.
   */
  send(message: T, options?: ZmqSendOptions): Promise<void> {
    return this.link.send(message, options);
  }

  /** Lets accepted messages go out (within `linger`), then closes. Idempotent. */
  close(): Promise<void> {
    return this.link.close();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * The receiving side of a ZeroMQ socket (PULL, SUB): a {@link Receiver}. Breaking out of a
 * `for await` loop does not close it.
 *
 * @typeParam T - the messages it receives
 */
export class ZmqReceiver<T> implements Receiver<T> {
  /** @internal */
  constructor(protected readonly link: ZmqLink<never, T>) {}

  /** The zeromq.js socket underneath. */
  get socket(): zmq.Socket {
    return this.link.socket;
  }

  /** Receives the next message (`ERR_CLOSED` once closed or ended, `ERR_TIMEOUT`, `ERR_ABORTED`, `ERR_DECODE`). */
  recv(options?: RecvOptions): Promise<T> {
    return this.link.recv(options);
  }

  /** Closes now; buffered messages are dropped. Idempotent. */
  close(): Promise<void> {
    return this.link.close();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Iterates messages until the stream ends or the receiver closes. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.link.iterate();
  }
}

/**
 * Both sides of a ZeroMQ socket (PAIR, DEALER, ROUTER): a {@link Channel}.
 *
 * @typeParam Out - the messages it sends
 * @typeParam In - the messages it receives
 */
export class ZmqChannel<Out, In = Out> implements Channel<Out, In> {
  /** @internal */
  constructor(protected readonly link: ZmqLink<Out, In>) {}

  /** The zeromq.js socket underneath. */
  get socket(): zmq.Socket {
    return this.link.socket;
  }

  /** Sends one message (see {@link ZmqSender.send}). */
  send(message: Out, options?: ZmqSendOptions): Promise<void> {
    return this.link.send(message, options);
  }

  /** Receives the next message (see {@link ZmqReceiver.recv}). */
  recv(options?: RecvOptions): Promise<In> {
    return this.link.recv(options);
  }

  /** Lets accepted messages go out (within `linger`), tells the peer, closes. Idempotent. */
  close(): Promise<void> {
    return this.link.close();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Iterates messages until the peer ends the stream or the channel closes. */
  [Symbol.asyncIterator](): AsyncIterator<In> {
    return this.link.iterate();
  }
}
