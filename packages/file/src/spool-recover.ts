import { readdirSync, renameSync, rmdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive, parseIdentity, selfIdentity } from '@ipc/kit';
import { ensureSpool, spoolLayout } from './spool-layout.js';
import { writerOf } from './spool-names.js';

/** What {@link recoverStale} did. */
export interface RecoverResult {
  /** Claimed files of dead consumers moved back into `new/`. */
  returned: number;
  /** Half-written `tmp/` files of dead senders removed. */
  removedTemp: number;
}

const liveConsumers = new Set<string>();

/** Marks a consumer folder name of this process as in use (recovery leaves it alone). */
export function registerConsumer(name: string): void {
  liveConsumers.add(name);
}

/** Forgets a consumer folder name of this process. */
export function unregisterConsumer(name: string): void {
  liveConsumers.delete(name);
}

function isDead(owner: string): boolean {
  const id = parseIdentity(owner);
  if (id === undefined) return false; // not ours: leave it alone
  const self = selfIdentity();
  if (id.pid === self.pid && id.start === self.start) return !liveConsumers.has(owner);
  return !isProcessAlive(id.pid, id.start);
}

function list(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/**
 * Returns the claimed files of consumers that died (their folder `cur/<pid>-<start>-<n>` names a
 * process that no longer runs, checked with the start time in `/proc/<pid>/stat` so a reused pid is
 * not mistaken for the dead one) to `new/`, where another consumer receives them, and deletes the
 * half-written `tmp/` files of senders that died. Safe to run from several processes at once.
 * Receivers run it when they open and every `recoverInterval` ms.
 *
 * @param dir - the spool folder
 */
export function recoverStale(dir: string): RecoverResult {
  const layout = spoolLayout(dir);
  ensureSpool(layout);
  const result: RecoverResult = { returned: 0, removedTemp: 0 };
  for (const owner of list(layout.cur)) {
    if (!isDead(owner)) continue;
    const folder = join(layout.cur, owner);
    for (const name of list(folder)) {
      try {
        renameSync(join(folder, name), join(layout.new, name));
        result.returned++;
      } catch {
        // another process recovered it first
      }
    }
    try {
      rmdirSync(folder);
    } catch {
      // not empty (a late claim) or already gone: the next run finishes it
    }
  }
  for (const name of list(layout.tmp)) {
    const writer = writerOf(name);
    if (writer === undefined) continue; // a file some other program is writing
    const id = parseIdentity(writer);
    const self = selfIdentity();
    if (
      id === undefined ||
      (id.pid === self.pid && id.start === self.start) ||
      isProcessAlive(id.pid, id.start)
    )
      continue;
    try {
      unlinkSync(join(layout.tmp, name));
      result.removedTemp++;
    } catch {
      // already gone
    }
  }
  return result;
}
