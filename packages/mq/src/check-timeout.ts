import { IpcError } from '@ipc/core';

/**
 * Throws `ERR_INVALID_ARGUMENT` unless `timeout` is undefined or a non-negative finite number.
 * (A local copy of core's `checkTimeout`, which `@ipc/core` does not export.)
 */
export function checkTimeout(timeout: number | undefined): void {
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= 0 && Number.isFinite(timeout))) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `timeout must be a non-negative number of ms, got ${String(timeout)}`,
    );
  }
}
