import {
  IpcError,
  receiveUntilClosed,
  type AckableReceiver,
  type NackOptions,
  resolveCodec,
  throwIfAborted,
  type Codec,
  type Receiver,
  type RecvOptions,
  nackDelay,
} from '@ipc/core';
import { futexWaitAsync, futexWake } from '@ipc/shm';
import type { GetOptions, PutOptions, QueueDelivery, QueueOptions } from './queue-options.js';
import { ProcessTable } from './process-table.js';
import {
  armToken,
  W_CONSUMERS_ARMED,
  W_HAD_RECEIVER,
  W_HAD_SENDER,
  W_HEAD,
  W_IN_FLIGHT,
  W_JOIN,
  W_JOIN_WAITERS,
  W_NOT_EMPTY,
  W_NOT_FULL,
  W_ORPHANED_CLAIMS,
  W_PRODUCERS_ARMED,
  W_RECEIVERS_OPEN,
  W_REQUEUED,
  W_SENDER_DIED,
  W_SENDERS_OPEN,
  W_TAIL,
  W_UNLINKING,
  S_WRITING,
} from './queue-layout.js';
import { QueueRing, type TakeResult } from './queue-ring.js';
import type { QueueSegment } from './queue-segment.js';
import { QueueReceiver } from './queue-receiver.js';
import { QueueSender } from './queue-sender.js';

/** How often a waiting call re-checks that the processes it depends on are alive, in ms. */
export const LIVENESS_MS = 100;
const DEFAULT_SPIN_MICROS = 20;
const DEFAULT_VISIBILITY_MS = 30_000;
/** How long a handle may hold claimed records without handing one out before they go back, in ms. */
const CLAIM_IDLE_MS = 10;
const RESOLVED = Promise.resolve();

/** This process's users of each segment (by device:inode), sharing one process-table entry. */
const users = new Map<string, { refs: number; table: ProcessTable }>();

function checkWait(options: {
  signal?: AbortSignal | undefined;
  timeout?: number | undefined;
}): number | undefined {
  throwIfAborted(options.signal);
  const { timeout } = options;
  if (timeout === undefined) return undefined;
  if (typeof timeout !== 'number' || !(timeout >= 0) || !Number.isFinite(timeout)) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `timeout must be a non-negative number of ms, got ${String(timeout)}`,
    );
  }
  return Date.now() + timeout;
}

function timedOut(timeout: number | undefined): IpcError {
  return new IpcError('ERR_TIMEOUT', `timed out after ${String(timeout)} ms`);
}

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
  readonly #table: ProcessTable;
  readonly #codec: Codec<T>;
  readonly #spinMs: number;
  readonly #visibility: number;
  readonly #i32: Int32Array;
  readonly #views = new Set<QueueSender<T> | QueueReceiver<T>>();
  #closing: Promise<void> | undefined;
  #pendingPuts = 0;
  #putTail: Promise<void> = RESOLVED;
  #claimTimer: NodeJS.Timeout | undefined;
  /** Deliveries of this handle not settled yet: its close gives them back. */
  readonly #unsettled = new Set<{ position: number; lease: number }>();

  /** @internal Use {@link createQueue} or {@link openQueue}. */
  constructor(segment: QueueSegment, options: QueueOptions<T>) {
    this.name = segment.shm.name;
    this.#segment = segment;
    this.#i32 = segment.i32;
    this.#codec = resolveCodec(options.codec);
    const spin = options.spinMicros ?? DEFAULT_SPIN_MICROS;
    const visibility = options.visibilityTimeout ?? DEFAULT_VISIBILITY_MS;
    if (!(spin >= 0) || !Number.isFinite(spin)) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `spinMicros must be a non-negative number, got ${String(spin)}`,
      );
    }
    if (!(visibility > 0) || !Number.isFinite(visibility)) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `visibilityTimeout must be a positive number of ms, got ${String(visibility)}`,
      );
    }
    this.#spinMs = spin / 1000;
    this.#visibility = visibility;
    let user = users.get(segment.shm.key);
    if (!user) {
      user = { refs: 0, table: new ProcessTable(segment.i32, segment.ids) };
      users.set(segment.shm.key, user);
    }
    user.refs++;
    user.table.enter();
    this.#table = user.table;
    const table = user.table;
    this.#ring = new QueueRing(
      segment.shm.buffer,
      segment.ids,
      () => table.addUnfinished(),
      (delta) => table.addClaims(delta),
      this.#codec.decodeFrom !== undefined, // a codec that decodes in place copies nothing it keeps
    );
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
      deadline = checkWait(options);
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

  async #putSlow(bytes: Uint8Array, options: PutOptions, deadline: number | undefined): Promise<void> {
    const { signal } = options;
    const i32 = this.#i32;
    const check = (): void => {
      this.#checkOpen();
      throwIfAborted(signal);
    };
    let spun = false;
    for (;;) {
      check();
      let r = this.#ring.put(bytes);
      if (r === 'locked') {
        await this.#ring.tailLock.acquire(check);
        r = this.#ring.putLocked(bytes);
      }
      if (r === 'ok') return;
      if (!spun && this.#spinMs > 0) {
        spun = true;
        const until = performance.now() + this.#spinMs;
        while (performance.now() < until && this.#ring.full());
        continue;
      }
      // Read the counter, then arm, then look again: a consumer that frees room after the look sees
      // the flag and bumps the counter (a notifier clears only the arming it saw, after waking).
      const seen = Atomics.load(i32, W_NOT_FULL);
      Atomics.store(i32, W_PRODUCERS_ARMED, armToken(seen));
      const again = this.#ring.put(bytes);
      if (again === 'ok') return;
      if (again === 'locked') continue;
      const now = Date.now();
      if (deadline !== undefined && now >= deadline) throw timedOut(options.timeout);
      const ms = deadline === undefined ? LIVENESS_MS : Math.min(LIVENESS_MS, deadline - now);
      const slept = await this.#sleep(W_NOT_FULL, seen, ms, signal);
      if (slept === 'timed-out') {
        // Room may be held by a dead consumer (a take it never finished, a delivery never acked).
        if (this.#ring.stuckAtReclaim()) this.#ring.recover();
        if (Atomics.load(i32, W_HAD_RECEIVER) !== 0) this.#table.sweep();
      }
    }
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
      deadline = checkWait(options);
      visibility = this.#visibilityOf(options);
      const r = this.#ring.take(visibility);
      if (r.kind === 'message') return Promise.resolve(this.#deliver(r, visibility));
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#getSlow(options, visibility, deadline);
  }

  /** Gets a message if one is there now; `undefined` otherwise. At-most-once. Throws `ERR_CLOSED`, `ERR_DECODE`. */
  tryGet(): T | undefined {
    this.#checkOpen();
    const r = this.#ring.take(undefined);
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

  #visibilityOf(options: GetOptions): number | undefined {
    if (options.ack !== true) return undefined;
    const v = options.visibilityTimeout ?? this.#visibility;
    if (!(v > 0) || !Number.isFinite(v)) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `visibilityTimeout must be a positive number of ms, got ${String(v)}`,
      );
    }
    return v;
  }

  /** Turns a taken message into what `get` returns (and watches the claims the take may have made). */
  #deliver(
    r: Extract<TakeResult, { kind: 'message' }>,
    visibility: number | undefined,
  ): T | QueueDelivery<T> {
    if (this.#ring.claimed > 0) this.#watchClaims();
    if (visibility === undefined) return this.#decode(r);
    let message: T;
    try {
      message = this.#decode(r);
    } catch (err) {
      this.#ring.ack(r.position, r.lease);
      throw err;
    }
    return this.#delivery(message, r.position, r.lease);
  }

  /** A delivery in flight, unsettled until its ack or nack (or this handle's close, which gives it back). */
  #delivery(message: T, position: number, lease: number): QueueDelivery<T> {
    const ring = this.#ring;
    const unsettled = this.#unsettled;
    const key = { position, lease };
    unsettled.add(key);
    let settled = false;
    const settle = (): void => {
      if (settled) throw new IpcError('ERR_INVALID_STATE', 'this delivery was already acked or nacked');
      this.#checkOpen();
      settled = true;
      unsettled.delete(key);
    };
    const tooLate = (): IpcError =>
      new IpcError(
        'ERR_TIMEOUT',
        `the visibility timeout elapsed: the message was handed out again (queue ${this.name})`,
      );
    return {
      message,
      attempt: 1,
      tryAck: () => {
        if (settled || this.#closing !== undefined) return false;
        settled = true;
        unsettled.delete(key);
        return ring.ack(position, lease);
      },
      ack: async () => {
        settle();
        if (!ring.ack(position, lease)) throw tooLate();
      },
      nack: async (options: NackOptions = {}) => {
        const delay = nackDelay(options);
        settle();
        if (options.requeue === false) {
          if (!ring.ack(position, lease)) throw tooLate();
          return;
        }
        await ring.headLock.acquire(() => undefined);
        let ok: boolean;
        try {
          ok = delay > 0 ? ring.nackLaterLocked(position, lease, delay) : ring.nackLocked(position, lease);
        } finally {
          ring.headLock.release();
        }
        if (!ok) throw tooLate();
      },
    };
  }

  /**
   * The message taken: decoded in place from the buffer the ring reuses, or — for a codec that may keep
   * (raw: return) the bytes — from the Buffer of its own the ring copied it into.
   */
  #decode(r: Extract<TakeResult, { kind: 'message' }>): T {
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
    const { signal } = options;
    const i32 = this.#i32;
    const ring = this.#ring;
    const check = (): void => {
      this.#checkOpen();
      throwIfAborted(signal);
    };
    let spun = false;
    for (;;) {
      check();
      const ended = this.#streamEnd();
      let r = ring.take(visibility);
      if (r.kind === 'locked') {
        await ring.headLock.acquire(check);
        r = ring.takeLocked(visibility);
      }
      if (r.kind === 'message') return this.#deliver(r, visibility);
      if (ended) throw ended;
      if (!spun && this.#spinMs > 0) {
        spun = true;
        const until = performance.now() + this.#spinMs;
        while (performance.now() < until && !ring.hasWork());
        continue;
      }
      // Read the counter, then arm, then look again (see #putSlow).
      const seen = Atomics.load(i32, W_NOT_EMPTY);
      Atomics.store(i32, W_CONSUMERS_ARMED, armToken(seen));
      const again = ring.take(visibility);
      if (again.kind === 'message') return this.#deliver(again, visibility);
      if (again.kind === 'locked') continue;
      const now = Date.now();
      if (deadline !== undefined && now >= deadline) throw timedOut(options.timeout);
      const watch = this.#needsWatch(again);
      const limit = deadline === undefined ? undefined : deadline - now;
      const ms = watch ? Math.min(LIVENESS_MS, limit ?? LIVENESS_MS) : limit;
      const slept = await this.#sleep(W_NOT_EMPTY, seen, ms, signal);
      if (slept === 'timed-out') this.#watch();
    }
  }

  /** Whether a waiting get must wake up now and then to check on other processes. */
  #needsWatch(r: TakeResult): boolean {
    const i32 = this.#i32;
    return (
      r.kind !== 'empty' ||
      Atomics.load(i32, W_IN_FLIGHT) > 0 ||
      Atomics.load(i32, W_ORPHANED_CLAIMS) > 0 ||
      this.#table.claims() > 0 ||
      (Atomics.load(i32, W_HAD_SENDER) !== 0 && Atomics.load(i32, W_SENDERS_OPEN) > 0)
    );
  }

  /**
   * Recovers what dead processes hold: a half-written head record, deliveries in flight, records they
   * claimed, open senders.
   */
  #watch(): void {
    const i32 = this.#i32;
    const head = this.#ring.headRecord();
    if (head?.state === S_WRITING && !this.#segment.ids.isAlive(head.owner)) {
      this.#ring.abandon(head.position, head.owner);
    }
    if (Atomics.load(i32, W_HAD_SENDER) !== 0 || this.#table.claims() > 0) this.#table.sweep();
    if (Atomics.load(i32, W_IN_FLIGHT) > 0 || Atomics.load(i32, W_ORPHANED_CLAIMS) > 0) this.#ring.recover();
  }

  /**
   * While this handle holds claimed records (see `S_CLAIMED`), checks every {@link CLAIM_IDLE_MS} that
   * its gets still take them; if not (the application stopped getting), puts them back for the other
   * consumers. A loop of gets never lets the timer run before it has returned them all.
   */
  #watchClaims(): void {
    if (this.#claimTimer !== undefined) return;
    let seen = this.#ring.claimed;
    const check = (): void => {
      const left = this.#ring.claimed;
      if (left === 0 || this.#closing !== undefined) {
        this.#claimTimer = undefined;
        return;
      }
      if (left !== seen) {
        seen = left;
        this.#claimTimer = setTimeout(check, CLAIM_IDLE_MS).unref();
        return;
      }
      this.#claimTimer = undefined;
      // Gives up if the handle closes meanwhile (close puts the claims back itself).
      this.#releaseClaims(() => this.#checkOpen()).catch(() => undefined);
    };
    this.#claimTimer = setTimeout(check, CLAIM_IDLE_MS).unref();
  }

  /** Puts this handle's claims back (see `QueueRing.releaseClaimsLocked`); `check` may abort the wait for the lock. */
  async #releaseClaims(check: () => void): Promise<void> {
    if (this.#ring.claimed === 0) return;
    const lock = this.#ring.headLock;
    await lock.acquire(check);
    try {
      this.#ring.releaseClaimsLocked();
    } finally {
      lock.release();
    }
  }

  // ---------------------------------------------------------------- join

  /**
   * Marks one message got from the queue as handled (Python's `task_done()`), for {@link join}.
   * Throws `ERR_INVALID_ARGUMENT` when called more times than messages were got.
   */
  taskDone(): void {
    this.#checkOpen();
    if (!this.#table.taskDone()) {
      throw new IpcError('ERR_INVALID_ARGUMENT', 'taskDone() called more times than messages were got');
    }
    Atomics.add(this.#i32, W_JOIN, 1);
    if (Atomics.load(this.#i32, W_JOIN_WAITERS) > 0) futexWake(this.#i32, W_JOIN);
  }

  /**
   * Resolves once the queue is empty and every message got from it was {@link taskDone}'d — by any
   * process. Tasks of a process that died (or closed the queue) are forgiven, and a message whose
   * producer died while writing it never counts: join cannot wait for a process that is gone.
   */
  async join(
    options: { signal?: AbortSignal | undefined; timeout?: number | undefined } = {},
  ): Promise<void> {
    const deadline = checkWait(options);
    const i32 = this.#i32;
    for (;;) {
      this.#checkOpen();
      throwIfAborted(options.signal);
      Atomics.add(i32, W_JOIN_WAITERS, 1);
      let slept: string;
      try {
        const seen = Atomics.load(i32, W_JOIN);
        if (this.#joined()) return;
        const now = Date.now();
        if (deadline !== undefined && now >= deadline) throw timedOut(options.timeout);
        slept = await this.#sleep(
          W_JOIN,
          seen,
          Math.min(LIVENESS_MS, deadline === undefined ? LIVENESS_MS : deadline - now),
          options.signal,
        );
      } finally {
        Atomics.sub(i32, W_JOIN_WAITERS, 1);
      }
      if (slept === 'timed-out') {
        this.#table.sweep();
        this.#watch();
      }
    }
  }

  #joined(): boolean {
    const i32 = this.#i32;
    return (
      Atomics.load(i32, W_HEAD) === Atomics.load(i32, W_TAIL) &&
      Atomics.load(i32, W_REQUEUED) <= 0 &&
      Atomics.load(i32, W_IN_FLIGHT) <= 0 &&
      this.#table.unfinished() <= 0 &&
      this.#table.claims() <= 0
    );
  }

  // ---------------------------------------------------------------- views

  /**
   * A {@link QueueSender} view (the @ipc `Sender` contract): while any sender view of the queue is
   * open, receivers wait; once every one closed (or died), receivers drain the queue and then end
   * (`ERR_CLOSED`, or `ERR_PEER_GONE` if one died). Its `send` fails with `ERR_PEER_GONE` once every
   * receiver view ever opened on the queue closed or died.
   */
  sender(): QueueSender<T> {
    this.#checkOpen();
    const view = new QueueSender<T>(this, () => {
      this.#views.delete(view);
      this.#table.addSenders(-1);
      this.#ring.wakeConsumers();
    });
    Atomics.store(this.#i32, W_HAD_SENDER, 1);
    this.#table.addSenders(1);
    this.#views.add(view);
    return view;
  }

  /** A {@link QueueReceiver} view (the @ipc `Receiver` contract); see {@link sender}. */
  receiver(): QueueReceiver<T> {
    this.#checkOpen();
    const view = new QueueReceiver<T>(this, () => {
      this.#views.delete(view);
      this.#table.addReceivers(-1);
      this.#ring.wakeProducers();
    });
    Atomics.store(this.#i32, W_HAD_RECEIVER, 1);
    this.#table.addReceivers(1);
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
    if (this.#claimTimer !== undefined) clearTimeout(this.#claimTimer);
    this.#claimTimer = undefined;
    await this.#releaseClaims(() => undefined);
    await this.#giveBackUnsettled();
    const i32 = this.#i32;
    for (const word of [W_NOT_EMPTY, W_NOT_FULL, W_JOIN]) futexWake(i32, word);
    this.#ring.tailLock.wakeAll();
    this.#ring.headLock.wakeAll();
    const key = this.#segment.shm.key;
    const user = users.get(key);
    if (user && --user.refs === 0) {
      users.delete(key);
      user.table.leave();
      if (user.table.otherLiveUsers() === 0 && Atomics.compareExchange(i32, W_UNLINKING, 0, 1) === 0) {
        if (user.table.otherLiveUsers() === 0) this.#segment.shm.unlink();
        else Atomics.store(i32, W_UNLINKING, 0);
      }
    }
    this.#segment.shm.close();
  }

  /** Puts this handle's unsettled deliveries back for redelivery (at close). */
  async #giveBackUnsettled(): Promise<void> {
    if (this.#unsettled.size === 0) return;
    const ring = this.#ring;
    await ring.headLock.acquire(() => undefined);
    try {
      for (const { position, lease } of this.#unsettled) ring.nackLocked(position, lease);
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

  /** Sleeps on `word` until it changes from `seen`, `ms` passes, or `signal` fires (which wakes it). */
  async #sleep(
    word: number,
    seen: number,
    ms: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    if (signal === undefined) return futexWaitAsync(this.#i32, word, seen, ms);
    const onAbort = (): void => {
      futexWake(this.#i32, word);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await futexWaitAsync(this.#i32, word, seen, ms);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
