import { IpcError } from '../errors.js';
import { atomicsWaitStrategy } from './atomics-wait-strategy.js';
import type { WaitStrategy } from './wait-strategy.js';

/** Options shared by every locking primitive. */
export interface LockOptions {
  /** How to wait and wake; default {@link atomicsWaitStrategy} (worker threads of one process). */
  strategy?: WaitStrategy | undefined;
  /** The first `Int32Array` element the primitive uses (default 0). */
  index?: number | undefined;
}

/** Checks that `array` has `words` elements from `index` on, and returns the strategy to use. */
export function lockMemory(
  array: Int32Array,
  words: number,
  options: LockOptions,
): { index: number; strategy: WaitStrategy } {
  if (!(array instanceof Int32Array)) {
    throw new IpcError('ERR_INVALID_ARGUMENT', 'a lock needs an Int32Array over shared memory');
  }
  const index = options.index ?? 0;
  if (!Number.isInteger(index) || index < 0 || index + words > array.length) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `a lock needs ${words} Int32 elements from index ${index}, the array has ${array.length}`,
    );
  }
  return { index, strategy: options.strategy ?? atomicsWaitStrategy() };
}

/** A new zeroed `Int32Array` of `words` elements over a `SharedArrayBuffer`. */
export function sharedWords(words: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(words * 4));
}
