import type { RecvOptions } from '@ipc/core';

/** Options of {@link Delivery.nack}. */
export interface NackOptions {
  /** Make the message visible again only after this many ms (default 0: at once). */
  delay?: number | undefined;
}

/**
 * One claimed message of a durable queue, received with `recvDelivery()` or `deliveries()`: it
 * stays claimed (invisible to other consumers) until `ack()` removes it or `nack()` gives it back.
 * If the consumer dies first, it becomes visible again (spool: `recoverStale()`; SQLite: after the
 * visibility timeout). `recv()` and `for await` are the auto-ack shortcut: they ack each message as
 * they hand it out (at-most-once from there on).
 *
 * @typeParam T - the type of the message
 */
export interface Delivery<T> {
  /** The decoded message. */
  readonly message: T;
  /** How many times this message has been claimed, this time included (1 on first delivery; spool: always 1). */
  readonly attempt: number;
  /** Removes the message for good. Rejects with `ERR_CLOSED` after the receiver closed (the message was given back). */
  ack(): Promise<void>;
  /** Gives the message back to the queue (after `delay` ms). Rejects with `ERR_CLOSED` after the receiver closed. */
  nack(options?: NackOptions): Promise<void>;
}

/** A receiver that can also hand out deliveries to acknowledge by hand. */
export interface AckableReceiver<T> {
  /** Receives the next message as a {@link Delivery} that the caller must `ack()` or `nack()`. */
  recvDelivery(options?: RecvOptions): Promise<Delivery<T>>;
  /** Iterates deliveries (manual ack) until the end. Breaking out of the loop does not close the receiver. */
  deliveries(): AsyncIterable<Delivery<T>>;
}
