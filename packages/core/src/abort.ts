import { IpcError } from './errors.js';

/** Options of every call that can wait. */
export interface WaitOptions {
  /** Cancels the wait; the call then rejects with `ERR_ABORTED`. */
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait at most; the call then rejects with `ERR_TIMEOUT`. Default: no limit. */
  timeout?: number | undefined;
}

/** The `ERR_ABORTED` error for an aborted signal, keeping its reason as `cause`. */
export function abortError(signal: AbortSignal): IpcError {
  return new IpcError('ERR_ABORTED', 'the operation was aborted', { cause: signal.reason });
}

/** Throws `ERR_ABORTED` when `signal` has fired (check it first in every call that can wait). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw abortError(signal);
}

/**
 * Throws `ERR_INVALID_ARGUMENT` unless `value` is undefined or a non-negative finite number of ms —
 * the one check of every duration option in @ipc (`timeout`, a nack's `delay`, a grace period);
 * `name` names the option in the message.
 */
export function checkMs(value: unknown, name: string): asserts value is number | undefined {
  if (value !== undefined && !(typeof value === 'number' && value >= 0 && Number.isFinite(value))) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `${name} must be a non-negative number of ms, got ${typeof value === 'number' ? value : typeof value}`,
    );
  }
}

/** {@link checkMs} for the `timeout` option of a call that can wait. */
export function checkTimeout(timeout: unknown): asserts timeout is number | undefined {
  checkMs(timeout, 'timeout');
}

/**
 * The checks every call that can wait makes first: throws `ERR_ABORTED` when `signal` has fired,
 * `ERR_INVALID_ARGUMENT` for a bad `timeout` (see {@link checkTimeout}).
 */
export function checkWaitOptions(options: WaitOptions): void {
  throwIfAborted(options.signal);
  checkTimeout(options.timeout);
}

/**
 * Races `start(settle)` against `signal` and `timeout`. `start` begins the wait and returns a cancel
 * function that undoes it (removes a waiter, for example); it is called when the wait is abandoned.
 */
export function waitWith<T>(
  options: WaitOptions,
  start: (resolve: (value: T) => void, reject: (err: unknown) => void) => () => void,
): Promise<T> {
  const { signal, timeout } = options;
  try {
    checkWaitOptions(options);
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const cleanup = (): void => {
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const cancel = start(
      (value) => {
        if (done) return;
        cleanup();
        resolve(value);
      },
      (err) => {
        if (done) return;
        cleanup();
        reject(err);
      },
    );
    function onAbort(): void {
      if (done) return;
      cleanup();
      cancel();
      reject(abortError(signal as AbortSignal));
    }
    if (done) return;
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeout !== undefined) {
      timer = setTimeout(() => {
        if (done) return;
        cleanup();
        cancel();
        reject(new IpcError('ERR_TIMEOUT', `timed out after ${timeout} ms`));
      }, timeout);
    }
  });
}
