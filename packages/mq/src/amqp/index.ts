/**
 * AMQP 0-9-1 (RabbitMQ, with amqplib) behind the @ipc channel contract: queues with confirmed
 * publishing and acknowledged consuming, direct/topic/fanout exchanges, request/reply over direct
 * reply-to, and a connection that reconnects and re-declares its topology by itself.
 *
 * @packageDocumentation
 */
export { AmqpConnection, connect, type AmqpConnectOptions } from './amqp-connection.js';
export { Delivery, type NackOptions } from './amqp-delivery.js';
export {
  AmqpExchange,
  type ExchangeOptions,
  type ExchangeType,
  type SubscribeOptions,
} from './amqp-exchange.js';
export type { PublishCallOptions, WhileDisconnected } from './amqp-publisher.js';
export { AmqpQueue, type QueueOptions } from './amqp-queue.js';
export { AmqpReceiver, type AmqpReceiverOptions } from './amqp-receiver.js';
export { AmqpReplier, type AmqpReplyOptions, type AmqpRequestOptions } from './amqp-rpc.js';
export { AmqpSender, END_HEADER, type AmqpSenderOptions } from './amqp-sender.js';
export type { AmqpStatus } from './amqp-status.js';
export { StatusFeed } from './amqp-status.js';
export { backoffDelay, type ReconnectOptions } from './backoff.js';
