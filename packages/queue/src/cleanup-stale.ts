import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { cleanupStale as cleanupStaleSegments, SHM_DIR } from '@ipc/shm';
import { MAGIC, RING_OFFSET } from './queue-layout.js';

/**
 * Removes the queues in `/dev/shm` that belong to this user and that no process has open any more
 * (every user closed it or was killed before it could). The rule is @ipc/shm's: a queue segment is
 * created with `lifetime: 'users'`, so it lives while any process has it open, its creator's exit
 * notwithstanding (see @ipc/shm's `cleanupStale`, which applies the same rule to every segment).
 * Segments that are not queues and other users' segments are left alone. Returns the names removed.
 */
export function cleanupStale(): string[] {
  const uid = process.getuid?.();
  return cleanupStaleSegments({ filter: (name) => isQueueSegment(name, uid) });
}

function isQueueSegment(name: string, uid: number | undefined): boolean {
  if (name.startsWith('.')) return false;
  const path = `${SHM_DIR}/${name}`;
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size < RING_OFFSET || (uid !== undefined && st.uid !== uid)) return false;
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(4);
      return readSync(fd, head, 0, 4, 0) === 4 && head.readInt32LE(0) === MAGIC;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false; // gone meanwhile, or not ours to read
  }
}
