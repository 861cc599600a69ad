import type { WaitOptions } from '../abort.js';
import { IpcError } from '../errors.js';
import { lockMemory, sharedWords, type LockOptions } from './lock-memory.js';
import type { WaitStrategy } from './wait-strategy.js';
import { waitUntil } from './wait-until.js';

/**
 * A reusable barrier for `parties` participants in three Int32 words of shared memory (arrived,
 * generation, parties): each `wait` resolves when all have arrived.
 */
export class Barrier {
  /** The Int32 elements a barrier occupies. */
  static readonly WORDS = 3;
  private readonly index: number;
  private readonly strategy: WaitStrategy;

  /**
   * @param array - shared memory holding the state, prepared by {@link Barrier.init} or {@link Barrier.create}
   * @param options - wait strategy and index
   */
  constructor(
    readonly array: Int32Array,
    options: LockOptions = {},
  ) {
    ({ index: this.index, strategy: this.strategy } = lockMemory(array, Barrier.WORDS, options));
    if (Atomics.load(array, this.index + 2) <= 0) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        'the barrier memory is not initialised: use Barrier.init first',
      );
    }
  }

  /** Prepares `array` (at `index`) for a barrier of `parties` participants. */
  static init(array: Int32Array, parties: number, index = 0): void {
    if (!Number.isInteger(parties) || parties < 1) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `a barrier needs at least one party, got ${String(parties)}`,
      );
    }
    Atomics.store(array, index, 0);
    Atomics.store(array, index + 2, parties);
  }

  /** A barrier for `parties` participants over a new `SharedArrayBuffer`. */
  static create(parties: number, options: Omit<LockOptions, 'index'> = {}): Barrier {
    const array = sharedWords(Barrier.WORDS);
    Barrier.init(array, parties);
    return new Barrier(array, options);
  }

  /** How many participants the barrier waits for. */
  get parties(): number {
    return Atomics.load(this.array, this.index + 2);
  }

  /**
   * Arrives and waits for the others. Resolves `true` for exactly one participant of each round
   * (the last to arrive), `false` for the rest. A timed-out or aborted wait leaves the barrier
   * counting this arrival, like Python's broken barrier: make a new one after a failure.
   */
  async wait(options: WaitOptions = {}): Promise<boolean> {
    const a = this.array;
    const gen = this.index + 1;
    const generation = Atomics.load(a, gen);
    const arrived = Atomics.add(a, this.index, 1) + 1;
    if (arrived >= this.parties) {
      Atomics.store(a, this.index, 0);
      Atomics.add(a, gen, 1);
      this.strategy.notify(a, gen);
      return true;
    }
    await waitUntil(
      this.strategy,
      a,
      gen,
      () => (Atomics.load(a, gen) !== generation ? true : undefined),
      options,
    );
    return false;
  }
}
