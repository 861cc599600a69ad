import type { IOType, StdioNull, StdioPipe } from 'node:child_process';
import type { Stream } from 'node:stream';
import { IpcError } from '@ipc/core';

/** One entry of Node's `stdio` option (see `child_process.spawn`). */
export type StdioEntry = IOType | 'ipc' | Stream | number | null | undefined | StdioNull | StdioPipe;

/** The `stdio` option of {@link spawnChannel}: Node's, for the descriptors other than the channel's. */
export type StdioOption = IOType | readonly StdioEntry[];

/** The default channel descriptor in the child: 3, the first one after stdin, stdout and stderr. */
export const DEFAULT_CHANNEL_FD = 3;

/** Checks a channel `fd` option (an integer ≥ 3) and applies the default. */
export function checkChannelFd(fd: number | undefined): number {
  if (fd === undefined) return DEFAULT_CHANNEL_FD;
  if (!Number.isSafeInteger(fd) || fd < 3 || fd > 1023) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `fd must be an integer from 3 to 1023 (0-2 are stdin, stdout, stderr), got ${String(fd)}`,
    );
  }
  return fd;
}

/**
 * Node's `stdio` array with the channel's descriptor added as `'pipe'` (a Unix socketpair):
 * the caller's entries for 0, 1, 2 and any others kept, gaps up to `fd` filled with `'ignore'`.
 * Default for 0-2: `'inherit'`, like `child_process.fork`.
 */
export function stdioWithChannel(stdio: StdioOption | undefined, fd: number): StdioEntry[] {
  let entries: StdioEntry[];
  if (stdio === undefined) entries = ['inherit', 'inherit', 'inherit'];
  else if (typeof stdio === 'string') entries = [stdio, stdio, stdio];
  else if (Array.isArray(stdio)) entries = [...(stdio as StdioEntry[])];
  else throw new IpcError('ERR_INVALID_ARGUMENT', 'stdio must be a string or an array');
  for (let i = 0; i < 3; i++) entries[i] ??= 'inherit';
  const taken = entries[fd];
  if (taken !== undefined && taken !== null && taken !== 'ignore') {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `stdio[${fd}] is the channel's descriptor; choose another fd or leave that entry out`,
    );
  }
  for (let i = 3; i < fd; i++) entries[i] ??= 'ignore';
  entries[fd] = 'pipe';
  return entries;
}
