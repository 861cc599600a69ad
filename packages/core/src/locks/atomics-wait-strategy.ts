import { threadId } from 'node:worker_threads';
import { IpcError } from '../errors.js';
import type { WaitResult, WaitStrategy } from './wait-strategy.js';

const MAX_TIMER_MS = 0x7fffffff;

/** Options of {@link atomicsWaitStrategy}. */
export interface AtomicsWaitStrategyOptions {
  /**
   * Tells whether the thread whose id (`threadId + 1`) owns a lock is still alive. Threads of one
   * process cannot be probed from outside, so the default answers `true` (no recovery); pass a
   * function that knows your workers (for example from their `exit` events) to recover their locks.
   */
  isAlive?: (id: number) => boolean;
}

/**
 * The wait strategy for worker threads of one process sharing a `SharedArrayBuffer`:
 * `Atomics.waitAsync` (never blocks the event loop) and `Atomics.notify`. It does not work across
 * processes (V8 keeps waiters per process): use `@ipc/shm`'s strategy there.
 */
export function atomicsWaitStrategy(options: AtomicsWaitStrategyOptions = {}): WaitStrategy {
  const isAlive = options.isAlive ?? (() => true);
  return {
    name: 'atomics',
    selfId: threadId + 1,
    isAlive,
    async wait(array, index, expected, timeoutMs): Promise<WaitResult> {
      if (!(array.buffer instanceof SharedArrayBuffer)) {
        throw new IpcError(
          'ERR_UNSUPPORTED',
          'the atomics wait strategy needs an Int32Array over a SharedArrayBuffer',
        );
      }
      const result = Atomics.waitAsync(array, index, expected, timeoutMs ?? Number.POSITIVE_INFINITY);
      if (!result.async) return result.value;
      // Our own timer bounds the wait (and keeps Node's event loop alive, which a pending waitAsync
      // does not): the wait never depends on V8 firing the waitAsync timeout in this thread.
      return await new Promise<WaitResult>((resolve) => {
        const timer = setTimeout(
          () => resolve('timed-out'),
          Math.min(timeoutMs ?? MAX_TIMER_MS, MAX_TIMER_MS),
        );
        void result.value.then((value) => {
          clearTimeout(timer);
          resolve(value);
        });
      });
    },
    notify: (array, index, count) => Atomics.notify(array, index, count ?? Number.POSITIVE_INFINITY),
  };
}
