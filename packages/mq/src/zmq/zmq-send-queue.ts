import { abortError, checkWaitOptions, IpcError } from '@ipc/core';
import { Deque } from '@ipc/kit';
import type * as zmq from 'zeromq';
import { fromZmqError, isZmqTimeout } from './zmq-error.js';

/** Options of a send that may wait: `signal` (→ `ERR_ABORTED`) and `timeout` in ms (→ `ERR_TIMEOUT`). */
export interface ZmqSendOptions {
  /** Cancels a send that is waiting for room; it then rejects with `ERR_ABORTED` and sends nothing. */
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait for room at most; the send then rejects with `ERR_TIMEOUT` and sends nothing. */
  timeout?: number | undefined;
}

interface Job {
  frames: Buffer | Buffer[];
  resolve: () => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  /** Set when the caller gave up (abort or timeout) while the job was being sent. */
  cancelled: IpcError | undefined;
  cleanup: (() => void) | undefined;
}

/** A job that cannot be cancelled (no signal, no timeout). */
function plainJob(frames: Buffer | Buffer[], resolve: () => void, reject: (err: unknown) => void): Job {
  return { frames, resolve, reject, signal: undefined, cancelled: undefined, cleanup: undefined };
}

/**
 * Serializes sends on one ZeroMQ socket. zeromq.js allows one pending `send` per socket (a second one
 * fails with `EBUSY`); this queue keeps any number of callers in order and gives each a promise. A
 * send waits while the socket is at its high-water mark (`ZMQ_SNDHWM`): that is the backpressure, and
 * it is never turned into an unbounded buffer — waiting callers hold their own messages.
 *
 * The socket must have `sendTimeout` set to {@link SEND_SLICE_MS}: a send blocked by the high-water
 * mark then returns `EAGAIN` every slice, which is when a cancelled one is dropped (zeromq.js cannot
 * cancel a pending send).
 *
 * Fast path: a send that finds the queue idle and has no `signal`/`timeout` goes to the socket at
 * once, and its caller gets the one reaction on the socket's promise (no job, no promise of our own):
 * most sends take it, since zeromq.js completes a send at once while the socket has room.
 */
export class ZmqSendQueue {
  private readonly jobs = new Deque<Job>();
  private busy = false;
  private failure: IpcError | undefined;
  private idleWaiters: (() => void)[] = [];
  /** The frames of the fast-path send in progress (kept to go on with it after an `EAGAIN` slice). */
  private current: Buffer | Buffer[] | undefined;
  private acceptedCount = 0;

  /** @param socket - the socket, with `sendTimeout` = {@link SEND_SLICE_MS} */
  constructor(private readonly socket: zmq.Writable & zmq.Socket) {}

  /** How many sends are queued or in progress. */
  get pending(): number {
    return this.jobs.length + (this.busy ? 1 : 0);
  }

  /** How many sends ZeroMQ has accepted so far (resolved sends). */
  get accepted(): number {
    return this.acceptedCount;
  }

  /** Queues `frames`; resolves once ZeroMQ accepted them. */
  send(frames: Buffer | Buffer[], options?: ZmqSendOptions): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (options === undefined || (options.signal === undefined && options.timeout === undefined)) {
      if (!this.busy) return this.sendNow(frames);
      return new Promise<void>((resolve, reject) => this.jobs.push(plainJob(frames, resolve, reject)));
    }
    try {
      checkWaitOptions(options);
    } catch (err) {
      return Promise.reject(err);
    }
    const { signal, timeout } = options;
    return new Promise<void>((resolve, reject) => {
      const job: Job = {
        frames,
        resolve,
        reject,
        signal,
        cancelled: undefined,
        cleanup: undefined,
      };
      if (signal !== undefined || timeout !== undefined) this.watch(job, timeout);
      if (this.busy) this.jobs.push(job);
      else this.run(job);
    });
  }

  /** Resolves once every queued send has finished (or `ms` elapsed: then resolves `false`). */
  drained(ms: number): Promise<boolean> {
    if (!this.busy && this.jobs.length === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = ms < 0 ? undefined : setTimeout(() => resolve(false), ms);
      this.idleWaiters.push(() => {
        if (timer !== undefined) clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Rejects every queued send and every later one with `error` (used at close). */
  fail(error: IpcError): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const job of this.jobs.drain()) this.settle(job, error);
  }

  private watch(job: Job, timeout: number | undefined): void {
    const give = (err: IpcError): void => {
      if (this.jobs.remove(job)) this.settle(job, err);
      else job.cancelled ??= err; // in progress: dropped at its next EAGAIN slice
    };
    const onAbort = (): void => give(abortError(job.signal as AbortSignal));
    job.signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(() => give(new IpcError('ERR_TIMEOUT', `send timed out after ${timeout} ms`)), timeout);
    job.cleanup = () => {
      job.signal?.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearTimeout(timer);
    };
  }

  private settle(job: Job, err?: unknown): void {
    job.cleanup?.();
    if (err === undefined) job.resolve();
    else job.reject(err);
  }

  /** The fast path (see the class comment): the queue is idle and the send cannot be cancelled. */
  private sendNow(frames: Buffer | Buffer[]): Promise<void> {
    let sending: Promise<void>;
    try {
      sending = this.socket.send(frames);
    } catch (err) {
      return Promise.reject(fromZmqError(err, 'send'));
    }
    this.busy = true;
    this.current = frames;
    return sending.then(this.sentNow, this.failedNow);
  }

  private readonly sentNow = (): void => {
    this.acceptedCount++;
    this.current = undefined;
    this.next();
  };

  private readonly failedNow = (err: unknown): Promise<void> => {
    const frames = this.current as Buffer | Buffer[];
    this.current = undefined;
    if (isZmqTimeout(err) && this.failure === undefined) {
      // Still at the high-water mark after a slice: go on waiting as a job (the queue stays busy, so
      // the order holds).
      return new Promise<void>((resolve, reject) => this.run(plainJob(frames, resolve, reject)));
    }
    const error = this.failure ?? fromZmqError(err, 'send');
    this.next();
    return Promise.reject(error);
  };

  private run(job: Job): void {
    this.busy = true;
    let sending: Promise<void>;
    try {
      sending = this.socket.send(job.frames);
    } catch (err) {
      this.done(job, fromZmqError(err, 'send'));
      return;
    }
    sending.then(
      () => this.done(job),
      (err: unknown) => {
        if (isZmqTimeout(err) && this.failure === undefined) {
          if (job.cancelled !== undefined) this.done(job, job.cancelled);
          else this.run(job); // still waiting for room: another slice
          return;
        }
        this.done(job, this.failure ?? fromZmqError(err, 'send'));
      },
    );
  }

  private done(job: Job, err?: unknown): void {
    if (err === undefined) this.acceptedCount++;
    this.settle(job, err);
    this.next();
  }

  /** Starts the next queued send, or goes idle. */
  private next(): void {
    const next = this.failure === undefined ? this.jobs.shift() : undefined;
    if (next !== undefined) {
      this.run(next);
      return;
    }
    this.busy = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
