import type { Channel, RecvOptions, SendOptions } from '@ipc/core';
import type { AckableReceiver, Delivery } from './delivery.js';
import { SpoolReceiver, type SpoolReceiverOptions } from './spool-receiver.js';
import { SpoolSender, type SpoolSenderOptions } from './spool-sender.js';

/** Options of {@link spoolChannel}: the two folders, and the sender's and receiver's options (shared codec). */
export interface SpoolChannelOptions<Out = unknown, In = Out>
  extends Omit<SpoolSenderOptions<Out>, 'codec'>, Omit<SpoolReceiverOptions<In>, 'codec'> {
  /** The spool this side writes to (the other side's `recv`). */
  send: string;
  /** The spool this side reads from (the other side's `send`). */
  recv: string;
  /** The codec of both directions (default `msgpack`). */
  codec?: SpoolSenderOptions<Out>['codec'] | undefined;
}

/**
 * A two-way conversation over two spool folders: sends go to `send`, `recv` reads from `recv`.
 * `close()` drops an end marker (the sender's `end` option, on by default here) so that the other
 * side's iteration ends after the last message.
 *
 * @typeParam Out - messages this side sends
 * @typeParam In - messages this side receives
 */
export class SpoolChannel<Out = unknown, In = Out> implements Channel<Out, In>, AckableReceiver<In> {
  /** The sending half. */
  readonly sender: SpoolSender<Out>;
  /** The receiving half. */
  readonly receiver: SpoolReceiver<In>;
  private closing: Promise<void> | undefined;

  /** @param options - the folders and options */
  constructor(options: SpoolChannelOptions<Out, In>) {
    this.sender = new SpoolSender<Out>(options.send, { ...options, end: options.end ?? true });
    this.receiver = new SpoolReceiver<In>(options.recv, {
      ...options,
      codec: options.codec as SpoolReceiverOptions<In>['codec'],
    });
  }

  /** See {@link SpoolSender.send}. */
  send(message: Out, options?: SendOptions): Promise<void> {
    return this.sender.send(message, options);
  }

  /** See {@link SpoolReceiver.recv}. */
  recv(options?: RecvOptions): Promise<In> {
    return this.receiver.recv(options);
  }

  /** See {@link SpoolReceiver.recvDelivery}. */
  recvDelivery(options?: RecvOptions): Promise<Delivery<In>> {
    return this.receiver.recvDelivery(options);
  }

  /** See {@link SpoolReceiver.deliveries}. */
  deliveries(): AsyncIterable<Delivery<In>> {
    return this.receiver.deliveries();
  }

  /** Iterates received messages (auto-ack). */
  [Symbol.asyncIterator](): AsyncIterator<In> {
    return this.receiver[Symbol.asyncIterator]();
  }

  /** Closes both halves (the sender first: pending sends and the end marker are written). Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([this.sender.close(), this.receiver.close()]);
    })();
    return this.closing;
  }

  /** Same as {@link SpoolChannel.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Opens a two-way channel over two spool folders.
 *
 * @example
 * ```ts
 * const a = spoolChannel({ send: '/srv/a-to-b', recv: '/srv/b-to-a' });
 * const b = spoolChannel({ send: '/srv/b-to-a', recv: '/srv/a-to-b' });
 * await a.send('hi');
 * console.log(await b.recv()); // 'hi'
 * ```
 */
export function spoolChannel<Out = unknown, In = Out>(
  options: SpoolChannelOptions<Out, In>,
): SpoolChannel<Out, In> {
  return new SpoolChannel<Out, In>(options);
}
