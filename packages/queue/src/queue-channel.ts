import type { Channel, RecvOptions, SendOptions } from '@ipc/core';
import type { Queue } from './queue.js';
import type { QueueReceiver } from './queue-receiver.js';
import type { QueueSender } from './queue-sender.js';

/**
 * A two-way {@link Channel} over two queues: it sends on `outbound` and receives from `inbound`
 * (the other side passes them the other way round). Closing it closes both views and both queue
 * handles — a drop-in replacement for a ZeroMQ PUSH/PULL pair or a socket between two processes.
 *
 * @example
 * ```ts
 * const ch = queueChannel(createQueue('a-to-b'), createQueue('b-to-a'));
 * // the other process: queueChannel(openQueue('b-to-a'), openQueue('a-to-b'))
 * ```
 */
export function queueChannel<Out, In = Out>(outbound: Queue<Out>, inbound: Queue<In>): Channel<Out, In> {
  return new QueueChannel(outbound, inbound);
}

class QueueChannel<Out, In> implements Channel<Out, In> {
  readonly #tx: QueueSender<Out>;
  readonly #rx: QueueReceiver<In>;
  #closing: Promise<void> | undefined;

  constructor(
    private readonly outbound: Queue<Out>,
    private readonly inbound: Queue<In>,
  ) {
    this.#tx = outbound.sender();
    this.#rx = inbound.receiver();
  }

  send(message: Out, options?: SendOptions): Promise<void> {
    return this.#tx.send(message, options);
  }

  recv(options?: RecvOptions): Promise<In> {
    return this.#rx.recv(options);
  }

  [Symbol.asyncIterator](): AsyncIterator<In> {
    return this.#rx[Symbol.asyncIterator]();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([this.#tx.close(), this.#rx.close()]);
      await Promise.allSettled([this.outbound.close(), this.inbound.close()]);
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
