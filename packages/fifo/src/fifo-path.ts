import { lstat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { IpcError, toIpcError } from '@ipc/core';

/** Throws `ERR_INVALID_ARGUMENT` unless `path` is a non-empty string without NUL bytes. */
export function checkPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
    throw new IpcError('ERR_INVALID_ARGUMENT', 'the FIFO path must be a non-empty string without NUL bytes');
  }
}

/** `lstat(path)`, or `undefined` when nothing is there; other failures as `IpcError`. */
export async function lstatOrNothing(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw toIpcError(err, 'ERR_INTERNAL', `cannot inspect ${path}`);
  }
}

/** A short description of what a non-FIFO file is, for error messages. */
export function describeKind(stat: Stats): string {
  if (stat.isFile()) return 'a regular file';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isSocket()) return 'a socket';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a FIFO';
}
