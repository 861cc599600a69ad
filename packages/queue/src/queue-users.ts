import { W_UNLINKING } from './queue-layout.js';
import type { QueueSegment } from './queue-segment.js';
import { ProcessTable } from './process-table.js';

/** This process's users of each segment (by device:inode), sharing one process-table entry. */
const users = new Map<string, { refs: number; table: ProcessTable }>();

/**
 * Counts one more handle of this process on `segment` and returns the process table, which enters
 * this process on the first one (all handles of a process on one segment share its entry).
 */
export function enterQueue(segment: QueueSegment): ProcessTable {
  let user = users.get(segment.shm.key);
  if (!user) {
    user = { refs: 0, table: new ProcessTable(segment.i32, segment.ids, segment.shm.mode) };
    users.set(segment.shm.key, user);
  }
  user.refs++;
  user.table.enter();
  return user.table;
}

/**
 * Counts one handle of this process on `segment` less; the last one clears dead processes' entries,
 * leaves the process table, and if no other live process uses the queue, removes its name (once:
 * `W_UNLINKING` elects one closer).
 */
export function leaveQueue(segment: QueueSegment): void {
  const key = segment.shm.key;
  const user = users.get(key);
  if (!user || --user.refs !== 0) return;
  users.delete(key);
  user.table.sweep(); // what dead users left (their doorbells among it) is not left for later
  user.table.leave();
  const i32 = segment.i32;
  if (user.table.otherLiveUsers() === 0 && Atomics.compareExchange(i32, W_UNLINKING, 0, 1) === 0) {
    if (user.table.otherLiveUsers() === 0) segment.shm.unlink();
    else Atomics.store(i32, W_UNLINKING, 0);
  }
}
