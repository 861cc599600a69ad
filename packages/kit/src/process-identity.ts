import { existsSync, readFileSync } from 'node:fs';

/**
 * Who a process is, in a form that survives pid reuse: its pid and its start time in clock ticks
 * since boot (field 22 of `/proc/<pid>/stat`, `starttime`). A pid is reused once its process is gone,
 * but the new process starts later, so the pair names one process for good. `start` is `0` when it
 * is unknown (no `/proc`, as on macOS): then only the pid is checked.
 *
 * The transports record it where a process leaves something behind that others must judge after a
 * crash: lock and ring owners and segment creators (@ipc/shm), claimed rows and spool files
 * (@ipc/file), bind folders (@ipc/socket).
 */
export interface ProcessIdentity {
  /** The process id. */
  readonly pid: number;
  /** The start time in clock ticks since boot, or 0 when unknown. */
  readonly start: number;
}

let procChecked: boolean | undefined;

/** Whether this system has a Linux-style `/proc` (read once). */
function hasProc(): boolean {
  procChecked ??= existsSync('/proc/self/stat');
  return procChecked;
}

/**
 * The start time of process `pid` in clock ticks since boot (field 22 of `/proc/<pid>/stat`), or
 * `undefined` when no such process runs — none exists, or it is a zombie (see {@link isProcessAlive}
 * for why a zombie counts as gone). Without `/proc` it is `0` for a pid that exists (start unknown).
 */
export function processStartTime(pid: number): number | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (!hasProc()) return pidExists(pid) ? 0 : undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined; // ENOENT/ESRCH: no such process (it may vanish between open and read)
  }
  // The command name (field 2) is in parentheses and may hold spaces and ')': split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0]; // field 3
  if (state === 'Z' || state === 'X' || state === 'x') return undefined;
  const start = Number(fields[19]); // field 22
  return Number.isSafeInteger(start) ? start : 0;
}

/** `kill(pid, 0)`: the pid exists (`EPERM`: as another user's process). */
function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: unknown }).code === 'EPERM';
  }
}

let self: ProcessIdentity | undefined;

/** This process's identity (read once). */
export function selfIdentity(): ProcessIdentity {
  self ??= { pid: process.pid, start: processStartTime(process.pid) ?? 0 };
  return self;
}

/** This process's start time (see {@link processStartTime}; 0 when unknown), read once. */
export function selfStartTime(): number {
  return selfIdentity().start;
}

/** `<pid>-<start>`: the text form used in file and folder names and database columns. */
export function formatIdentity(id: ProcessIdentity): string {
  return `${id.pid}-${id.start}`;
}

/**
 * Parses `<pid>-<start>` at the start of `text` (a longer name may follow, as in
 * `<pid>-<start>-<rest>`); `undefined` when it is not one.
 */
export function parseIdentity(text: string): ProcessIdentity | undefined {
  const match = /^(\d+)-(\d+)/.exec(text);
  if (match === null) return undefined;
  const pid = Number(match[1]);
  const start = Number(match[2]);
  return Number.isSafeInteger(pid) && Number.isSafeInteger(start) ? { pid, start } : undefined;
}

/**
 * Whether the process `pid` that started at `start` still runs: the pid exists, is not a zombie, and
 * (when both start times are known, not 0) started at that tick, so a reused pid is not mistaken for
 * the process that is gone. This is the one rule every @ipc package judges a crashed owner by.
 *
 * **A zombie is dead.** A zombie has exited; only its exit status waits for its parent to reap it.
 * It runs no code again: it holds no lock it could still release, finishes no write it began, and
 * closes nothing more (the kernel already closed its descriptors and unmapped its memory). Whatever
 * it left — a lock word, a claimed row, a segment, a bind folder — is left for good, so whoever finds
 * it may reclaim it now. Counting it alive would instead make everyone wait on a parent that may
 * never call `wait()` (a parent that ignores its children, or is itself stuck) — a hang that the
 * recorded identity exists to prevent. Reclaiming cannot race with the zombie, which no longer acts.
 *
 * Without `/proc` only the pid is checked (`kill(pid, 0)`), which counts a zombie as alive until it
 * is reaped.
 */
export function isProcessAlive(pid: number, start: number): boolean {
  const now = processStartTime(pid);
  if (now === undefined) return false;
  return start === 0 || now === 0 || now === start;
}
