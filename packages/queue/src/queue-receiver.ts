import { IpcError, receiveUntilClosed, type Receiver, type RecvOptions } from '@ipc/core';
import type { GetOptions } from './queue-options.js';

/** What a receiver view uses of its queue (`Queue` has it; this file does not import `Queue`, which makes the views). */
export interface GettableQueue<T> {
  /** The queue's name. */
  readonly name: string;
  /** The queue's `get` without `ack`. */
  get(options?: GetOptions & { ack?: false | undefined }): Promise<T>;
}

/**
 * The @ipc {@link Receiver} view of a queue (`queue.receiver()`): `recv` is the queue's `get`
 * (at-most-once); the iteration ends once every sender view of the queue closed and the queue is
 * drained. While a receiver view is open, senders know someone listens; closing the last one makes
 * their `send` fail with `ERR_PEER_GONE`. Closing the view leaves the queue handle open.
 * Breaking out of a `for await` loop does not close the view.
 */
export class QueueReceiver<T> implements Receiver<T> {
  #closed = false;
  readonly #controller = new AbortController();

  /** @internal Use `queue.receiver()`. */
  constructor(
    private readonly queue: GettableQueue<T>,
    private readonly onClose: () => void,
  ) {}

  /** Gets the next message. Rejects like `Queue.get`, and with `ERR_CLOSED` once this view is closed. */
  async recv(options: RecvOptions = {}): Promise<T> {
    if (this.#closed) throw new IpcError('ERR_CLOSED', `this receiver of queue ${this.queue.name} is closed`);
    const signal =
      options.signal === undefined
        ? this.#controller.signal
        : AbortSignal.any([options.signal, this.#controller.signal]);
    try {
      return await this.queue.get({ signal, timeout: options.timeout });
    } catch (err) {
      if (this.#closed)
        throw new IpcError('ERR_CLOSED', `this receiver of queue ${this.queue.name} is closed`);
      throw err;
    }
  }

  /** Iterates messages until the view closes, or every sender view closed and the queue is drained. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return receiveUntilClosed(() => this.recv());
  }

  /** Closes the view: a pending `recv` rejects with `ERR_CLOSED`. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#controller.abort();
    this.onClose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
