import { readFileSync } from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The private folders `listen` binds a Unix socket in before linking it into place are named
 * `.ipc-<pid>-<start>-XXXXXX`: the creating process's pid and its start time (clock ticks since
 * boot, from `/proc/<pid>/stat`; `0` where there is no `/proc`). A process killed while it listens
 * leaves its folder behind; the next `listen` in the same directory removes those whose creator is
 * gone — the pid no longer runs, or now runs a process that started at another time (a reused
 * pid) — and never one whose creator still runs.
 */
const FOLDER = /^\.ipc-(\d+)-(\d+)-[A-Za-z0-9]{6}$/;

/** The `mkdtemp` prefix of this process's bind folders (`.ipc-<pid>-<start>-`). */
export function bindFolderPrefix(): string {
  return `.ipc-${process.pid}-${startTime(process.pid) ?? 0}-`;
}

/**
 * Removes the bind folders in `dir` left by processes that are gone (see above), when they belong to
 * this user. Errors are ignored: reclaiming is best effort and never stops a `listen`.
 */
export async function reclaimDeadBindFolders(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const match = FOLDER.exec(name);
    if (match === null || isRunning(Number(match[1]), Number(match[2]))) continue;
    const folder = join(dir, name);
    try {
      const info = await lstat(folder);
      if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) continue;
      await rm(folder, { recursive: true, force: true });
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
}

/** Whether `pid` runs and (when `start` is known, not 0) started at `start`. */
function isRunning(pid: number, start: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: it runs (as another user)
  }
  if (start === 0) return true;
  const now = startTime(pid);
  return now === undefined || now === start;
}

/** A process's start time in clock ticks since boot (`/proc/<pid>/stat` field 22), if readable. */
function startTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) is in parentheses and may contain spaces: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const value = Number(fields[19]);
    return Number.isSafeInteger(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
