import type { CodecOption, MessageValidator } from '@ipc/core';
import type { Channel, ChannelModel, Options } from 'amqplib';

/** Options of a queue declaration (`queue.declare`). */
export interface QueueOptions<T = unknown> {
  /** Survives a broker restart (with persistent messages). Default `true`. */
  durable?: boolean | undefined;
  /** Only this connection may use it; deleted when it closes. Default `false`. */
  exclusive?: boolean | undefined;
  /** Deleted when its last consumer goes. Default `false`. */
  autoDelete?: boolean | undefined;
  /** `x-dead-letter-exchange`: where rejected (`nack({ requeue: false })`), expired or overflowing messages go. */
  deadLetterExchange?: string | undefined;
  /** `x-dead-letter-routing-key`: their routing key there (default: their own). */
  deadLetterRoutingKey?: string | undefined;
  /** `x-message-ttl` in ms. */
  messageTtl?: number | undefined;
  /** `x-max-length`: messages kept at most (the oldest are dropped or dead-lettered). */
  maxLength?: number | undefined;
  /** Other `x-` arguments, as they are (e.g. `{ 'x-queue-type': 'quorum' }`). */
  arguments?: Record<string, unknown> | undefined;
  /** The codec of its senders and receivers (default: the connection's). */
  codec?: CodecOption<T> | undefined;
  /** Validates received messages (see `AmqpReceiverOptions.validate`). */
  validate?: MessageValidator<T> | undefined;
}

/** The amqplib `assertQueue` options for `options`. */
export function declareOptions(options: QueueOptions<any>): Options.AssertQueue {
  return {
    durable: options.durable ?? true,
    exclusive: options.exclusive ?? false,
    autoDelete: options.autoDelete ?? false,
    ...(options.deadLetterExchange !== undefined ? { deadLetterExchange: options.deadLetterExchange } : {}),
    ...(options.deadLetterRoutingKey !== undefined
      ? { deadLetterRoutingKey: options.deadLetterRoutingKey }
      : {}),
    ...(options.messageTtl !== undefined ? { messageTtl: options.messageTtl } : {}),
    ...(options.maxLength !== undefined ? { maxLength: options.maxLength } : {}),
    ...(options.arguments !== undefined ? { arguments: options.arguments } : {}),
  };
}

/** Runs `body` on a short-lived channel (declarations), mapping errors. */
export async function withChannel<R>(
  model: ChannelModel,
  body: (channel: Channel) => Promise<R>,
): Promise<R> {
  const channel = await model.createChannel();
  channel.on('error', () => undefined); // reported through the rejected call below
  try {
    return await body(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}
