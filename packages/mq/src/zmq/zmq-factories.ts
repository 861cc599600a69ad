import type * as zmq from 'zeromq';
import { endAckBinding, type EndAckBinding } from './zmq-end-ack.js';
import { endpointList, type Endpoints } from './zmq-endpoint.js';
import { fromZmqError } from './zmq-error.js';
import { loadZeromq, type ZeromqLibrary } from './zmq-library.js';
import { ZmqLink, type FrameLayout } from './zmq-link.js';
import { socketOptions, type ZmqOptions } from './zmq-options.js';
import { ZmqPublisher, type TopicMessage } from './zmq-publisher.js';
import { ZmqReplier } from './zmq-reply.js';
import { ZmqRequester, type ReplyHandler } from './zmq-request.js';
import { ZmqChannel, ZmqReceiver, ZmqSender } from './zmq-socket-classes.js';
import { ZmqSubscriber } from './zmq-subscriber.js';

/** Options of {@link push} and {@link pull}: end-of-stream markers on top of {@link ZmqOptions}. */
export interface PipelineOptions<T = unknown> extends ZmqOptions<T> {
  /**
   * PUSH: on `close()`, send an end-of-stream marker after the last message (default `false`: a
   * PUSH/PULL pipeline has no end in ZeroMQ). With several pullers only one of them gets it.
   *
   * `close()` then resolves only once the puller confirmed (over a side channel, see `ackEndpoint`)
   * that it has read the marker and so everything sent before it; without that confirmation within
   * `linger` it rejects with `ERR_TIMEOUT`, naming how many messages may not have been read.
   */
  endOnClose?: boolean | undefined;
  /**
   * PUSH with `endOnClose`: where to listen for the puller's confirmation, e.g. `'tcp://10.0.0.5:*'`.
   * Default: a private `ipc://` path for `ipc://`, a random `inproc://` name for `inproc://`, a
   * loopback port for `tcp://` to a loopback host; required for other endpoints.
   */
  ackEndpoint?: string | undefined;
  /**
   * PULL: end the iteration (`recv` → `ERR_CLOSED`) after this many end-of-stream markers — one per
   * pusher with `endOnClose` (default 0: never end; markers are dropped).
   */
  endAfter?: number | undefined;
}

/** Options of {@link pair}. */
export interface PairOptions<T = unknown> extends ZmqOptions<T> {
  /**
   * Fail the channel with `ERR_PEER_GONE` when the peer's connection drops without a clean close
   * (default `true`). Set `false` to let ZeroMQ reconnect over `tcp://` instead. (`inproc://` never
   * reports a drop.)
   */
  failOnDisconnect?: boolean | undefined;
}

/** Options of {@link publisher}. */
export interface PublisherOptions<T = unknown> extends ZmqOptions<T> {
  /** `ZMQ_XPUB_NODROP`: make `send` wait at a subscriber's high-water mark instead of dropping (default `false`). */
  noDrop?: boolean | undefined;
}

/** Options of {@link subscriber}. */
export interface SubscriberOptions<T = unknown> extends ZmqOptions<T> {
  /** Topic prefixes to subscribe to (default `['']`: everything). */
  topics?: readonly string[] | undefined;
}

/** Options of {@link request}. */
export interface RequestOptions<T = unknown> extends ZmqOptions<T> {
  /** Default `timeout` of each request in ms (default: none — pass one, a dead replier never answers). */
  timeout?: number | undefined;
}

/** A message to or from one peer of a ROUTER socket. */
export interface Routed<T> {
  /** The peer's routing id (as received; send it back to reply to that peer). */
  peer: Uint8Array;
  /** The message. */
  message: T;
}

interface Spec {
  writable: boolean;
  readable: boolean;
  layout?: FrameLayout;
  endOnClose?: boolean | undefined;
  endAfter?: number | undefined;
  exclusivePeer?: boolean;
  failOnDisconnect?: boolean | undefined;
  endAck?: EndAckBinding | undefined;
  confirmEnds?: boolean | undefined;
  lockstep?: boolean;
}

/**
 * Makes the socket with its options given to the zeromq.js constructor: they are checked before a
 * socket exists (nothing to close when one is wrong), and set the way zeromq.js sets its own.
 */
async function open<Out, In>(
  make: (socketOptions: Record<string, unknown>, lib: ZeromqLibrary) => zmq.Socket,
  endpoints: Endpoints,
  defaultMode: 'bind' | 'connect',
  options: ZmqOptions<any>,
  spec: Spec,
): Promise<ZmqLink<Out, In>> {
  const lib = await loadZeromq();
  const list = endpointList(endpoints);
  const settings = socketOptions(options, list);
  let socket: zmq.Socket;
  try {
    socket = make(settings, lib);
  } catch (err) {
    throw fromZmqError(err, 'socket options', 'ERR_INVALID_ARGUMENT');
  }
  return ZmqLink.open<Out, In>({
    socket,
    endpoints: list,
    mode: options.mode ?? defaultMode,
    options,
    writable: spec.writable,
    readable: spec.readable,
    layout: spec.layout ?? 'plain',
    endOnClose: spec.endOnClose ?? false,
    endAfter: spec.endAfter ?? 0,
    exclusivePeer: spec.exclusivePeer ?? false,
    failOnDisconnect: spec.failOnDisconnect ?? false,
    endAck: spec.endAck,
    confirmEnds: spec.confirmEnds ?? false,
    lockstep: spec.lockstep ?? false,
  });
}

/**
 * A PUSH socket: the producing end of a pipeline; messages go round-robin to the connected pullers.
 * Connects by default.
 *
 * @example
 * ```ts
 * const tx = await zmq.push<Job>('ipc:///run/app/jobs');
 * await tx.send({ id: 1 });
 * ```
 */
export async function push<T = unknown>(
  endpoints: Endpoints,
  options: PipelineOptions<T> = {},
): Promise<ZmqSender<T>> {
  const endAck =
    options.endOnClose === true ? endAckBinding(endpointList(endpoints), options.ackEndpoint) : undefined;
  const link = await open<T, never>((o, lib) => new lib.Push(o), endpoints, 'connect', options, {
    writable: true,
    readable: false,
    endOnClose: options.endOnClose,
    endAck,
  });
  return new ZmqSender(link);
}

/** A PULL socket: the consuming end of a pipeline, fair-queued from every pusher. Binds by default. */
export async function pull<T = unknown>(
  endpoints: Endpoints,
  options: PipelineOptions<T> = {},
): Promise<ZmqReceiver<T>> {
  const link = await open<never, T>((o, lib) => new lib.Pull(o), endpoints, 'bind', options, {
    writable: false,
    readable: true,
    endAfter: options.endAfter,
    confirmEnds: true,
  });
  return new ZmqReceiver(link);
}

/**
 * A PAIR socket: an exclusive two-way channel with one peer. `close()` tells the peer (its iteration
 * ends, its sends fail with `ERR_PEER_GONE`); a peer that vanishes fails the channel with
 * `ERR_PEER_GONE` (see `failOnDisconnect`). Connects by default; give one side `mode: 'bind'`.
 */
export async function pair<Out = unknown, In = Out>(
  endpoints: Endpoints,
  options: PairOptions<In> = {},
): Promise<ZmqChannel<Out, In>> {
  const link = await open<Out, In>((o, lib) => new lib.Pair(o), endpoints, 'connect', options, {
    writable: true,
    readable: true,
    endOnClose: true,
    endAfter: 1,
    exclusivePeer: true,
    failOnDisconnect: options.failOnDisconnect ?? true,
  });
  return new ZmqChannel(link);
}

/** A publisher (XPUB) of topic messages. Binds by default. */
export async function publisher<T = unknown>(
  endpoints: Endpoints,
  options: PublisherOptions<T> = {},
): Promise<ZmqPublisher<T>> {
  const make = (o: Record<string, unknown>, lib: ZeromqLibrary): zmq.Socket => {
    const socket = new lib.XPublisher(o);
    socket.verbosity = 'allSubsUnsubs';
    if (options.noDrop === true) socket.noDrop = true;
    return socket;
  };
  const link = await open<TopicMessage<T>, never>(make, endpoints, 'bind', options, {
    writable: true,
    readable: false,
    layout: 'topic',
  });
  return new ZmqPublisher(link);
}

/** A subscriber (SUB) to topic prefixes. Connects by default. */
export async function subscriber<T = unknown>(
  endpoints: Endpoints,
  options: SubscriberOptions<T> = {},
): Promise<ZmqSubscriber<T>> {
  const make = (o: Record<string, unknown>, lib: ZeromqLibrary): zmq.Socket => {
    const socket = new lib.Subscriber(o);
    socket.subscribe(...(options.topics ?? ['']));
    return socket;
  };
  const link = await open<never, TopicMessage<T>>(make, endpoints, 'connect', options, {
    writable: false,
    readable: true,
    layout: 'topic',
  });
  return new ZmqSubscriber(link);
}

/** The requesting side of request/reply (REQ). Connects by default. */
export async function request<Req = unknown, Res = unknown>(
  endpoints: Endpoints,
  options: RequestOptions<Res> = {},
): Promise<ZmqRequester<Req, Res>> {
  const { timeout, ...rest } = options;
  const make = (o: Record<string, unknown>, lib: ZeromqLibrary): zmq.Socket =>
    new lib.Request({ ...o, correlate: true, relaxed: true });
  const link = await open<Req, Res>(make, endpoints, 'connect', rest, {
    writable: true,
    readable: true,
    lockstep: true,
  });
  return new ZmqRequester(link, timeout);
}

/** The replying side of request/reply (REP): `handler` answers each request. Binds by default. */
export async function reply<Req = unknown, Res = unknown>(
  endpoints: Endpoints,
  handler: ReplyHandler<Req, Res>,
  options: ZmqOptions<Req> = {},
): Promise<ZmqReplier<Req, Res>> {
  const link = await open<Res, Req>((o, lib) => new lib.Reply(o), endpoints, 'bind', options, {
    writable: true,
    readable: true,
    lockstep: true,
  });
  return new ZmqReplier(link, handler);
}

/** A DEALER socket: an asynchronous two-way channel, round-robin to its peers (talks to a ROUTER). Connects by default. */
export async function dealer<Out = unknown, In = Out>(
  endpoints: Endpoints,
  options: ZmqOptions<In> = {},
): Promise<ZmqChannel<Out, In>> {
  const link = await open<Out, In>((o, lib) => new lib.Dealer(o), endpoints, 'connect', options, {
    writable: true,
    readable: true,
  });
  return new ZmqChannel(link);
}

/**
 * A ROUTER socket: receives `{ peer, message }` from many DEALERs and answers one by sending
 * `{ peer, message }`. Binds by default. Messages to an unknown peer are dropped (ZeroMQ's rule).
 */
export async function router<Out = unknown, In = Out>(
  endpoints: Endpoints,
  options: ZmqOptions<In> = {},
): Promise<ZmqChannel<Routed<Out>, Routed<In>>> {
  const link = await open<Routed<Out>, Routed<In>>(
    (o, lib) => new lib.Router(o),
    endpoints,
    'bind',
    options,
    {
      writable: true,
      readable: true,
      layout: 'routed',
    },
  );
  return new ZmqChannel(link);
}
