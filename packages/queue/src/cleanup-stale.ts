import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { SharedMemory, SHM_DIR } from '@ipc/shm';
import { ProcessTable } from './process-table.js';
import { MAGIC, RING_OFFSET, W_UNLINKING } from './queue-layout.js';

/**
 * Removes the queues in `/dev/shm` that belong to this user and whose every user died (killed before
 * it could close the queue). Queues with a live user, segments that are not queues, and other users'
 * segments are left alone. Returns the names removed.
 */
export function cleanupStale(): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(SHM_DIR);
  } catch {
    return removed;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    if (name.startsWith('.')) continue;
    try {
      const st = statSync(`${SHM_DIR}/${name}`);
      if (!st.isFile() || st.size < RING_OFFSET || (uid !== undefined && st.uid !== uid)) continue;
      if (!hasMagic(`${SHM_DIR}/${name}`)) continue;
      const shm = SharedMemory.open(name);
      try {
        const i32 = new Int32Array(shm.buffer, 0, RING_OFFSET / 4);
        const table = new ProcessTable(i32, shm.waitStrategy());
        if (table.liveUsers() === 0 && Atomics.compareExchange(i32, W_UNLINKING, 0, 1) === 0) {
          if (table.liveUsers() === 0) {
            shm.unlink();
            removed.push(name);
          } else Atomics.store(i32, W_UNLINKING, 0);
        }
      } finally {
        shm.close();
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return removed;
}

function hasMagic(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.readInt32LE(0) === MAGIC;
  } finally {
    closeSync(fd);
  }
}
