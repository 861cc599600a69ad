import { abortError, type WaitResult } from '@ipc/core';
import { futexWaitAsync } from './futex.js';

/**
 * {@link futexWaitAsync} that `signal` can cut short: sleeps until `array[index]` may have changed
 * from `seen`, `ms` pass (undefined: no limit), or `signal` fires — then it rejects with
 * `ERR_ABORTED`. The sleep of every waiting call of the @ipc shared-memory transports (the ring
 * channel, the queue): callers re-check their condition after it, as after any futex wait.
 */
export async function futexSleep(
  array: Int32Array,
  index: number,
  seen: number,
  ms: number | undefined,
  signal: AbortSignal | undefined,
): Promise<WaitResult> {
  if (!signal) return futexWaitAsync(array, index, seen, ms);
  if (signal.aborted) throw abortError(signal);
  let onAbort!: () => void;
  const aborted = new Promise<WaitResult>((resolve) => (onAbort = () => resolve('ok')));
  signal.addEventListener('abort', onAbort, { once: true });
  let result: WaitResult;
  try {
    result = await Promise.race([futexWaitAsync(array, index, seen, ms), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (signal.aborted) throw abortError(signal);
  return result;
}
