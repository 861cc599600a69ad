import type { WaitOptions } from '../abort.js';
import { lockMemory, sharedWords, type LockOptions } from './lock-memory.js';
import type { WaitStrategy } from './wait-strategy.js';
import { waitUntil } from './wait-until.js';

/** A flag in one Int32 word of shared memory that waiters can wait on (Python's `multiprocessing.Event`). */
export class Event {
  /** The Int32 elements an event occupies. */
  static readonly WORDS = 1;
  private readonly index: number;
  private readonly strategy: WaitStrategy;

  /**
   * @param array - shared memory holding the flag (zero = clear)
   * @param options - wait strategy and index
   */
  constructor(
    readonly array: Int32Array,
    options: LockOptions = {},
  ) {
    ({ index: this.index, strategy: this.strategy } = lockMemory(array, Event.WORDS, options));
  }

  /** An event over a new `SharedArrayBuffer`. */
  static create(options: Omit<LockOptions, 'index'> = {}): Event {
    return new Event(sharedWords(Event.WORDS), options);
  }

  /** Whether the flag is set. */
  get isSet(): boolean {
    return Atomics.load(this.array, this.index) !== 0;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    Atomics.store(this.array, this.index, 1);
    this.strategy.notify(this.array, this.index);
  }

  /** Clears the flag. */
  clear(): void {
    Atomics.store(this.array, this.index, 0);
  }

  /** Resolves once the flag is set (at once if it is); `ERR_TIMEOUT` / `ERR_ABORTED` per the options. */
  async wait(options: WaitOptions = {}): Promise<void> {
    await waitUntil(this.strategy, this.array, this.index, () => (this.isSet ? true : undefined), options);
  }
}
