/**
 * @ipc/mq — the two message systems the field trusts, behind the @ipc channel contract, each in
 * its own entry point so that a project installs only the library it uses:
 *
 * - `@ipc/mq/zmq` — ZeroMQ (brokerless, embedded); needs `npm install zeromq`.
 * - `@ipc/mq/amqp` — AMQP 0-9-1 (RabbitMQ: durable and routed); needs `npm install amqplib`.
 *
 * A ZeroMQ PUSH socket is a `Sender<T>`, a PULL socket a `Receiver<T>`, an AMQP queue gives both —
 * so calling code does not change when the transport does. This root entry loads neither library:
 * it only re-exports the contract those channels implement, and the error type they throw (a
 * missing library is an `IpcError` with code `ERR_UNSUPPORTED` that names the install command).
 *
 * @example
 * ```ts
 * import * as zmq from '@ipc/mq/zmq';
 * import type { Receiver } from '@ipc/mq';
 *
 * const rx: Receiver<{ n: number }> = await zmq.pull('ipc:///tmp/jobs.sock');
 * ```
 *
 * @packageDocumentation
 */
export { IpcError, isIpcError, type IpcErrorCode } from '@ipc/core';
export type { Channel, Codec, CodecOption, Receiver, RecvOptions, Sender, SendOptions } from '@ipc/core';
export type { OptionalPeer } from './optional-peer.js';
