import type { RecvOptions } from './channel.js';
import { checkMs } from './abort.js';

/** Options of {@link Delivery.nack}. */
export interface NackOptions {
  /**
   * `true` (the default): the message goes back to the queue for another delivery (to any
   * consumer), with `attempt` one higher. `false`: the message is removed without being handled —
   * dead-lettered where the transport has a dead-letter place (SQLite's `dead` rows, an AMQP
   * queue's dead-letter exchange), dropped otherwise.
   */
  requeue?: boolean | undefined;
  /**
   * With `requeue`: the message becomes visible again only after this many ms (default 0: at
   * once). A transport that cannot delay (AMQP 0-9-1 without plugins) rejects a delay above 0
   * with `ERR_UNSUPPORTED` and leaves the delivery unsettled. A negative or non-finite delay
   * rejects with `ERR_INVALID_ARGUMENT`, also leaving it unsettled.
   */
  delay?: number | undefined;
}

/**
 * One message of an acknowledged (at-least-once) queue. Until it is settled by exactly one
 * `ack()` or `nack()`, the message stays claimed: no other consumer receives it. If this consumer
 * dies, or its receiver closes, before settling, the message is given back and delivered again
 * (to any consumer) — at once or after the transport's visibility timeout, see each transport's
 * README.
 *
 * Implemented by `@ipc/queue` (`queue.recvDelivery()`), `@ipc/file` (spool and SQLite receivers)
 * and `@ipc/mq` (AMQP receiver). Each may add extras (headers, a routing key…).
 *
 * @typeParam T - the type of the message
 */
export interface Delivery<T> {
  /** The decoded message. */
  readonly message: T;
  /**
   * How many times this message has been delivered, this one included: 1 on the first delivery,
   * 2 after one `nack` or one dead consumer, and so on. A transport that does not count
   * deliveries (see its README) says 1 on a first delivery and at least 2 on a redelivery it can
   * tell, or 1 when it cannot tell.
   */
  readonly attempt: number;
  /**
   * Settles the message as handled: the queue removes it for good, and no consumer receives it
   * again (except, on transports whose acks are not confirmed, when the transport's connection
   * drops before the ack reached it). Resolves once the transport accepted the ack.
   *
   * Rejects with `ERR_INVALID_STATE` when this delivery was already settled (ack or nack), with
   * `ERR_CLOSED` when its receiver closed first (the message was given back), with `ERR_TIMEOUT`
   * when its visibility timeout passed and the message was handed out again, and with
   * `ERR_PEER_GONE` when the broker connection it came on dropped (the broker gave it back) — in
   * these three cases the ack removed nothing and the message will be (or was) delivered again.
   */
  ack(): Promise<void>;
  /**
   * Settles the message as not handled: gives it back for redelivery (after `delay` ms), or with
   * `{ requeue: false }` removes it without handling (dead-letter). Rejects with
   * `ERR_INVALID_STATE` when already settled, `ERR_CLOSED` when its receiver closed first,
   * `ERR_TIMEOUT` / `ERR_PEER_GONE` as {@link Delivery.ack} (the message is given back anyway),
   * `ERR_INVALID_ARGUMENT` for a bad delay and `ERR_UNSUPPORTED` for a delay the transport cannot
   * honour (these two leave the delivery unsettled).
   */
  nack(options?: NackOptions): Promise<void>;
}

/**
 * A receiver that hands out {@link Delivery}s to settle by hand (at-least-once).
 *
 * @typeParam T - the type of the messages
 */
export interface AckableReceiver<T> {
  /**
   * Waits for the next message and claims it. Rejects with `ERR_TIMEOUT` (`timeout` ms passed),
   * `ERR_ABORTED` (`signal` fired) — in both cases nothing was claimed — and `ERR_CLOSED` once
   * the receiver is closed or the stream of messages ended.
   */
  recvDelivery(options?: RecvOptions): Promise<Delivery<T>>;
  /**
   * Iterates deliveries (each to settle by hand) until the receiver closes or the stream of
   * messages ends. Breaking out of the loop does not close the receiver.
   */
  deliveries(): AsyncIterable<Delivery<T>>;
  /**
   * Closes the receiver: deliveries not yet settled are given back for redelivery, and settling
   * them afterwards rejects with `ERR_CLOSED`. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * The delay of a `nack`, checked: `options.delay` (default 0) when it is a non-negative finite number
 * of ms. For transports implementing {@link Delivery.nack}: call it before settling anything.
 *
 * @throws IpcError `ERR_INVALID_ARGUMENT` for a negative or non-finite delay
 */
export function nackDelay(options: NackOptions = {}): number {
  checkMs(options.delay, 'delay');
  return options.delay ?? 0;
}
