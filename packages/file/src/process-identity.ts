import { readFileSync } from 'node:fs';

/**
 * Who a process is, in a form that survives pid reuse: `<pid>-<start>` where `start` is the process
 * start time in clock ticks since boot (field 22 of `/proc/<pid>/stat`, `starttime`), or `0` where
 * `/proc` is missing (then only the pid is checked).
 */
export interface ProcessIdentity {
  /** The process id. */
  readonly pid: number;
  /** The start time in clock ticks since boot, or 0 when unknown. */
  readonly start: number;
}

/** Reads a process's start time from `/proc/<pid>/stat`; undefined when the process does not exist. */
export function processStartTime(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT' || (err as { code?: unknown }).code === 'ESRCH') {
      return undefined;
    }
    // No /proc at all (not Linux): fall back to "alive, start unknown" when the pid exists.
    return pidExists(pid) ? 0 : undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[19]); // field 22 overall; fields[0] is field 3 (state)
  return Number.isFinite(start) ? start : 0;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: unknown }).code === 'EPERM';
  }
}

let self: ProcessIdentity | undefined;

/** This process's identity (computed once). */
export function selfIdentity(): ProcessIdentity {
  self ??= { pid: process.pid, start: processStartTime(process.pid) ?? 0 };
  return self;
}

/** `<pid>-<start>`: the text form used in file names and database columns. */
export function formatIdentity(id: ProcessIdentity): string {
  return `${id.pid}-${id.start}`;
}

/** Parses `<pid>-<start>` (the start of a longer name is fine); undefined when it is not one. */
export function parseIdentity(text: string): ProcessIdentity | undefined {
  const match = /^(\d+)-(\d+)/.exec(text);
  if (match === null) return undefined;
  return { pid: Number(match[1]), start: Number(match[2]) };
}

/**
 * Whether the process is still running: the pid exists and, where both start times are known,
 * it started at the same tick (so a reused pid is not mistaken for the dead process).
 */
export function isProcessAlive(id: ProcessIdentity): boolean {
  const start = processStartTime(id.pid);
  if (start === undefined) return false;
  return id.start === 0 || start === 0 || start === id.start;
}
