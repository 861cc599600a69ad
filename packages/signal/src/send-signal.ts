import { IpcError, toIpcError } from '@ipc/core';
import { isProcessAlive } from '@ipc/kit';
import { checkSignalName, type SignalName } from './signal-name.js';

/** Whom to signal: a process id, or a whole process group (`kill(-pgid, sig)`). */
export type SignalTarget = number | { readonly group: number };

function checkPid(pid: unknown, what: string): number {
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) {
    // 0 and negative numbers mean "my group" and "every process I may signal" to kill(2): never by accident.
    throw new IpcError('ERR_INVALID_ARGUMENT', `${what} must be a positive integer, got ${String(pid)}`);
  }
  return pid;
}

/**
 * Sends `signal` to a process or a process group, like `kill(2)`. The name is checked first: an unknown
 * name throws before anything is sent.
 *
 * @param target - a pid, or `{ group: pgid }` for every process of a group (a child spawned with
 *   `detached: true` leads a group whose id is its pid)
 * @param signal - the signal name; default `'SIGTERM'`
 * @throws `ERR_INVALID_ARGUMENT` for an unknown signal name or a pid/pgid that is not a positive integer;
 *   `ERR_NOT_FOUND` when no such process/group exists (`ESRCH`); `ERR_PERMISSION` when it exists but
 *   belongs to someone this process may not signal (`EPERM`).
 * @see https://man7.org/linux/man-pages/man2/kill.2.html
 */
export function sendSignal(target: SignalTarget, signal: SignalName = 'SIGTERM'): void {
  checkSignalName(signal);
  const pid =
    typeof target === 'object' && target !== null
      ? -checkPid((target as { group?: unknown }).group, 'group')
      : checkPid(target, 'pid');
  try {
    process.kill(pid, signal);
  } catch (err) {
    const who = pid < 0 ? `process group ${-pid}` : `process ${pid}`;
    throw toIpcError(err, 'ERR_INTERNAL', `sending ${signal} to ${who}`);
  }
}

/**
 * Tells whether a process still runs: it exists (also as another user's process, `EPERM`) and is not
 * a zombie — one that exited and waits only for its parent to reap it runs no code again, so it
 * counts as gone (@ipc/kit's `isProcessAlive` rule, the one every @ipc package uses). Without
 * `/proc` (not Linux) a zombie counts as alive until it is reaped.
 *
 * @throws `ERR_INVALID_ARGUMENT` when `pid` is not a positive integer.
 */
export function isAlive(pid: number): boolean {
  checkPid(pid, 'pid');
  try {
    process.kill(pid, 0);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ESRCH') return false;
    if (code !== 'EPERM') throw toIpcError(err, 'ERR_INTERNAL', `probing process ${pid}`);
  }
  return isProcessAlive(pid, 0);
}
