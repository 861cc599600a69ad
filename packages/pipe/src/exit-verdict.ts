import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { IpcError } from '@ipc/core';
import type { ChildExit } from './child-exit.js';

/** `PF_EXITING` in the flags of `/proc/<pid>/stat`: the process has begun to exit. */
const PF_EXITING = 0x4;
/** Where `/proc` cannot be read (not Linux): how long to wait for an exit that may be under way. */
const EXIT_GRACE_MS = 250;

/**
 * What the end of a child's channel between two messages means, from the child's exit status: the
 * `endCheck` of {@link spawnChannel}'s receiver. A child that is still running closed its end itself:
 * a clean end. A child that is exiting (or gone) ended the channel by exiting: a clean end when it
 * exited with code 0, `ERR_PEER_GONE` when a signal killed it or it exited with another code.
 *
 * The kernel closes a dying process's descriptors after it has marked it exiting (`PF_EXITING`), so
 * reading `/proc/<pid>/stat` when the end-of-file arrives tells a crash (exiting) from a close by a
 * running child, without waiting on a timer.
 */
export function exitVerdict(
  child: ChildProcess,
  exited: Promise<ChildExit>,
): () => Promise<IpcError | undefined> {
  return async () => {
    const pid = child.pid;
    if (child.exitCode === null && child.signalCode === null && pid !== undefined) {
      const state = processState(pid);
      if (state === 'running') return undefined;
      if (state === 'unknown') {
        const timer = new Promise<undefined>((resolve) =>
          setTimeout(() => resolve(undefined), EXIT_GRACE_MS).unref(),
        );
        if ((await Promise.race([exited.then(() => true), timer])) === undefined) return undefined;
      }
    }
    let exit: ChildExit;
    try {
      exit = await exited;
    } catch {
      return undefined; // never started: that error reached the channel already
    }
    if (exit.signal !== null) {
      return new IpcError('ERR_PEER_GONE', `the child process was killed by ${exit.signal}`);
    }
    if (exit.code !== 0) {
      return new IpcError('ERR_PEER_GONE', `the child process exited with code ${String(exit.code)}`);
    }
    return undefined;
  };
}

/** Whether `pid` runs, is exiting (or gone), or cannot be told (no `/proc`). */
function processState(pid: number): 'running' | 'exiting' | 'unknown' {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' && hasProc() ? 'exiting' : 'unknown';
  }
  // pid (comm) state ppid pgrp session tty_nr tpgid flags …; comm may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const flags = Number(fields[6]);
  if (state === 'Z' || state === 'X' || state === 'x' || (flags & PF_EXITING) !== 0) return 'exiting';
  return 'running';
}

function hasProc(): boolean {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
}
