import { IpcError, resolveCodec, type CodecOption } from '@ipc/core';
import { asBuffer } from '@ipc/core';
import type { ChannelModel } from 'amqplib';
import type { Attachment } from './amqp-attachment.js';
import type { Delivery } from './amqp-delivery.js';
import type { PublishCallOptions } from './amqp-publisher.js';
import { declareOptions, withChannel, type QueueOptions } from './amqp-declare.js';
import { AmqpReceiver, type AmqpReceiverOptions } from './amqp-receiver.js';
import { AmqpSender, type AmqpSenderOptions } from './amqp-sender.js';
import { contentType } from './amqp-wire.js';
import type { AmqpSession } from './amqp-session.js';

/** The exchange types. */
export type ExchangeType = 'direct' | 'topic' | 'fanout' | 'headers';

/** Options of an exchange declaration. */
export interface ExchangeOptions<T = unknown> {
  /** Survives a broker restart. Default `true`. */
  durable?: boolean | undefined;
  /** Deleted when its last binding goes. Default `false`. */
  autoDelete?: boolean | undefined;
  /** The codec of its messages (default: the connection's). */
  codec?: CodecOption<T> | undefined;
}

/** Options of {@link AmqpExchange.subscribe}. */
export interface SubscribeOptions<T = unknown> extends AmqpReceiverOptions<T> {
  /**
   * The queue to bind. Default: a server-named, exclusive queue that lives as long as the
   * connection (messages published while disconnected are not kept). Give a name (and
   * `queueOptions`) for a durable subscription.
   */
  queue?: string | undefined;
  /** Declaration options of a named `queue` (default durable). */
  queueOptions?: QueueOptions<T> | undefined;
}

/**
 * A declared exchange: publish with routing keys, subscribe with binding patterns (`topic`: `*`
 * one word, `#` any words; `fanout`: the pattern is ignored).
 *
 * @typeParam T - the messages published on it
 */
export class AmqpExchange<T> implements Attachment {
  /** @internal */
  constructor(
    private readonly conn: AmqpSession,
    /** The exchange name. */
    readonly name: string,
    /** The exchange type. */
    readonly type: ExchangeType,
    private readonly options: ExchangeOptions<T>,
  ) {
    if (!['direct', 'topic', 'fanout', 'headers'].includes(type)) {
      throw new IpcError('ERR_INVALID_ARGUMENT', `unknown exchange type "${String(type)}"`);
    }
  }

  /** Publishes `message` with `routingKey` (persistent); resolves on the broker's confirm. */
  publish(routingKey: string, message: T, options?: PublishCallOptions): Promise<void> {
    let content: Buffer;
    const codec = resolveCodec((this.options.codec ?? this.conn.codec) as CodecOption<T> | undefined);
    try {
      content = asBuffer(codec.encode(message));
    } catch (err) {
      return Promise.reject(err);
    }
    return this.conn.publisher.publish(
      this.name,
      routingKey,
      content,
      { persistent: true, contentType: contentType(codec) },
      options,
    );
  }

  /** A {@link Sender} publishing with one routing key. */
  sender(routingKey: string, options: AmqpSenderOptions = {}): AmqpSender<T> {
    const codec = resolveCodec((this.options.codec ?? this.conn.codec) as CodecOption<T> | undefined);
    return new AmqpSender<T>(this.conn, this.name, routingKey, codec, options);
  }

  /** Subscribes with binding patterns; messages are acknowledged automatically. */
  subscribe(
    patterns: string | readonly string[],
    options?: SubscribeOptions<T> & { ack?: 'auto' },
  ): Promise<AmqpReceiver<T>>;
  /** Subscribes with binding patterns; you acknowledge each {@link Delivery}. */
  subscribe(
    patterns: string | readonly string[],
    options: SubscribeOptions<T> & { ack: 'manual' },
  ): Promise<AmqpReceiver<Delivery<T>>>;
  async subscribe(
    patterns: string | readonly string[],
    options: SubscribeOptions<T> = {},
  ): Promise<AmqpReceiver<any>> {
    const list = typeof patterns === 'string' ? [patterns] : [...patterns];
    const receiver = new AmqpReceiver<unknown>(
      this.conn,
      async (channel) => {
        const declared =
          options.queue === undefined
            ? await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false })
            : await channel.assertQueue(options.queue, declareOptions(options.queueOptions ?? {}));
        for (const pattern of list) await channel.bindQueue(declared.queue, this.name, pattern);
        return declared.queue;
      },
      this.options.codec ?? this.conn.codec,
      options,
    );
    await this.conn.register(receiver);
    return receiver;
  }

  /** Deletes the exchange (and stops re-declaring it). */
  async delete(): Promise<void> {
    this.conn.unregister(this);
    await this.conn.withChannel((ch) => ch.deleteExchange(this.name));
  }

  /** @internal */
  async attach(model: ChannelModel): Promise<void> {
    await withChannel(model, (ch) =>
      ch.assertExchange(this.name, this.type, {
        durable: this.options.durable ?? true,
        autoDelete: this.options.autoDelete ?? false,
      }),
    );
  }

  /** @internal */
  detach(): void {}
}
