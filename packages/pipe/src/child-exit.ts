import type { ChildProcess } from 'node:child_process';
import { IpcError, toIpcError } from '@ipc/core';

/** How a child process ended: its exit code, or the signal that killed it (one of the two is null). */
export interface ChildExit {
  /** The exit code (`0` for success), or `null` when a signal ended the process. */
  code: number | null;
  /** The signal that ended the process (`'SIGKILL'`…), or `null` when it exited by itself. */
  signal: NodeJS.Signals | null;
}

/**
 * A promise of the child's exit. It rejects only when the program could not be started at all
 * (`ERR_NOT_FOUND` for a missing command, `ERR_PERMISSION`…); that rejection is marked handled, so
 * ignoring the promise never crashes the process. Calls `onSpawnError` with the same error.
 */
export function watchExit(child: ChildProcess, onSpawnError: (err: IpcError) => void): Promise<ChildExit> {
  const exited = new Promise<ChildExit>((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (err: NodeJS.ErrnoException) => {
      // An aborted `signal` kills the child: 'exit' follows, so this is not a start failure.
      if (err.name === 'AbortError') return;
      // Failing to kill or to send to a running child is not a start failure either.
      if (child.pid !== undefined) return;
      const error =
        err.code === 'ENOENT'
          ? new IpcError('ERR_NOT_FOUND', `cannot start ${child.spawnfile}: command not found`, {
              cause: err,
              errno: err.code,
              syscall: err.syscall,
            })
          : toIpcError(err, 'ERR_INTERNAL', `cannot start ${child.spawnfile}`);
      onSpawnError(error);
      reject(error);
    });
  });
  exited.catch(() => {});
  return exited;
}
