import { closeSync, fstatSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { addon } from './load-addon.js';
import { OwnerRegistry } from './owner-registry.js';
import { isProcessAlive } from '@ipc/kit';
import {
  readTrailer,
  TRAILER_BYTES,
  trailerViews,
  type Trailer,
  type TrailerFacts,
} from './segment-trailer.js';
import { SHM_DIR } from './shared-memory.js';
import { temporaryOwner } from './temporary-name.js';

/** Options of {@link cleanupStale}. */
export interface CleanupStaleOptions {
  /** Only look at the segments (names in `/dev/shm`, without a slash) this returns true for (default all). */
  filter?: ((name: string) => boolean) | undefined;
}

/**
 * Removes the segments in `/dev/shm` that @ipc/shm made and whose lifetime is over, and temporaries
 * (`.ipc-shm-<pid>-…`) of dead processes. Each segment says whose lifetime it follows (see
 * `CreateSharedMemoryOptions.lifetime`): a `'creator'` segment is stale once its creator (pid +
 * start time) no longer runs; a `'users'` segment (a queue's, for one) only once every process that
 * has it open (its creator included) is gone or has closed it. Segments of live processes, of other users, and those not made
 * by @ipc/shm are left alone. Returns the names removed.
 *
 * A creator that died before `close()` cannot unlink; call this at startup of a service that creates
 * segments. A `'creator'` segment meant to outlive its creator (`unlinkOnClose: false`, handed over to
 * another process) is removed too once its creator is gone: create it with `lifetime: 'users'` when
 * its users keep it alive.
 */
export function cleanupStale(options: CleanupStaleOptions = {}): string[] {
  const removed: string[] = [];
  const native = addon();
  const uid = process.getuid?.();
  const { filter } = options;
  let names: string[];
  try {
    names = readdirSync(SHM_DIR);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (filter !== undefined && !filter(name)) continue;
    const owner = temporaryOwner(name);
    if (owner !== undefined) {
      // A temporary's name holds only the pid: stale when no process has that pid any more.
      if (!isProcessAlive(owner, 0)) remove(name, undefined, removed);
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
      const trailer = trailerViews(native.mmap(fd, TRAILER_BYTES, at, true));
      const facts = readTrailer(trailer, at);
      if (facts && isStale(facts, trailer)) remove(name, `${st.dev}:${st.ino}`, removed);
    } catch {
      // a segment that vanished or cannot be mapped: not ours to judge
    } finally {
      closeSync(fd);
    }
  }
  return removed;
}

/**
 * The lifecycle rule: a `'creator'` segment is stale when its creator is gone, a `'users'` segment
 * when no process holds a slot of its registry (its creator took one before the name existed).
 */
function isStale(facts: TrailerFacts, trailer: Trailer): boolean {
  if (facts.lifetime === 'users') return !OwnerRegistry.anyAlive(trailer);
  return !isProcessAlive(facts.creatorPid, facts.creatorStart);
}

/** Unlinks `name` (when `identity` is given: only if the name still names that device:inode). */
function remove(name: string, identity: string | undefined, removed: string[]): void {
  try {
    if (identity !== undefined) {
      const st = statSync(`${SHM_DIR}/${name}`);
      if (`${st.dev}:${st.ino}` !== identity) return; // replaced meanwhile: judge it next time
    }
    unlinkSync(`${SHM_DIR}/${name}`);
    removed.push(name);
  } catch {
    // gone already
  }
}
