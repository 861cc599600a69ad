import type { WaitOptions } from '../abort.js';
import { IpcError } from '../errors.js';
import { lockMemory, sharedWords, type LockOptions } from './lock-memory.js';
import type { WaitStrategy } from './wait-strategy.js';
import { waitUntil } from './wait-until.js';

/** A held lock: release it with `release()` or let `using` do it. */
export interface MutexGuard extends Disposable {
  /** Releases the lock (once; later calls do nothing). */
  release(): void;
}

/**
 * A mutual-exclusion lock whose state is two Int32 words (owner id, waiter count) in shared memory,
 * so that threads (or, with `@ipc/shm`'s strategy, processes) share it. The owner's id is recorded:
 * when the owner died holding the lock, the next `acquire` rejects once with `ERR_OWNER_DEAD` and
 * frees the lock, and the one after succeeds. Not re-entrant.
 *
 * @example
 * ```ts
 * const mutex = Mutex.create();           // or new Mutex(int32ArrayOverSharedMemory)
 * { using _lock = await mutex.acquire({ timeout: 1000 }); /* critical section *\/ }
 * ```
 */
export class Mutex {
  /** The Int32 elements a mutex occupies. */
  static readonly WORDS = 2;
  private readonly index: number;
  private readonly strategy: WaitStrategy;

  /**
   * @param array - shared memory holding the state (zeroed = unlocked)
   * @param options - wait strategy and index
   */
  constructor(
    readonly array: Int32Array,
    options: LockOptions = {},
  ) {
    ({ index: this.index, strategy: this.strategy } = lockMemory(array, Mutex.WORDS, options));
  }

  /** A mutex over a new `SharedArrayBuffer` (pass `mutex.array` to workers). */
  static create(options: Omit<LockOptions, 'index'> = {}): Mutex {
    return new Mutex(sharedWords(Mutex.WORDS), options);
  }

  /** The owner's id, or 0 when unlocked. */
  get owner(): number {
    return Atomics.load(this.array, this.index);
  }

  /** Takes the lock if it is free; never waits. Throws `ERR_OWNER_DEAD` like {@link Mutex.acquire}. */
  tryAcquire(): MutexGuard | undefined {
    const outcome = this.attempt();
    if (outcome === 'dead') throw ownerDead();
    return outcome === 'acquired' ? this.guard() : undefined;
  }

  /**
   * Waits for the lock without blocking the event loop. Rejects with `ERR_TIMEOUT`, `ERR_ABORTED`,
   * or `ERR_OWNER_DEAD` (the owner died holding it; the lock is now free: acquire again).
   */
  async acquire(options: WaitOptions = {}): Promise<MutexGuard> {
    const a = this.array;
    const waiters = this.index + 1;
    Atomics.add(a, waiters, 1);
    let outcome: 'acquired' | 'dead';
    try {
      outcome = await waitUntil(this.strategy, a, this.index, () => this.attempt(), options);
    } finally {
      Atomics.sub(a, waiters, 1);
    }
    if (outcome === 'dead') throw ownerDead();
    return this.guard();
  }

  /** Runs `fn` holding the lock, and releases it afterwards even if `fn` throws. */
  async withLock<R>(fn: () => R | Promise<R>, options?: WaitOptions): Promise<R> {
    using _guard = await this.acquire(options);
    return await fn();
  }

  /** Releases the lock; throws `ERR_NOT_OWNER` when this thread/process does not hold it. */
  release(): void {
    const self = this.strategy.selfId;
    const previous = Atomics.compareExchange(this.array, this.index, self, 0);
    if (previous !== self) {
      throw new IpcError(
        'ERR_NOT_OWNER',
        `release of a mutex held by ${previous === 0 ? 'nobody' : `#${previous}`}`,
      );
    }
    if (Atomics.load(this.array, this.index + 1) > 0) this.strategy.notify(this.array, this.index, 1);
  }

  private attempt(): 'acquired' | 'dead' | undefined {
    const a = this.array;
    const owner = Atomics.compareExchange(a, this.index, 0, this.strategy.selfId);
    if (owner === 0) return 'acquired';
    if (!this.strategy.isAlive(owner) && Atomics.compareExchange(a, this.index, owner, 0) === owner) {
      this.strategy.notify(a, this.index);
      return 'dead';
    }
    return undefined;
  }

  private guard(): MutexGuard {
    let held = true;
    const release = (): void => {
      if (!held) return;
      held = false;
      this.release();
    };
    return { release, [Symbol.dispose]: release };
  }
}

function ownerDead(): IpcError {
  return new IpcError(
    'ERR_OWNER_DEAD',
    'the mutex owner died while holding it; the lock was recovered and is free',
  );
}
