import { readFileSync } from 'node:fs';

/**
 * The start time of process `pid` in clock ticks since boot (field 22 of `/proc/<pid>/stat`), or
 * undefined when there is no such process or it is a zombie (dead, not yet reaped). Together with the
 * pid it names one process for good: a reused pid has a later start time.
 */
export function processStartTime(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  if (state === 'Z' || state === 'X' || state === 'x') return undefined;
  const start = Number(fields[19]);
  return Number.isFinite(start) ? start : undefined;
}

let selfStart: number | undefined;

/** This process's start time (see {@link processStartTime}), read once. */
export function selfStartTime(): number {
  selfStart ??= processStartTime(process.pid) ?? 0;
  return selfStart;
}

/** Whether the process `pid` that started at `startTime` still runs (not a zombie, not a reused pid). */
export function isProcessAlive(pid: number, startTime: number): boolean {
  return pid > 0 && processStartTime(pid) === startTime;
}
