import { throwIfAborted, type WaitResult } from '@ipc/core';
import { futexSleep, Spinner, type Doorbell } from '@ipc/shm';
import type { QueueBells } from './queue-bells.js';
import type { ProcessTable } from './process-table.js';
import { LIVENESS_MS, timedOut } from './queue-deadline.js';
import {
  armToken,
  W_CONSUMERS_ARMED,
  W_HAD_RECEIVER,
  W_NOT_EMPTY,
  W_NOT_FULL,
  W_PRODUCERS_ARMED,
} from './queue-layout.js';
import { needsWatch, recover, recoverDead } from './queue-recovery.js';
import type { QueueRing } from './queue-ring.js';
import type { QueueTaker, TakeResult } from './queue-take.js';

/** A message taken from the ring. */
export type Taken = Extract<TakeResult, { kind: 'message' }>;

/** What a waiting put or get is given: its abort signal, its timeout (for the error) and deadline. */
export interface WaitFor {
  readonly signal: AbortSignal | undefined;
  readonly timeout: number | undefined;
  readonly deadline: number | undefined;
  /** Throws when the call must end: `ERR_CLOSED` (the handle closed), `ERR_ABORTED`. */
  readonly checkOpen: () => void;
}

/**
 * The slow paths of a queue handle's put and get: when the ring is full (or empty) they spin
 * briefly (an adaptive budget, see `Spinner` in `@ipc/shm`: none on an oversubscribed machine),
 * then sleep — on their process's doorbell (see `QueueBells`), or on the `W_NOT_FULL` (`W_NOT_EMPTY`)
 * futex counter — after arming the producers' (consumers') flag, so that whoever frees room (puts a
 * message) wakes them; a sleep that times out checks on other processes and recovers what dead ones
 * hold.
 */
export class QueueWaiter {
  private readonly putSpin: Spinner;
  private readonly takeSpin: Spinner;
  private readonly bells: QueueBells;

  constructor(
    private readonly ring: QueueRing,
    private readonly taker: QueueTaker,
    private readonly table: ProcessTable,
    spinMicros: number,
  ) {
    this.putSpin = new Spinner(spinMicros);
    this.takeSpin = new Spinner(spinMicros);
    this.bells = table.bells;
  }

  /** Puts `bytes`, waiting for room. */
  async put(bytes: Uint8Array, wait: WaitFor): Promise<void> {
    const ring = this.ring;
    const i32 = ring.i32;
    const check = checkerOf(wait);
    const spinner = this.putSpin;
    let slept = false;
    for (;;) {
      check();
      let r = ring.put(bytes);
      if (r === 'locked') {
        await ring.tailLock.acquire(check);
        r = ring.putLocked(bytes);
      }
      if (r === 'ok') {
        if (slept) spinner.arrived();
        return;
      }
      if (spinner.enabled && spinner.spin(() => !ring.full())) continue;
      // Read the counter, then arm, then look again: a consumer that frees room after the look sees
      // the flag and bumps the counter (a notifier clears only the arming it saw, after waking).
      const seen = Atomics.load(i32, W_NOT_FULL);
      const bell = this.bells.asleep('put');
      let woken: WaitResult;
      try {
        Atomics.store(i32, W_PRODUCERS_ARMED, armToken(seen));
        const again = ring.put(bytes);
        if (again === 'ok') return;
        if (again === 'locked') continue;
        woken = await this.sleep(bell, W_NOT_FULL, seen, this.sleepMs(wait, LIVENESS_MS), wait.signal);
      } finally {
        if (bell) this.bells.awake('put');
      }
      slept = true;
      if (woken === 'timed-out') {
        // Room may be held by a dead consumer (a take it never finished, a delivery never acked).
        if (ring.stuckAtReclaim()) recover(ring);
        if (Atomics.load(i32, W_HAD_RECEIVER) !== 0) this.table.sweep();
      }
    }
  }

  /**
   * Takes a message (`visibility`: with ack, see `QueueTaker.take`), waiting for one; `streamEnd`
   * gives the error that ends the wait once the queue is drained (every sender closed), if any.
   */
  async take(
    visibility: number | undefined,
    streamEnd: () => Error | undefined,
    wait: WaitFor,
  ): Promise<Taken> {
    const ring = this.ring;
    const taker = this.taker;
    const i32 = ring.i32;
    const check = checkerOf(wait);
    const spinner = this.takeSpin;
    let slept = false;
    for (;;) {
      check();
      const ended = streamEnd();
      let r = taker.take(visibility);
      if (r.kind === 'locked') {
        await ring.headLock.acquire(check);
        r = taker.takeLocked(visibility);
      }
      if (r.kind === 'message') {
        if (slept) spinner.arrived();
        return r;
      }
      if (ended) throw ended;
      // A head record being written: spin for its commit, not for "work" (which it is already).
      const position = r.kind === 'writing' ? r.position : undefined;
      const ready = position === undefined ? () => ring.hasWork() : () => ring.hasWorkPastWriting(position);
      if (spinner.enabled && spinner.spin(ready)) continue;
      // Read the counter, then arm, then look again (see put).
      const seen = Atomics.load(i32, W_NOT_EMPTY);
      const bell = this.bells.asleep('get');
      let woken: WaitResult;
      try {
        Atomics.store(i32, W_CONSUMERS_ARMED, armToken(seen));
        const again = taker.take(visibility);
        if (again.kind === 'message') return again;
        if (again.kind === 'locked') continue;
        const ms = this.sleepMs(wait, needsWatch(ring, this.table, again) ? LIVENESS_MS : undefined);
        woken = await this.sleep(bell, W_NOT_EMPTY, seen, ms, wait.signal);
      } finally {
        if (bell) this.bells.awake('get');
      }
      slept = true;
      if (woken === 'timed-out') recoverDead(ring, this.table);
    }
  }

  /**
   * Sleeps on this process's doorbell when it has one (`bell`), else on the futex counter `word`
   * (woken when it is no longer `seen`): at most `ms` (undefined: no limit).
   */
  private sleep(
    bell: Doorbell | undefined,
    word: number,
    seen: number,
    ms: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<WaitResult> {
    if (bell) return this.bells.sleep(bell, ms, signal);
    return futexSleep(this.ring.i32, word, seen, ms, signal);
  }

  /** How long the next sleep may last: up to the deadline (`ERR_TIMEOUT` once passed) and `watchMs`. */
  private sleepMs(wait: WaitFor, watchMs: number | undefined): number | undefined {
    if (wait.deadline === undefined) return watchMs;
    const left = wait.deadline - Date.now();
    if (left <= 0) throw timedOut(wait.timeout);
    return watchMs === undefined ? left : Math.min(watchMs, left);
  }
}

/** The check a waiting call makes after every wake-up: the handle still open, the call not aborted. */
function checkerOf(wait: WaitFor): () => void {
  return () => {
    wait.checkOpen();
    throwIfAborted(wait.signal);
  };
}
