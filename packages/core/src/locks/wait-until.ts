import { abortError, checkWaitOptions, type WaitOptions } from '../abort.js';
import { IpcError } from '../errors.js';
import type { WaitStrategy } from './wait-strategy.js';

/** A waiting lock re-checks its condition (and its owner's liveness) at least this often, in ms. */
export const RECHECK_MS = 200;

/**
 * Waits until `attempt()` returns a value other than `undefined`, sleeping on `array[index]` while it
 * holds `expected()` between attempts. Honours `signal` (`ERR_ABORTED`) and `timeout` (`ERR_TIMEOUT`).
 * The shared loop of every lock.
 */
export async function waitUntil<T>(
  strategy: WaitStrategy,
  array: Int32Array,
  index: number,
  attempt: () => T | undefined,
  options: WaitOptions = {},
): Promise<T> {
  const { signal, timeout } = options;
  checkWaitOptions(options);
  const first = attempt();
  if (first !== undefined) return first;
  const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeout;
  let onAbort: (() => void) | undefined;
  const aborted =
    signal === undefined
      ? undefined
      : new Promise<'aborted'>((resolve) => {
          onAbort = () => resolve('aborted');
          signal.addEventListener('abort', onAbort, { once: true });
        });
  try {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new IpcError('ERR_TIMEOUT', `timed out after ${String(timeout)} ms`);
      const seen = Atomics.load(array, index);
      const result = attempt();
      if (result !== undefined) return result;
      const waiting = strategy.wait(array, index, seen, Math.min(left, RECHECK_MS));
      const outcome = aborted ? await Promise.race([waiting, aborted]) : await waiting;
      if (outcome === 'aborted') throw abortError(signal as AbortSignal);
      const again = attempt();
      if (again !== undefined) return again;
    }
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
