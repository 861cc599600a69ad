import { readFileSync } from 'node:fs';

/**
 * Tells whether a pid is a running (not zombie) process, from /proc/<pid>/stat: a zombie whose parent
 * died may wait for a reaper that a container's pid 1 never is, and kill(pid, 0) still "finds" it.
 */
export function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}
