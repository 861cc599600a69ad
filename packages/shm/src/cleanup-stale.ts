import { closeSync, fstatSync, readdirSync, unlinkSync } from 'node:fs';
import { addon } from './load-addon.js';
import { isProcessAlive, processStartTime } from './process-identity.js';
import { readTrailer, TRAILER_BYTES, trailerViews } from './segment-trailer.js';
import { SHM_DIR } from './shared-memory.js';

/**
 * Removes the segments in `/dev/shm` that @ipc/shm made for processes that are gone: a segment whose
 * trailer names a creator (pid + start time) that no longer runs, and temporaries (`.ipc-shm-<pid>-…`)
 * of dead processes. Segments of live processes, of other users, and those not made by @ipc/shm are
 * left alone. Returns the names removed.
 *
 * A creator that died before `close()` cannot unlink; call this at startup of a service that creates
 * segments. A segment meant to outlive its creator (`unlinkOnClose: false`, handed over to another
 * process) is removed too once its creator is gone: unlink it yourself when that is not what you want.
 */
export function cleanupStale(): string[] {
  const removed: string[] = [];
  const native = addon();
  const uid = process.getuid?.();
  for (const name of readdirSync(SHM_DIR)) {
    const temp = /^\.ipc-shm-(\d+)-/.exec(name);
    if (temp) {
      // A temporary's name holds only the pid: stale when no process has that pid any more.
      if (processStartTime(Number(temp[1])) === undefined) remove(name, removed);
      continue;
    }
    let fd: number;
    try {
      fd = native.shmOpen(`/${name}`, false, 0);
    } catch {
      continue; // not ours to read
    }
    try {
      const st = fstatSync(fd);
      if (uid !== undefined && st.uid !== uid) continue;
      const at = st.size - TRAILER_BYTES;
      if (at <= 0 || at % native.pageSize !== 0) continue;
      const facts = readTrailer(trailerViews(native.mmap(fd, TRAILER_BYTES, at, true)), at);
      if (facts && !isProcessAlive(facts.creatorPid, facts.creatorStart)) remove(name, removed);
    } catch {
      // a segment that vanished or cannot be mapped: not ours to judge
    } finally {
      closeSync(fd);
    }
  }
  return removed;
}

function remove(name: string, removed: string[]): void {
  try {
    unlinkSync(`${SHM_DIR}/${name}`);
    removed.push(name);
  } catch {
    // gone already
  }
}
