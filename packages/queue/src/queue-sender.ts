import { IpcError, type Sender, type SendOptions } from '@ipc/core';
import type { PutOptions } from './queue-options.js';

/** What a sender view uses of its queue (`Queue` has it; this file does not import `Queue`, which makes the views). */
export interface PuttableQueue<T> {
  /** The queue's name. */
  readonly name: string;
  /** The queue's `put`. */
  put(message: T, options?: PutOptions): Promise<void>;
  /** Whether every receiver of the queue closed or died. */
  receiversGone(): boolean;
}

/**
 * The @ipc {@link Sender} view of a queue (`queue.sender()`): `send` is the queue's `put`, and the
 * queue counts open sender views so that receivers can tell when the stream ended. `send` fails with
 * `ERR_PEER_GONE` once every receiver view ever opened on the queue has closed or died (plain `get`s
 * are not receivers). Closing the view flushes its sends, then ends the stream if it was the last
 * open sender view; the queue handle stays open.
 */
export class QueueSender<T> implements Sender<T> {
  #closing: Promise<void> | undefined;
  #last: Promise<void> = Promise.resolve();

  /** @internal Use `queue.sender()`. */
  constructor(
    private readonly queue: PuttableQueue<T>,
    private readonly onClose: () => void,
  ) {}

  /** Puts `message` in the queue (waits while it is full). Rejects like `Queue.put`, and with `ERR_PEER_GONE` (see above). */
  send(message: T, options: SendOptions = {}): Promise<void> {
    if (this.#closing !== undefined) {
      return Promise.reject(new IpcError('ERR_CLOSED', `this sender of queue ${this.queue.name} is closed`));
    }
    if (this.queue.receiversGone()) {
      return Promise.reject(
        new IpcError('ERR_PEER_GONE', `every receiver of queue ${this.queue.name} closed or died`),
      );
    }
    const sent = this.queue.put(message, options);
    this.#last = sent.catch(() => undefined);
    return sent;
  }

  /** Flushes pending sends, then closes the view. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#last.then(() => this.onClose());
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
