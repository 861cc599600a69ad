import type { WaitOptions } from '../abort.js';
import { IpcError } from '../errors.js';
import { lockMemory, sharedWords, type LockOptions } from './lock-memory.js';
import type { WaitStrategy } from './wait-strategy.js';
import { waitUntil } from './wait-until.js';

/**
 * A counting semaphore in two Int32 words of shared memory (count, waiter count). Permits are not
 * owned, so a permit taken by a process that died is not returned: use a {@link Mutex} when that matters.
 */
export class Semaphore {
  /** The Int32 elements a semaphore occupies. */
  static readonly WORDS = 2;
  private readonly index: number;
  private readonly strategy: WaitStrategy;

  /**
   * @param array - shared memory holding the state (the count; set it with `initial` or {@link Semaphore.create})
   * @param options - wait strategy and index
   */
  constructor(
    readonly array: Int32Array,
    options: LockOptions = {},
  ) {
    ({ index: this.index, strategy: this.strategy } = lockMemory(array, Semaphore.WORDS, options));
  }

  /** A semaphore with `permits` permits over a new `SharedArrayBuffer`. */
  static create(permits: number, options: Omit<LockOptions, 'index'> = {}): Semaphore {
    checkCount(permits);
    const s = new Semaphore(sharedWords(Semaphore.WORDS), options);
    Atomics.store(s.array, 0, permits);
    return s;
  }

  /** The permits available now. */
  get value(): number {
    return Atomics.load(this.array, this.index);
  }

  /** Takes a permit if one is free; never waits. */
  tryAcquire(): boolean {
    return this.attempt() === true;
  }

  /** Waits for a permit without blocking the event loop; `ERR_TIMEOUT` / `ERR_ABORTED` per the options. */
  async acquire(options: WaitOptions = {}): Promise<void> {
    const waiters = this.index + 1;
    Atomics.add(this.array, waiters, 1);
    try {
      await waitUntil(this.strategy, this.array, this.index, () => this.attempt(), options);
    } finally {
      Atomics.sub(this.array, waiters, 1);
    }
  }

  /** Returns `count` permits (default 1) and wakes as many waiters. */
  release(count = 1): void {
    checkCount(count);
    Atomics.add(this.array, this.index, count);
    if (Atomics.load(this.array, this.index + 1) > 0) this.strategy.notify(this.array, this.index, count);
  }

  private attempt(): true | undefined {
    const a = this.array;
    for (;;) {
      const v = Atomics.load(a, this.index);
      if (v <= 0) return undefined;
      if (Atomics.compareExchange(a, this.index, v, v - 1) === v) return true;
    }
  }
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `a permit count must be an integer from 0 to 2^31-1, got ${String(n)}`,
    );
  }
}
