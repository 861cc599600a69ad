import { checkTimeout, IpcError, throwIfAborted } from '@ipc/core';

/** How often a waiting call re-checks that the processes it depends on are alive, in ms. */
export const LIVENESS_MS = 100;

/**
 * Checks the `signal` and `timeout` of a call that may wait (`ERR_ABORTED`, `ERR_INVALID_ARGUMENT`)
 * and returns its deadline (`Date.now()` based), or undefined without a timeout.
 */
export function deadlineOf(options: {
  signal?: AbortSignal | undefined;
  timeout?: number | undefined;
}): number | undefined {
  throwIfAborted(options.signal);
  const { timeout } = options;
  checkTimeout(timeout);
  return timeout === undefined ? undefined : Date.now() + timeout;
}

/** The `ERR_TIMEOUT` of a wait given `timeout` ms. */
export function timedOut(timeout: number | undefined): IpcError {
  return new IpcError('ERR_TIMEOUT', `timed out after ${String(timeout)} ms`);
}
