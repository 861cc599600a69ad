/**
 * ZeroMQ (zeromq.js v6) behind the @ipc channel contract: PUSH/PULL, PUB/SUB, PAIR, REQ/REP and
 * DEALER/ROUTER over `ipc://`, `tcp://` and `inproc://`.
 *
 * `zeromq` is an optional peer dependency of @ipc/mq: install it next to @ipc/mq
 * (`npm install @ipc/mq zeromq`). Without it, importing this entry still works, and the first
 * socket factory called rejects with an `IpcError` `ERR_UNSUPPORTED` that names `npm install zeromq`.
 *
 * @example
 * ```ts
 * import * as zmq from '@ipc/mq/zmq';
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
export {
  dealer,
  pair,
  publisher,
  pull,
  push,
  reply,
  request,
  router,
  subscriber,
  type PairOptions,
  type PipelineOptions,
  type PublisherOptions,
  type RequestOptions,
  type Routed,
  type SubscriberOptions,
} from './zmq-factories.js';
export type { Endpoints } from './zmq-endpoint.js';
export { ZMQ_DEFAULTS, type ZmqOptions } from './zmq-options.js';
export { ZmqPublisher, type TopicMessage } from './zmq-publisher.js';
export { ZmqReplier } from './zmq-reply.js';
export { ZmqRequester, type ReplyHandler } from './zmq-request.js';
export type { ZmqSendOptions } from './zmq-send-queue.js';
export { ZmqChannel, ZmqReceiver, ZmqSender } from './zmq-socket-classes.js';
export { ZmqSubscriber } from './zmq-subscriber.js';
