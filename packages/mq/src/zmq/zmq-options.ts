import type { CodecOption, MessageValidator } from '@ipc/core';
import { IpcError } from '@ipc/core';
import type * as zmq from 'zeromq';

/**
 * Options every ZeroMQ factory takes. Times are in milliseconds. Each knob names the `zmq_setsockopt`
 * constant it sets.
 *
 * @see http://api.zeromq.org/master:zmq-setsockopt
 */
export interface ZmqOptions<T = unknown> {
  /** The codec (a built-in name or a {@link Codec}); default `msgpack`. */
  codec?: CodecOption<T> | undefined;
  /** Validates each received message (function or Standard Schema); a failure gives `ERR_INVALID_MESSAGE`. */
  validate?: MessageValidator<T> | undefined;
  /**
   * Whether this side binds (listens on) the endpoint or connects to it. The default depends on the
   * pattern: the "server-like" side binds (`pull`, `publisher`, `reply`, `router`), the other connects
   * (`push`, `subscriber`, `request`, `dealer`); `pair` connects unless told.
   */
  mode?: 'bind' | 'connect' | undefined;
  /**
   * `ZMQ_LINGER`: how long messages accepted by `send` may still be delivered after `close()`
   * (`close()` also waits this long at most for sends still queued behind the high-water mark).
   * `-1` waits without limit. Default 2000.
   */
  linger?: number | undefined;
  /** `ZMQ_SNDHWM`: messages queued per peer before `send` waits (backpressure). Default 1000; 0 = no limit. */
  sendHighWaterMark?: number | undefined;
  /** `ZMQ_RCVHWM`: messages queued per peer on the receiving side. Default 1000; 0 = no limit. */
  receiveHighWaterMark?: number | undefined;
  /** Messages received but not yet read (by `recv`) before reading from the socket pauses. Default 1024. */
  highWaterMessages?: number | undefined;
  /** Bytes received but not yet read before reading from the socket pauses. Default 16 MiB. */
  highWaterBytes?: number | undefined;
  /** `ZMQ_RECONNECT_IVL`: first delay before reconnecting a lost connection. Default 100. */
  reconnectInterval?: number | undefined;
  /** `ZMQ_RECONNECT_IVL_MAX`: the reconnect delay doubles up to this. Default 5000 (0 = never grows). */
  reconnectMaxInterval?: number | undefined;
  /** `ZMQ_HEARTBEAT_IVL`: send a ZMTP ping this often (0 = off). Default 0 for `ipc://`/`inproc://`, 10000 for `tcp://`. */
  heartbeatInterval?: number | undefined;
  /** `ZMQ_HEARTBEAT_TIMEOUT`: drop a connection whose peer has not answered a ping for this long. Default 3 × the interval. */
  heartbeatTimeout?: number | undefined;
  /** `ZMQ_MAXMSGSIZE`: refuse (disconnect) a peer sending a bigger message, in bytes. Default -1 (no limit). */
  maxMessageSize?: number | undefined;
  /** Extra zeromq.js socket options set as they are (escape hatch), e.g. `{ immediate: true }`. */
  socket?: Record<string, unknown> | undefined;
}

/** Defaults of {@link ZmqOptions}. */
export const ZMQ_DEFAULTS = {
  linger: 2000,
  sendHighWaterMark: 1000,
  receiveHighWaterMark: 1000,
  reconnectInterval: 100,
  reconnectMaxInterval: 5000,
  tcpHeartbeatInterval: 10_000,
} as const;

/**
 * How often a send that waits for room wakes up to look at its signal and timeout (ms). zeromq.js
 * cannot cancel a pending send, so a waiting send is made of slices of this length (`ZMQ_SNDTIMEO`).
 */
export const SEND_SLICE_MS = 100;

/**
 * How long a pending receive waits before it looks at the socket again (ms, `ZMQ_RCVTIMEO`). ZeroMQ
 * signals a socket's readiness on one edge-triggered descriptor for reading and writing alike, and
 * zeromq.js 6.8 can consume that edge while a send waits for room (it reads `ZMQ_EVENTS` for the
 * send and wakes no pending receive): the message that arrived then is never read, and two peers each
 * waiting for the other to read hang for good. A receive made of slices looks again at the end of
 * each one, so such a lost wake-up costs at most one slice, never a hang.
 */
export const RECEIVE_SLICE_MS = 100;

function checkMs(name: string, value: unknown, min = -1): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= min)) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`,
    );
  }
}

/** The zeromq.js socket options for `options` on `endpoints` (validates them first). */
export function socketOptions(
  options: ZmqOptions<any>,
  endpoints: readonly string[],
): Record<string, unknown> {
  checkMs('linger', options.linger);
  checkMs('sendHighWaterMark', options.sendHighWaterMark, 0);
  checkMs('receiveHighWaterMark', options.receiveHighWaterMark, 0);
  checkMs('reconnectInterval', options.reconnectInterval, 0);
  checkMs('reconnectMaxInterval', options.reconnectMaxInterval, 0);
  checkMs('heartbeatInterval', options.heartbeatInterval, 0);
  checkMs('heartbeatTimeout', options.heartbeatTimeout, 0);
  checkMs('maxMessageSize', options.maxMessageSize);
  const tcp = endpoints.some((e) => e.startsWith('tcp://'));
  const heartbeat = options.heartbeatInterval ?? (tcp ? ZMQ_DEFAULTS.tcpHeartbeatInterval : 0);
  const result: Record<string, unknown> = {
    linger: options.linger ?? ZMQ_DEFAULTS.linger,
    reconnectInterval: options.reconnectInterval ?? ZMQ_DEFAULTS.reconnectInterval,
    reconnectMaxInterval: options.reconnectMaxInterval ?? ZMQ_DEFAULTS.reconnectMaxInterval,
    heartbeatInterval: heartbeat,
    ...(heartbeat > 0 ? { heartbeatTimeout: options.heartbeatTimeout ?? heartbeat * 3 } : {}),
    ...(options.maxMessageSize !== undefined ? { maxMessageSize: options.maxMessageSize } : {}),
  };
  return { ...result, ...options.socket };
}

/** Applies the high-water marks to a socket that has them. */
export function applyHighWaterMarks(socket: zmq.Socket, options: ZmqOptions<any>): void {
  const s = socket as Partial<zmq.Writable & zmq.Readable>;
  if ('sendHighWaterMark' in s) {
    s.sendHighWaterMark = options.sendHighWaterMark ?? ZMQ_DEFAULTS.sendHighWaterMark;
  }
  if ('receiveHighWaterMark' in s) {
    s.receiveHighWaterMark = options.receiveHighWaterMark ?? ZMQ_DEFAULTS.receiveHighWaterMark;
  }
}
