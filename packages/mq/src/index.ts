/**
 * @ipc/mq — the two message systems the field trusts, behind the @ipc channel contract:
 * ZeroMQ (`zmq`: brokerless, embedded, the default) and AMQP 0-9-1 (`amqp`: RabbitMQ, durable and
 * routed). A ZeroMQ PUSH socket is a `Sender<T>`, a PULL socket a `Receiver<T>`, an AMQP queue gives
 * both — so calling code does not change when the transport does.
 *
 * @example
 * ```ts
 * import { zmq } from '@ipc/mq';
 *
 * const rx = await zmq.pull<{ n: number }>('ipc:///tmp/jobs.sock');
 * const tx = await zmq.push<{ n: number }>('ipc:///tmp/jobs.sock');
 * await tx.send({ n: 1 });
 * console.log(await rx.recv()); // { n: 1 }
 * await tx.close();
 * await rx.close();
 * ```
 *
 * @packageDocumentation
 */
export * as zmq from './zmq/index.js';
export * as amqp from './amqp/index.js';
