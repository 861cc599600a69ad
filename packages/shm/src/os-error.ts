import { constants } from 'node:os';
import { IpcError, toIpcError } from '@ipc/core';

const errnoNames = new Map<number, string>(
  Object.entries(constants.errno).map(([name, value]) => [value, name] as const),
);

/**
 * Turns an error thrown by the native addon (`errno` number + `syscall`) or by `node:fs` into an
 * `IpcError` (ENOENT → ERR_NOT_FOUND, EEXIST → ERR_EXISTS, EACCES → ERR_PERMISSION…), prefixed by `context`.
 */
export function osError(err: unknown, context: string): IpcError {
  if (err instanceof IpcError) return err;
  const e = err as { errno?: unknown; code?: unknown; syscall?: unknown; message?: unknown };
  if (typeof e.errno === 'number' && typeof e.code !== 'string') {
    const name = errnoNames.get(e.errno) ?? errnoNames.get(-e.errno);
    if (name !== undefined) {
      return toIpcError(
        { code: name, syscall: e.syscall, message: String(e.message) },
        'ERR_INTERNAL',
        context,
      );
    }
  }
  return toIpcError(err, 'ERR_INTERNAL', context);
}
