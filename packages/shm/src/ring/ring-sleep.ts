import type { WaitResult } from '@ipc/core';
import { futexSleep } from '../futex-sleep.js';
import { futexWake } from '../futex.js';
import { Spinner } from '../spinner.js';
import { BellRinger, Doorbell, removeDoorbell } from './doorbell.js';
import {
  ASLEEP_BELL,
  ASLEEP_FUTEX,
  R_ASLEEP,
  R_BELL_FAILED,
  R_BELL_ID,
  R_POS,
  R_RINGS_BELLS,
  W_ASLEEP,
  W_BELL_FAILED,
  W_BELL_ID,
  W_POS,
  W_RINGS_BELLS,
  type Ring,
  type RingSide,
} from './ring.js';

/** How long one sleep of a ring end lasts before it re-checks its peer's liveness, in ms. */
export const SLEEP_SLICE_MS = 100;

/**
 * The spinner of a ring end's waits (a receive for data, a send for room). No back-off when
 * preempted: measured, it made the channel slower on a loaded machine (its spin right after waking the
 * peer is what keeps two busy peers from waking each other in turn); the oversubscription rule stays.
 */
export function ringSpinner(spinMicros: number): Spinner {
  return new Spinner(spinMicros, undefined, false);
}

/** The header words of one way of waiting on a ring: a reader for data, or a writer for room. */
export interface SleepWords {
  /** Who sleeps. */
  readonly side: RingSide;
  /** Its flag: 0 awake, `ASLEEP_FUTEX` or `ASLEEP_BELL`. */
  readonly asleep: number;
  /** The word its futex sleep watches (the other side's position). */
  readonly futexWord: number;
  /** Its doorbell's id. */
  readonly bellId: number;
  /** Set by the other side when it rings doorbells. */
  readonly ringsBells: number;
  /** Set by the other side when it failed to ring the doorbell. */
  readonly bellFailed: number;
}

/** A reader waiting for data: woken by the writer's publish. */
export const READER_SLEEP: SleepWords = {
  side: 'reader',
  asleep: R_ASLEEP,
  futexWord: W_POS,
  bellId: R_BELL_ID,
  ringsBells: W_RINGS_BELLS,
  bellFailed: W_BELL_FAILED,
};

/** A writer waiting for room: woken by the reader's consume. */
export const WRITER_SLEEP: SleepWords = {
  side: 'writer',
  asleep: W_ASLEEP,
  futexWord: R_POS,
  bellId: W_BELL_ID,
  ringsBells: R_RINGS_BELLS,
  bellFailed: R_BELL_FAILED,
};

/**
 * The sleeping end of one way of waiting on a ring ({@link READER_SLEEP} or {@link WRITER_SLEEP}): it
 * sleeps by its {@link Doorbell} when the other end rings doorbells (made at its first sleep), else on
 * the futex, after raising its flag so that the other end wakes it ({@link RingWake}).
 */
export class RingSleep {
  private bell: Doorbell | undefined;
  private noBell = false; // a doorbell cannot be made here: the futex

  constructor(
    private readonly ring: Ring,
    private readonly words: SleepWords,
    /** The doorbell's permission bits (the segment's). */
    private readonly bellMode: () => number,
    /** Whether the channel closed (no doorbell is made then). */
    private readonly isClosed: () => boolean,
  ) {}

  /**
   * Raises the flag, then — if `blocked()` still holds (looked at after the flag is up, so that a
   * wake-up in between is not lost) — sleeps until woken (`'ok'`), `ms` pass (`'timed-out'`) or
   * `signal` fires (rejects with `ERR_ABORTED`); `'not-equal'` when it did not sleep.
   */
  async sleep(blocked: () => boolean, ms: number, signal: AbortSignal | undefined): Promise<WaitResult> {
    const { h } = this.ring;
    const words = this.words;
    const bell = this.doorbell();
    const seen = Atomics.load(h, words.futexWord);
    Atomics.store(h, words.asleep, bell ? ASLEEP_BELL : ASLEEP_FUTEX);
    try {
      if (!blocked()) return 'not-equal';
      return await (bell ? bell.wait(ms, signal) : futexSleep(h, words.futexWord, seen, ms, signal));
    } finally {
      Atomics.store(h, words.asleep, 0);
    }
  }

  /** Ends a sleep now (at close: the sleeper then sees the channel closed). */
  interrupt(): void {
    this.bell?.interrupt();
    futexWake(this.ring.h, this.words.futexWord);
  }

  /** Closes and removes the doorbell (at close, once nothing sleeps). */
  close(): void {
    this.bell?.close();
  }

  /** The doorbell to sleep by, undefined for the futex (see the class doc). */
  private doorbell(): Doorbell | undefined {
    const { h } = this.ring;
    const words = this.words;
    if (Atomics.load(h, words.ringsBells) !== 1 || Atomics.load(h, words.bellFailed) !== 0) return undefined;
    if (this.bell === undefined && !this.noBell && !this.isClosed()) {
      // The id goes into the ring before the FIFO is made: killed in between, this process leaves
      // nothing its peer (or `cleanupStale`) cannot find.
      this.bell = Doorbell.create(this.bellMode(), {
        claim: (id) => {
          Atomics.store(h, words.bellId, id);
          return true;
        },
        release: (id) => void Atomics.compareExchange(h, words.bellId, id, 0),
      });
      if (this.bell === undefined) this.noBell = true;
    }
    return this.bell;
  }
}

/** The waking end of one way of waiting on a ring: wakes the sleeper however it sleeps. */
export class RingWake {
  private readonly ringer = new BellRinger();

  constructor(
    private readonly ring: Ring,
    private readonly words: SleepWords,
  ) {}

  /**
   * Wakes the sleeper if its flag is up; the first end to clear the flag wakes it, so there is one
   * wake-up per sleep. True when it woke it.
   */
  wake(): boolean {
    const { h } = this.ring;
    const flag = this.words.asleep;
    const asleep = Atomics.load(h, flag);
    if (asleep === 0 || Atomics.compareExchange(h, flag, asleep, 0) !== asleep) return false;
    if (asleep === ASLEEP_BELL) this.ringBell();
    else futexWake(h, this.words.futexWord);
    return true;
  }

  /** Wakes the sleeper whatever its flag says (at close: it then sees this end closed), and closes the doorbell. */
  wakeAtClose(): void {
    if (Atomics.load(this.ring.h, this.words.asleep) === ASLEEP_BELL) this.ringBell();
    futexWake(this.ring.h, this.words.futexWord);
    this.ringer.close();
  }

  /** Rings the doorbell; where that fails, tells the sleeper to sleep on the futex from now on, and wakes it there. */
  private ringBell(): void {
    const { h } = this.ring;
    const words = this.words;
    if (this.ringer.ring(this.ring.pid(words.side), Atomics.load(h, words.bellId))) return;
    Atomics.store(h, words.bellFailed, 1);
    futexWake(h, words.futexWord);
  }
}

/**
 * Removes the doorbell of the sleeper of `words` on `ring` if its process died (it could not remove it
 * itself): called by the surviving end when it finds its peer dead, and at its close.
 */
export function removeDeadPeerBell(ring: Ring, words: SleepWords): void {
  const pid = ring.pid(words.side);
  const id = Atomics.load(ring.h, words.bellId);
  if (id === 0 || pid === 0 || pid === process.pid || ring.gone(words.side, true) !== 'dead') return;
  removeDoorbell(pid, id);
}
