/**
 * ZeroMQ (zeromq.js v6) behind the @ipc channel contract: PUSH/PULL, PUB/SUB, PAIR, REQ/REP and
 * DEALER/ROUTER over `ipc://`, `tcp://` and `inproc://`.
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
export { SEND_SLICE_MS, ZMQ_DEFAULTS, type ZmqOptions } from './zmq-options.js';
export { ZmqPublisher, type TopicMessage } from './zmq-publisher.js';
export { ZmqReplier } from './zmq-reply.js';
export { ZmqRequester, type ReplyHandler } from './zmq-request.js';
export type { ZmqSendOptions } from './zmq-send-queue.js';
export { ZmqChannel, ZmqReceiver, ZmqSender } from './zmq-socket-classes.js';
export { ZmqSubscriber } from './zmq-subscriber.js';
