/**
 * @ipc/mq — ZeroMQ (brokerless) and AMQP 0-9-1 (RabbitMQ) behind the @ipc channel contract. (work in progress).
 *
 * @packageDocumentation
 */
export {};
