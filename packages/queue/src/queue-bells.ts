import { BellRinger, Doorbell, removeDoorbell } from '@ipc/shm';
import type { WaitResult } from '@ipc/core';
import { decrementIfPositive } from './decrement-if-positive.js';
import {
  E_GET_BELL,
  E_GET_BELL_FAILED,
  E_GET_SLEEPERS,
  E_PID,
  E_PUT_BELL,
  E_PUT_BELL_FAILED,
  E_PUT_SLEEPERS,
  ENTRY_WORDS,
  TABLE_ENTRIES,
  TABLE_I32,
  W_GET_BELL_SLEEPERS,
  W_NOT_EMPTY,
  W_PUT_BELL_SLEEPERS,
} from './queue-layout.js';

/** Who sleeps: consumers waiting for a message (`'get'`), producers waiting for room (`'put'`). */
export type SleepSide = 'get' | 'put';

/**
 * The longest sleep on a doorbell, in ms, before the sleeper looks again: a ring that failed (its
 * doorbell removed by hand) costs at most this once; the sleeper then goes back to the futex.
 */
const BELL_SLEEP_MS = 1000;

/**
 * This process's doorbells on one queue, and the ringing of the other processes' (see `Doorbell` in
 * `@ipc/shm`): a get or put that sleeps waits for a byte on its process's FIFO, which its event loop
 * polls, instead of a futex — one hop (the notifier's `write(2)` wakes the event loop) instead of two
 * (the futex wakes a waiter thread, which wakes the event loop). On a busy machine every hop waits for
 * a CPU. A process's entry in the process table says its pid, its doorbell ids and how many of its
 * calls sleep on each; whoever wakes a side (after bumping its futex counter, for futex sleepers) rings
 * the doorbell of every entry with sleepers there. All handles of a process on one queue share it.
 */
export class QueueBells {
  readonly #entry: number;
  readonly #bells: Record<SleepSide, Doorbell | undefined | null> = { get: undefined, put: undefined };
  /** One ringer per table entry and side, created on first use (each keeps its FIFO open). */
  readonly #ringers = new Map<number, BellRinger>();

  /**
   * @param i32 - the queue's header words
   * @param entry - this process's entry (its first int32 index)
   * @param mode - the doorbells' permission bits (the segment's)
   */
  constructor(
    private readonly i32: Int32Array,
    entry: number,
    private readonly mode: number,
  ) {
    this.#entry = entry;
  }

  /**
   * Marks one call of this process asleep on `side` and returns how to sleep: on this process's
   * doorbell, or `undefined` — sleep on the futex (no doorbell here, or it failed). The caller calls
   * {@link awake} after the sleep, and must look at the ring once more between the two (after arming).
   */
  asleep(side: SleepSide): Doorbell | undefined {
    const bell = this.#bellOf(side);
    if (bell === undefined) return undefined;
    Atomics.add(this.i32, this.#entry + sleepersWord(side), 1);
    Atomics.add(this.i32, totalWord(side), 1);
    return bell;
  }

  /** Ends a sleep begun with {@link asleep} that returned a doorbell. */
  awake(side: SleepSide): void {
    // Not below 0: a sweep that took this entry for a dead process's may have cleared it meanwhile.
    if (decrementIfPositive(this.i32, this.#entry + sleepersWord(side))) {
      decrementIfPositive(this.i32, totalWord(side));
    }
  }

  /** Sleeps on `bell` for at most `ms` (and {@link BELL_SLEEP_MS}). */
  sleep(bell: Doorbell, ms: number | undefined, signal: AbortSignal | undefined): Promise<WaitResult> {
    return bell.wait(ms === undefined ? BELL_SLEEP_MS : Math.min(ms, BELL_SLEEP_MS), signal);
  }

  /** Rings the doorbell of every process with a call asleep on `side` (this one's directly). */
  ring(side: SleepSide): void {
    const i32 = this.i32;
    let left = Atomics.load(i32, totalWord(side));
    if (left <= 0) return;
    const sleepers = sleepersWord(side);
    const bellWord = bellIdWord(side);
    for (let e = 0; e < TABLE_ENTRIES && left > 0; e++) {
      const at = TABLE_I32 + e * ENTRY_WORDS;
      const asleep = Atomics.load(i32, at + sleepers);
      if (asleep <= 0) continue;
      left -= asleep;
      const id = Atomics.load(i32, at + bellWord);
      const own = this.#bells[side];
      if (own && at === this.#entry && id === own.id) {
        own.interrupt();
        continue;
      }
      const pid = Atomics.load(i32, at + E_PID);
      if (id === 0 || pid === 0 || Atomics.load(i32, at + failedWord(side)) !== 0) continue;
      const key = at * 2 + (side === 'get' ? 0 : 1);
      let ringer = this.#ringers.get(key);
      if (!ringer) this.#ringers.set(key, (ringer = new BellRinger()));
      // A bell that cannot be rung (its process died, or it was removed by hand): its process, if
      // alive, goes back to the futex. Its id stays, for whoever removes a dead process's doorbells.
      if (!ringer.ring(pid, id)) Atomics.store(i32, at + failedWord(side), 1);
    }
  }

  /** Ends the sleeps of this process's calls now (a handle closes: its calls see it). */
  interrupt(): void {
    this.#bells.get?.interrupt();
    this.#bells.put?.interrupt();
  }

  /** Closes this process's doorbells (removing their names) and the ones it had open to ring. */
  close(): void {
    for (const side of ['get', 'put'] as const) {
      const bell = this.#bells[side];
      if (bell) {
        Atomics.compareExchange(this.i32, this.#entry + bellIdWord(side), bell.id, 0);
        bell.close();
      }
      this.#bells[side] = null;
    }
    for (const ringer of this.#ringers.values()) ringer.close();
    this.#ringers.clear();
  }

  /** This process's doorbell for `side`, made on first use; undefined when it cannot be used. */
  #bellOf(side: SleepSide): Doorbell | undefined {
    let bell = this.#bells[side];
    if (bell === null) return undefined;
    const word = this.#entry + bellIdWord(side);
    if (bell === undefined) {
      Atomics.store(this.i32, this.#entry + E_PID, process.pid);
      // The id goes into the entry before the FIFO is made: killed in between, this process leaves
      // nothing a sweep cannot find. A word already set is another thread's of this process (a
      // worker's); then, as where no FIFO can be made, the futex.
      const i32 = this.i32;
      bell = Doorbell.create(this.mode, {
        claim: (id) => Atomics.compareExchange(i32, word, 0, id) === 0,
        release: (id) => void Atomics.compareExchange(i32, word, id, 0),
      });
      this.#bells[side] = bell ?? null;
      return bell;
    }
    if (Atomics.load(this.i32, this.#entry + failedWord(side)) !== 0) {
      // A notifier could not ring it: futex from now on.
      Atomics.compareExchange(this.i32, word, bell.id, 0);
      bell.close();
      this.#bells[side] = null;
      return undefined;
    }
    return bell;
  }
}

/** Removes the doorbells of a dead process's table entry `at` (its calls sleep no more). */
export function removeDeadBells(i32: Int32Array, at: number): void {
  const pid = Atomics.exchange(i32, at + E_PID, 0);
  for (const side of ['get', 'put'] as const) {
    const id = Atomics.exchange(i32, at + bellIdWord(side), 0);
    Atomics.store(i32, at + failedWord(side), 0);
    const asleep = Atomics.exchange(i32, at + sleepersWord(side), 0);
    if (asleep > 0) Atomics.sub(i32, totalWord(side), asleep);
    if (pid !== 0 && id !== 0) removeDoorbell(pid, id);
  }
}

/** Zeroes the doorbell words of table entry `at` (a process takes a fresh entry). */
export function clearBellWords(i32: Int32Array, at: number): void {
  Atomics.store(i32, at + E_PID, 0);
  for (const side of ['get', 'put'] as const) {
    for (const word of [bellIdWord(side), sleepersWord(side), failedWord(side)])
      Atomics.store(i32, at + word, 0);
  }
}

/** The side whose sleepers a futex counter wakes. */
export function sideOf(counterWord: number): SleepSide {
  return counterWord === W_NOT_EMPTY ? 'get' : 'put';
}

function sleepersWord(side: SleepSide): number {
  return side === 'get' ? E_GET_SLEEPERS : E_PUT_SLEEPERS;
}

function bellIdWord(side: SleepSide): number {
  return side === 'get' ? E_GET_BELL : E_PUT_BELL;
}

function failedWord(side: SleepSide): number {
  return side === 'get' ? E_GET_BELL_FAILED : E_PUT_BELL_FAILED;
}

function totalWord(side: SleepSide): number {
  return side === 'get' ? W_GET_BELL_SLEEPERS : W_PUT_BELL_SLEEPERS;
}
