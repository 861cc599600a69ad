import {
  IpcError,
  receiveUntilClosed,
  type AckableReceiver,
  resolveCodec,
  type Codec,
  type Receiver,
  type RecvOptions,
} from '@ipc/core';
import { futexWake } from '@ipc/shm';
import {
  resolveQueueOptions,
  visibilityOf,
  type GetOptions,
  type PutOptions,
  type QueueDelivery,
  type QueueOptions,
} from './queue-options.js';
import type { ProcessTable } from './process-table.js';
import { ClaimWatch } from './queue-claim-watch.js';
import { deadlineOf } from './queue-deadline.js';
import { createDelivery, type DeliveryKey } from './queue-delivery.js';
import { JoinCounter } from './queue-join.js';
import {
  W_HAD_RECEIVER,
  W_HAD_SENDER,
  W_JOIN,
  W_NOT_EMPTY,
  W_NOT_FULL,
  W_RECEIVERS_OPEN,
  W_SENDER_DIED,
  W_SENDERS_OPEN,
} from './queue-layout.js';
import { QueueRing } from './queue-ring.js';
import type { QueueSegment } from './queue-segment.js';
import { ack, nackLocked } from './queue-settle.js';
import { QueueTaker } from './queue-take.js';
import { QueueWaiter, type Taken, type WaitFor } from './queue-waiter.js';
import { QueueReceiver } from './queue-receiver.js';
import { enterQueue, leaveQueue } from './queue-users.js';
import { QueueSender } from './queue-sender.js';

const RESOLVED = Promise.resolve();

/**
 * A handle on a process-safe multi-producer / multi-consumer queue in a named shared-memory segment
 * (made by {@link createQueue}, opened by {@link openQueue}). Any number of processes put and get;
 * messages are delivered once each, in the order of their `put`s (FIFO), and a process killed at any
 * point never wedges the others. It is a {@link Receiver} (`recv`, `for await`) and hands out
 * {@link QueueSender} / {@link QueueReceiver} views that speak the @ipc channel contract.
 *
 * @typeParam T - the type of the messages
 */
export class Queue<T = unknown> implements Receiver<T>, AckableReceiver<T> {
  /** The segment's name (`/dev/shm/<name>`). */
  readonly name: string;
  readonly #segment: QueueSegment;
  readonly #ring: QueueRing;
  readonly #taker: QueueTaker;
  readonly #waiter: QueueWaiter;
  readonly #claims: ClaimWatch;
  readonly #join: JoinCounter;
  readonly #table: ProcessTable;
  readonly #codec: Codec<T>;
  readonly #visibility: number;
  readonly #i32: Int32Array;
  readonly #views = new Set<QueueSender<T> | QueueReceiver<T>>();
  #closing: Promise<void> | undefined;
  #pendingPuts = 0;
  #putTail: Promise<void> = RESOLVED;
  /** Deliveries of this handle not settled yet: its close gives them back. */
  readonly #unsettled = new Set<DeliveryKey>();

  /** @internal Use {@link createQueue} or {@link openQueue}. */
  constructor(segment: QueueSegment, options: QueueOptions<T>) {
    this.name = segment.shm.name;
    this.#segment = segment;
    this.#i32 = segment.i32;
    this.#codec = resolveCodec(options.codec);
    const { spinMicros: spin, visibility } = resolveQueueOptions(options);
    this.#visibility = visibility;
    const table = enterQueue(segment);
    this.#table = table;
    const ring = new QueueRing(segment.shm.buffer, segment.ids, table.bells);
    this.#ring = ring;
    this.#taker = new QueueTaker(
      ring,
      () => table.addUnfinished(),
      (delta) => table.addClaims(delta),
      this.#codec.decodeFrom !== undefined, // a codec that decodes in place copies nothing it keeps
    );
    this.#waiter = new QueueWaiter(ring, this.#taker, table, spin);
    this.#claims = new ClaimWatch(ring, this.#taker, () => this.closed);
    this.#join = new JoinCounter(ring, table);
  }

  /** Bytes of the ring (a power of two). */
  get capacityBytes(): number {
    return this.#ring.capacity;
  }

  /** The most messages the queue holds at once. */
  get maxMessages(): number {
    return this.#ring.maxMessages;
  }

  /** The largest encoded message, in bytes. */
  get maxMessageBytes(): number {
    return this.#ring.maxPayload;
  }

  /** Messages waiting for a consumer now (those being written included). Like Python's `qsize()`: a snapshot. */
  get size(): number {
    this.#checkOpen();
    return this.#ring.waiting() + Math.max(0, this.#table.claims());
  }

  /** Whether no message is waiting now (a snapshot). */
  get empty(): boolean {
    this.#checkOpen();
    return !this.#ring.hasWork() && this.#table.claims() <= 0;
  }

  /** Whether a put of a small message would wait now (a snapshot). */
  get full(): boolean {
    this.#checkOpen();
    return this.#ring.full();
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  // ---------------------------------------------------------------- put

  /**
   * Puts one message, waiting while the queue is full. Resolves once the message is in the queue
   * (visible to every process). Puts of one handle enter the queue in call order.
   * Rejects with `ERR_ENCODE`, `ERR_FRAME_TOO_LARGE` (see {@link maxMessageBytes}), `ERR_TIMEOUT`,
   * `ERR_ABORTED` (nothing is put), `ERR_CLOSED`.
   */
  put(message: T, options: PutOptions = {}): Promise<void> {
    let bytes: Uint8Array;
    let deadline: number | undefined;
    try {
      this.#checkOpen();
      deadline = deadlineOf(options);
      bytes = this.#encode(message);
      if (this.#pendingPuts === 0) {
        const r = this.#ring.put(bytes);
        if (r === 'ok') return RESOLVED;
      }
    } catch (err) {
      return Promise.reject(err);
    }
    this.#pendingPuts++;
    const previous = this.#putTail;
    const run = previous.then(() => this.#putSlow(bytes, options, deadline));
    const settle = (): void => {
      this.#pendingPuts--;
    };
    this.#putTail = run.then(settle, settle);
    return run;
  }

  /** Puts one message if there is room now (and no earlier put of this handle waits); false otherwise. Throws like {@link put}. */
  tryPut(message: T): boolean {
    this.#checkOpen();
    const bytes = this.#encode(message);
    return this.#pendingPuts === 0 && this.#ring.put(bytes) === 'ok';
  }

  /** @internal Whether every receiver view ever opened on this queue has closed or died. */
  receiversGone(): boolean {
    return Atomics.load(this.#i32, W_HAD_RECEIVER) !== 0 && Atomics.load(this.#i32, W_RECEIVERS_OPEN) <= 0;
  }

  #putSlow(bytes: Uint8Array, options: PutOptions, deadline: number | undefined): Promise<void> {
    return this.#waiter.put(bytes, this.#waitFor(options, deadline));
  }

  #waitFor(options: PutOptions | GetOptions, deadline: number | undefined): WaitFor {
    return { signal: options.signal, timeout: options.timeout, deadline, checkOpen: () => this.#checkOpen() };
  }

  // ---------------------------------------------------------------- get

  /**
   * Gets the next message, waiting while the queue is empty. With `{ ack: true }` resolves a
   * {@link QueueDelivery} (at-least-once); otherwise the message (at-most-once: it leaves the queue now).
   * Rejects with `ERR_TIMEOUT`, `ERR_ABORTED` (nothing is taken), `ERR_CLOSED` (this handle closed, or
   * every sender view of the queue closed and the queue is drained), `ERR_PEER_GONE` (drained, and a
   * sender view's process died), `ERR_DECODE` (that message is dropped; the next get goes on).
   */
  get(options: GetOptions & { ack: true }): Promise<QueueDelivery<T>>;
  get(options?: GetOptions & { ack?: false | undefined }): Promise<T>;
  get(options?: GetOptions): Promise<T | QueueDelivery<T>>;
  get(options: GetOptions = {}): Promise<T | QueueDelivery<T>> {
    let visibility: number | undefined;
    let deadline: number | undefined;
    try {
      this.#checkOpen();
      deadline = deadlineOf(options);
      visibility = visibilityOf(options, this.#visibility);
      const r = this.#taker.take(visibility);
      if (r.kind === 'message') return Promise.resolve(this.#deliver(r, visibility));
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#getSlow(options, visibility, deadline);
  }

  /** Gets a message if one is there now; `undefined` otherwise. At-most-once. Throws `ERR_CLOSED`, `ERR_DECODE`. */
  tryGet(): T | undefined {
    this.#checkOpen();
    const r = this.#taker.take(undefined);
    return r.kind === 'message' ? (this.#deliver(r, undefined) as T) : undefined;
  }

  /**
   * Same as `get({ ack: true })` with `signal` and `timeout`: the {@link AckableReceiver} contract.
   * Unsettled deliveries go back to the queue (redelivered first) when this handle closes.
   */
  recvDelivery(options: RecvOptions = {}): Promise<QueueDelivery<T>> {
    return this.get({ signal: options.signal, timeout: options.timeout, ack: true });
  }

  /**
   * Iterates deliveries (as {@link recvDelivery}) until this handle closes, or every sender view closed
   * and the queue is drained. Breaking out of the loop does not close the handle.
   */
  deliveries(): AsyncIterable<QueueDelivery<T>> {
    return { [Symbol.asyncIterator]: () => receiveUntilClosed(() => this.recvDelivery()) };
  }

  /** Same as {@link get} without `ack`: the {@link Receiver} contract. */
  recv(options: RecvOptions = {}): Promise<T> {
    return this.get({ signal: options.signal, timeout: options.timeout });
  }

  /**
   * Iterates messages (as {@link recv}) until this handle closes, or every sender view closed and the
   * queue is drained. Breaking out of the loop does not close the handle.
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return receiveUntilClosed(() => this.recv());
  }

  /** Turns a taken message into what `get` returns (and watches the claims the take may have made). */
  #deliver(r: Taken, visibility: number | undefined): T | QueueDelivery<T> {
    if (this.#taker.claimed > 0) this.#claims.watch();
    if (visibility === undefined) return this.#decode(r);
    let message: T;
    try {
      message = this.#decode(r);
    } catch (err) {
      ack(this.#ring, r.position, r.lease);
      throw err;
    }
    const key = { position: r.position, lease: r.lease };
    return createDelivery(this.#ring, this.#unsettled, () => this.closed, this.name, message, key);
  }

  /**
   * The message taken: decoded in place from the buffer the ring reuses, or — for a codec that may keep
   * (raw: return) the bytes — from the Buffer of its own the ring copied it into.
   */
  #decode(r: Taken): T {
    const codec = this.#codec;
    return codec.decodeFrom !== undefined ? codec.decodeFrom(r.bytes, 0, r.length) : codec.decode(r.bytes);
  }

  #streamEnd(): IpcError | undefined {
    const i32 = this.#i32;
    if (Atomics.load(i32, W_HAD_SENDER) === 0 || Atomics.load(i32, W_SENDERS_OPEN) > 0) return undefined;
    return Atomics.load(i32, W_SENDER_DIED) !== 0
      ? new IpcError('ERR_PEER_GONE', `a sender of queue ${this.name} died and no other sender is open`)
      : new IpcError('ERR_CLOSED', `every sender of queue ${this.name} closed`);
  }

  async #getSlow(
    options: GetOptions,
    visibility: number | undefined,
    deadline: number | undefined,
  ): Promise<T | QueueDelivery<T>> {
    const r = await this.#waiter.take(visibility, () => this.#streamEnd(), this.#waitFor(options, deadline));
    return this.#deliver(r, visibility);
  }

  // ---------------------------------------------------------------- join

  /**
   * Marks one message got from the queue as handled (Python's `task_done()`), for {@link join}.
   * Throws `ERR_INVALID_ARGUMENT` when called more times than messages were got.
   */
  taskDone(): void {
    this.#checkOpen();
    this.#join.taskDone();
  }

  /**
   * Resolves once the queue is empty and every message got from it was {@link taskDone}'d — by any
   * process. Tasks of a process that died (or closed the queue) are forgiven, and a message whose
   * producer died while writing it never counts: join cannot wait for a process that is gone.
   */
  join(options: { signal?: AbortSignal | undefined; timeout?: number | undefined } = {}): Promise<void> {
    return this.#join.join(options, () => this.#checkOpen());
  }

  // ---------------------------------------------------------------- views

  /**
   * A {@link QueueSender} view (the @ipc `Sender` contract): while any sender view of the queue is
   * open, receivers wait; once every one closed (or died), receivers drain the queue and then end
   * (`ERR_CLOSED`, or `ERR_PEER_GONE` if one died). Its `send` fails with `ERR_PEER_GONE` once every
   * receiver view ever opened on the queue closed or died.
   */
  sender(): QueueSender<T> {
    return this.#openView(
      W_HAD_SENDER,
      (d) => this.#table.addSenders(d),
      (close) => new QueueSender<T>(this, close),
      () => this.#ring.wakeConsumers(),
    );
  }

  /** A {@link QueueReceiver} view (the @ipc `Receiver` contract); see {@link sender}. */
  receiver(): QueueReceiver<T> {
    return this.#openView(
      W_HAD_RECEIVER,
      (d) => this.#table.addReceivers(d),
      (close) => new QueueReceiver<T>(this, close),
      () => this.#ring.wakeProducers(),
    );
  }

  /**
   * Opens a view made by `make`: flags `hadWord` (a view of that kind was ever open), counts it with
   * `count` while open, and calls `onClose` (wakes the other side's sleepers) when it closes.
   */
  #openView<V extends QueueSender<T> | QueueReceiver<T>>(
    hadWord: number,
    count: (delta: number) => void,
    make: (onClose: () => void) => V,
    onClose: () => void,
  ): V {
    this.#checkOpen();
    const view = make(() => {
      this.#views.delete(view);
      count(-1);
      onClose();
    });
    Atomics.store(this.#i32, hadWord, 1);
    count(1);
    this.#views.add(view);
    return view;
  }

  // ---------------------------------------------------------------- close

  /**
   * Closes this handle: its views close, waiting calls of this handle reject with `ERR_CLOSED` (a put
   * still waiting for room puts nothing). The last process to close the queue removes the segment.
   * Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Removes the queue's name now: processes that have it open go on; new `openQueue` calls fail with `ERR_NOT_FOUND`. */
  unlink(): void {
    this.#segment.shm.unlink();
  }

  async #close(): Promise<void> {
    await Promise.allSettled([...this.#views].map((v) => v.close()));
    this.#claims.stop();
    await this.#claims.release(() => undefined);
    await this.#giveBackUnsettled();
    const i32 = this.#i32;
    for (const word of [W_NOT_EMPTY, W_NOT_FULL, W_JOIN]) futexWake(i32, word);
    this.#table.bells.interrupt();
    this.#ring.tailLock.wakeAll();
    this.#ring.headLock.wakeAll();
    leaveQueue(this.#segment);
    this.#segment.shm.close();
  }

  /** Puts this handle's unsettled deliveries back for redelivery (at close). */
  async #giveBackUnsettled(): Promise<void> {
    if (this.#unsettled.size === 0) return;
    const ring = this.#ring;
    await ring.headLock.acquire(() => undefined);
    try {
      for (const { position, lease } of this.#unsettled) nackLocked(ring, position, lease);
    } finally {
      ring.headLock.release();
    }
    this.#unsettled.clear();
  }

  #checkOpen(): void {
    if (this.#closing !== undefined) throw new IpcError('ERR_CLOSED', `queue ${this.name} is closed`);
  }

  #encode(message: T): Uint8Array {
    const bytes = this.#codec.encode(message);
    if (bytes.byteLength > this.#ring.maxPayload) {
      throw new IpcError(
        'ERR_FRAME_TOO_LARGE',
        `a message of ${bytes.byteLength} bytes does not fit in queue ${this.name} (at most ${this.#ring.maxPayload})`,
      );
    }
    return bytes;
  }
}
