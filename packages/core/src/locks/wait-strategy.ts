/** The outcome of one {@link WaitStrategy.wait}. */
export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

/**
 * How a lock waits for a 32-bit word to change and wakes waiters, and who is alive: the part of the
 * locking primitives that depends on what the memory is shared between. {@link atomicsWaitStrategy}
 * serves worker threads of one process; `@ipc/shm` supplies a cross-process (futex) one.
 */
export interface WaitStrategy {
  /** A name for messages (`atomics`, `futex`). */
  readonly name: string;
  /** This participant's id as stored in a lock's owner word: a positive 31-bit integer. */
  readonly selfId: number;
  /** Whether the participant `id` still exists (a dead owner's lock is recovered). */
  isAlive(id: number): boolean;
  /**
   * Waits until `array[index]` may have changed from `expected`: resolves `'not-equal'` at once if it
   * already differs, `'ok'` when woken, `'timed-out'` after `timeoutMs` (undefined: no limit).
   * Must not block the event loop. Spurious `'ok'` results are allowed: callers re-check.
   */
  wait(array: Int32Array, index: number, expected: number, timeoutMs?: number): Promise<WaitResult>;
  /** Wakes up to `count` waiters on `array[index]` (default: all); returns how many were woken, if known. */
  notify(array: Int32Array, index: number, count?: number): number;
}
