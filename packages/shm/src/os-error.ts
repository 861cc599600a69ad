import { IpcError, toIpcError } from '@ipc/core';

/**
 * Turns an error thrown by the native addon (`errno` number + `syscall`) or by `node:fs` into an
 * `IpcError` (ENOENT → ERR_NOT_FOUND, EEXIST → ERR_EXISTS, EACCES → ERR_PERMISSION…), prefixed by `context`.
 */
export function osError(err: unknown, context: string): IpcError {
  return toIpcError(err, 'ERR_INTERNAL', context);
}
