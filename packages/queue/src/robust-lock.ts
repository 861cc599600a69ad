import { futexWaitAsync, futexWaitSync, futexWake, type OwnerIds } from '@ipc/shm';

/** Loads of the lock word before sleeping on it. */
const SPIN = 256;
/** Blocking sleeps of at most {@link SLEEP_MS} before {@link RobustLock.tryAcquire} gives up (the caller then waits asynchronously). */
const SYNC_SLEEPS = 4;
const SLEEP_MS = 1;
/** How long an asynchronous acquire sleeps before it checks the holder is alive, in ms. */
const ASYNC_SLICE_MS = 20;

/**
 * A tiny cross-process lock for the queue's critical sections (a few loads and stores, never a wait):
 * the lock word holds the holder's owner id (0 when free), so a holder that died — SIGKILL in the
 * middle of a critical section — is detected and the lock taken over; `onSteal` then repairs what
 * the critical section may have left half-done. Contention is short: spin, then a futex sleep of
 * 1 ms at most, then (rarely: a holder stopped or descheduled) an asynchronous wait that keeps the
 * event loop free.
 */
export class RobustLock {
  constructor(
    private readonly i32: Int32Array,
    private readonly word: number,
    private readonly armedWord: number,
    private readonly ids: OwnerIds,
    private readonly onSteal: () => void,
  ) {}

  /** Takes the lock if it can within about {@link SYNC_SLEEPS} ms; false otherwise (then use {@link acquire}). */
  tryAcquire(): boolean {
    const { i32, word } = this;
    const me = this.ids.selfId;
    if (Atomics.compareExchange(i32, word, 0, me) === 0) return true;
    for (let i = 0; i < SPIN; i++) {
      if (Atomics.load(i32, word) === 0 && Atomics.compareExchange(i32, word, 0, me) === 0) return true;
    }
    for (let sleep = 0; sleep < SYNC_SLEEPS; sleep++) {
      const holder = Atomics.load(i32, word);
      if (holder === 0) {
        if (Atomics.compareExchange(i32, word, 0, me) === 0) return true;
        continue;
      }
      if (sleep > 0 && this.stealIfDead(holder)) return true;
      Atomics.store(i32, this.armedWord, holder);
      futexWaitSync(i32, word, holder, SLEEP_MS);
      if (Atomics.compareExchange(i32, word, 0, me) === 0) return true;
    }
    return false;
  }

  /** Takes the lock, waiting asynchronously; `aborted()` is checked after every wake-up. */
  async acquire(aborted: () => void): Promise<void> {
    const { i32, word } = this;
    for (;;) {
      if (this.tryAcquire()) return;
      aborted();
      const holder = Atomics.load(i32, word);
      if (holder !== 0 && this.stealIfDead(holder)) return;
      Atomics.store(i32, this.armedWord, holder);
      await futexWaitAsync(i32, word, holder, ASYNC_SLICE_MS);
      aborted();
    }
  }

  /**
   * Releases the lock and wakes the waiters if one armed the flag (with the holder it saw) before
   * sleeping: one wake-up per sleep, not one per release while a sleeper is still waking up. A waiter
   * arms, then sleeps only while the word still holds that holder, so a release in between is seen;
   * the flag is cleared after the wake-up and only if unchanged (a releaser killed half-way leaves it).
   */
  release(): void {
    const { i32 } = this;
    Atomics.compareExchange(i32, this.word, this.ids.selfId, 0);
    const armed = Atomics.load(i32, this.armedWord);
    if (armed !== 0) {
      futexWake(i32, this.word);
      Atomics.compareExchange(i32, this.armedWord, armed, 0);
    }
  }

  /** Wakes every local waiter (used on abort and close). */
  wakeAll(): void {
    futexWake(this.i32, this.word);
  }

  private stealIfDead(holder: number): boolean {
    if (this.ids.isAlive(holder)) return false;
    if (Atomics.compareExchange(this.i32, this.word, holder, this.ids.selfId) !== holder) return false;
    this.onSteal();
    return true;
  }
}
