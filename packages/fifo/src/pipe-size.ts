import { readFileSync } from 'node:fs';
import { IpcError } from '@ipc/core';
import { addon } from './load-addon.js';

/**
 * The kernel buffer this package gives the FIFOs it opens, unless `pipeSize` says otherwise: 1 MiB
 * (Linux's default is 64 KiB, which makes a big message cost 16 wake-ups of each side; 1 MiB is also
 * the default `/proc/sys/fs/pipe-max-size`, the most an unprivileged process may set).
 */
export const DEFAULT_PIPE_SIZE = 1024 * 1024;

/** Checks a `pipeSize` option: `undefined` gives {@link DEFAULT_PIPE_SIZE}; 0 keeps the kernel's size. */
export function checkPipeSize(value: unknown): number {
  if (value === undefined) return DEFAULT_PIPE_SIZE;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `pipeSize must be a whole number of bytes (0 keeps the kernel's default), got ${typeof value === 'number' ? value : typeof value}`,
    );
  }
  return value;
}

let maxSize: number | undefined;

/** `/proc/sys/fs/pipe-max-size`: the largest buffer an unprivileged process may give a pipe. */
function pipeMaxSize(): number {
  if (maxSize === undefined) {
    try {
      maxSize = Number(readFileSync('/proc/sys/fs/pipe-max-size', 'utf8').trim()) || DEFAULT_PIPE_SIZE;
    } catch {
      maxSize = DEFAULT_PIPE_SIZE;
    }
  }
  return maxSize;
}

/**
 * Grows the kernel buffer of the FIFO open at `fd` to `bytes` (at most `pipe-max-size`), never
 * shrinking it. Best effort: without the native addon (not Linux, not built) or when the kernel
 * refuses, the FIFO keeps the size it has — a speed matter only, never an error.
 */
export function growPipe(fd: number, bytes: number): void {
  if (bytes === 0) return;
  const native = addon();
  if (native instanceof IpcError) return;
  try {
    const want = Math.min(bytes, pipeMaxSize());
    if (native.pipeSize(fd) < want) native.setPipeSize(fd, want);
  } catch {
    // EPERM (a lower limit than /proc says, for this user), EBUSY: keep the current size.
  }
}
