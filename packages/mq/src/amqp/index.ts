/**
 * AMQP 0-9-1 (RabbitMQ, with amqplib) behind the @ipc channel contract: queues with confirmed
 * publishing and acknowledged consuming, direct/topic/fanout exchanges, request/reply over direct
 * reply-to, and a connection that reconnects and re-declares its topology by itself.
 *
 * `amqplib` is an optional peer dependency of @ipc/mq: install it next to @ipc/mq
 * (`npm install @ipc/mq amqplib`). Without it, {@link connect} rejects with an `IpcError`
 * `ERR_UNSUPPORTED` that names `npm install amqplib`.
 *
 * @example
 * ```ts
 * import * as amqp from '@ipc/mq/amqp';
 *
 * const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
 * const jobs = await conn.queue<{ n: number }>('jobs');
 * await jobs.sender().send({ n: 1 }); // resolves on the broker's confirm
 * await conn.close();
 * ```
 *
 * @packageDocumentation
 */
export {
  AmqpConnection,
  connect,
  type AmqpConnectOptions,
  type ReconnectOptions,
} from './amqp-connection.js';
export { AmqpDelivery, Delivery, type NackOptions } from './amqp-delivery.js';
export {
  AmqpExchange,
  type ExchangeOptions,
  type ExchangeType,
  type SubscribeOptions,
} from './amqp-exchange.js';
export type { PublishCallOptions, WhileDisconnected } from './amqp-publisher.js';
export type { QueueOptions } from './amqp-declare.js';
export { AmqpQueue } from './amqp-queue.js';
export { AmqpReceiver, type AmqpReceiverOptions } from './amqp-receiver.js';
export { AmqpReplier, type AmqpReplyOptions, type AmqpRequestOptions } from './amqp-rpc.js';
export { AmqpSender, type AmqpSenderOptions } from './amqp-sender.js';
export type { AmqpStatus } from './amqp-status.js';
export { StatusFeed } from './amqp-status.js';
