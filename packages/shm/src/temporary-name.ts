/**
 * Names in `/dev/shm` that belong to one process for as long as it runs: a segment being made (before
 * it is linked under its own name) and a ring's doorbells. `.ipc-shm-<pid>-<tail>`: the pid is all
 * `cleanupStale` needs to remove it once that process is gone.
 */
const TEMPORARY = /^\.ipc-shm-(\d+)-/;

/** The temporary name `tail` of the process `pid`. */
export function temporaryName(pid: number, tail: string): string {
  return `.ipc-shm-${pid}-${tail}`;
}

/** The pid a temporary name belongs to, or undefined when `name` is not a temporary. */
export function temporaryOwner(name: string): number | undefined {
  const match = TEMPORARY.exec(name);
  return match ? Number(match[1]) : undefined;
}
