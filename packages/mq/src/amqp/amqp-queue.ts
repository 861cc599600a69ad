import type { CodecOption } from '@ipc/core';
import { IpcError, resolveCodec } from '@ipc/core';
import type { Channel, ChannelModel } from 'amqplib';
import type { Attachment } from './amqp-attachment.js';
import { declareOptions, withChannel, type QueueOptions } from './amqp-declare.js';
import type { Delivery } from './amqp-delivery.js';
import { fromAmqpError } from './amqp-error.js';
import { AmqpReceiver, type AmqpReceiverOptions } from './amqp-receiver.js';
import { AmqpSender, type AmqpSenderOptions } from './amqp-sender.js';
import type { AmqpSession } from './amqp-session.js';

/**
 * A declared queue (declared again after each reconnect): make senders and receivers from it.
 *
 * @typeParam T - the messages on it
 */
export class AmqpQueue<T> implements Attachment {
  /** @internal */
  constructor(
    private readonly conn: AmqpSession,
    /** The queue name. */
    readonly name: string,
    private readonly options: QueueOptions<T>,
  ) {
    if (typeof name !== 'string' || name.length === 0 || name.length > 255) {
      throw new IpcError('ERR_INVALID_ARGUMENT', 'a queue name is 1 to 255 characters');
    }
  }

  /** A sender to this queue (default exchange, routing key = queue name); `send` resolves on the broker's confirm. */
  sender(options: AmqpSenderOptions = {}): AmqpSender<T> {
    const codec = resolveCodec((this.options.codec ?? this.conn.codec) as CodecOption<T> | undefined);
    return new AmqpSender<T>(this.conn, '', this.name, codec, options);
  }

  /** A consumer of this queue with automatic acknowledgement (see {@link AmqpReceiverOptions.ack}). */
  receiver(options?: AmqpReceiverOptions<T> & { ack?: 'auto' }): Promise<AmqpReceiver<T>>;
  /** A consumer of this queue whose messages you acknowledge yourself. */
  receiver(options: AmqpReceiverOptions<T> & { ack: 'manual' }): Promise<AmqpReceiver<Delivery<T>>>;
  async receiver(options: AmqpReceiverOptions<T> = {}): Promise<AmqpReceiver<any>> {
    const receiver = new AmqpReceiver<unknown>(this.conn, async () => this.name, this.options.codec, {
      validate: this.options.validate,
      ...options,
    });
    await this.conn.register(receiver);
    return receiver;
  }

  /** Messages ready in the queue now (not counting unacknowledged ones). */
  async size(): Promise<number> {
    return this.admin((ch) => ch.checkQueue(this.name)).then((r) => r.messageCount);
  }

  /** Removes every ready message; resolves with how many. */
  async purge(): Promise<number> {
    return this.admin((ch) => ch.purgeQueue(this.name)).then((r) => r.messageCount);
  }

  /** Deletes the queue (and stops re-declaring it). */
  async delete(): Promise<void> {
    this.conn.unregister(this);
    await this.admin((ch) => ch.deleteQueue(this.name));
  }

  /** @internal */
  async attach(model: ChannelModel): Promise<void> {
    await withChannel(model, (ch) => ch.assertQueue(this.name, declareOptions(this.options)));
  }

  /** @internal */
  detach(): void {}

  private async admin<R>(body: (channel: Channel) => Promise<R>): Promise<R> {
    try {
      return await this.conn.withChannel(body);
    } catch (err) {
      throw fromAmqpError(err, `queue ${this.name}`);
    }
  }
}
