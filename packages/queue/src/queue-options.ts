import { IpcError, type CodecOption, type Delivery } from '@ipc/core';

/** Options of every queue handle ({@link openQueue} and {@link createQueue}). */
export interface QueueOptions<T = unknown> {
  /** How messages become bytes: a codec or the name of a built-in one (default `'msgpack'`). Every handle of one queue must use the same. */
  codec?: CodecOption<T> | undefined;
  /**
   * How long a `get` (or a `put` on a full queue) keeps re-checking the queue on the CPU before it
   * sleeps on a futex, in microseconds (default 20). Spinning buys latency (a few µs instead of the
   * tens of µs of a futex wake-up through the waiter thread) for CPU time, and blocks the event loop
   * while it lasts; 0 sleeps at once. The budget adapts (`Spinner` in `@ipc/shm`): spins that do
   * not pay shrink it, and on an oversubscribed machine (a spin that loses its CPU) waits sleep at
   * once until a later try spins unpreempted.
   */
  spinMicros?: number | undefined;
  /**
   * How long a message got with `{ ack: true }` stays invisible to other consumers before it is
   * redelivered if not acked, in ms (default 30,000). `get({ visibilityTimeout })` overrides it.
   */
  visibilityTimeout?: number | undefined;
}

/** Options of {@link createQueue}. */
export interface CreateQueueOptions<T = unknown> extends QueueOptions<T> {
  /**
   * Bytes of the ring that holds the messages (default 1 MiB), rounded up to a power of two (at most
   * 1 GiB). Each message takes its payload plus a 24-byte header, rounded up to 32 bytes; the largest
   * message is `capacityBytes - 24` bytes (`ERR_FRAME_TOO_LARGE` beyond). `put` waits while full.
   */
  capacityBytes?: number | undefined;
  /** The most messages in the queue at once (default: no limit other than `capacityBytes`). Python's `maxsize`. */
  maxMessages?: number | undefined;
  /** Permission bits of the segment (`shm_open`'s `mode`); default `0o600`, owner only. */
  mode?: number | undefined;
}

/** Options of `get`: `signal` (→ `ERR_ABORTED`), `timeout` in ms (→ `ERR_TIMEOUT`). */
export interface GetOptions {
  /** Cancels the wait; `get` then rejects with `ERR_ABORTED` and takes nothing. */
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait at most for a message (`ERR_TIMEOUT`); default no limit. 0 = do not wait. */
  timeout?: number | undefined;
  /**
   * `true`: at-least-once. The message stays in the queue, invisible, until {@link QueueDelivery.ack};
   * if this process dies first, or `visibilityTimeout` passes, it is delivered again (to any
   * consumer). Default `false`: at-most-once — the message leaves the queue as `get` returns it.
   */
  ack?: boolean | undefined;
  /** With `ack`: ms before an un-acked message is redelivered (default: the handle's `visibilityTimeout`). */
  visibilityTimeout?: number | undefined;
}

/** Options of `put`: `signal` (→ `ERR_ABORTED`), `timeout` in ms while the queue is full (→ `ERR_TIMEOUT`). */
export interface PutOptions {
  /** Cancels a put waiting for room; it then rejects with `ERR_ABORTED` and puts nothing. */
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait at most for room (`ERR_TIMEOUT`); default no limit. */
  timeout?: number | undefined;
}

/**
 * A message got with `{ ack: true }` (or `recvDelivery()`): the @ipc {@link Delivery} contract —
 * async `ack()`, `nack({ requeue, delay })` — plus the queue's synchronous {@link tryAck}.
 *
 * In the queue, `attempt` is always 1: a record carries no delivery count. `nack({ delay })` keeps
 * the message in flight (invisible) for `delay` ms, then any waiting consumer redelivers it; if
 * this process dies meanwhile it comes back at once. `nack({ requeue: false })` drops it.
 */
export interface QueueDelivery<T> extends Delivery<T> {
  /**
   * Acknowledges synchronously (the queue's former `ack()`): true when the message is removed, false
   * when it is too late (the visibility timeout passed and it was handed out again, it was already
   * settled, or the handle closed). Never throws.
   */
  tryAck(): boolean;
}

const DEFAULT_SPIN_MICROS = 20;
const DEFAULT_VISIBILITY_MS = 30_000;

/** The `spinMicros` and `visibilityTimeout` of a handle, defaulted and checked (`ERR_INVALID_ARGUMENT`). */
export function resolveQueueOptions(options: Pick<QueueOptions, 'spinMicros' | 'visibilityTimeout'>): {
  spinMicros: number;
  visibility: number;
} {
  const spin = options.spinMicros ?? DEFAULT_SPIN_MICROS;
  if (!(spin >= 0) || !Number.isFinite(spin)) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `spinMicros must be a non-negative number, got ${String(spin)}`,
    );
  }
  return {
    spinMicros: spin,
    visibility: checkVisibility(options.visibilityTimeout ?? DEFAULT_VISIBILITY_MS),
  };
}

/** A `get`'s visibility timeout: undefined without `ack`, else its own or the handle's `visibility` (checked). */
export function visibilityOf(options: GetOptions, visibility: number): number | undefined {
  return options.ack === true ? checkVisibility(options.visibilityTimeout ?? visibility) : undefined;
}

function checkVisibility(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `visibilityTimeout must be a positive number of ms, got ${String(v)}`,
    );
  }
  return v;
}
