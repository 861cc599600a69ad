import type { Codec } from '@ipc/core';
import { isProcessAlive, parseIdentity, selfIdentity } from '@ipc/kit';
import { sqliteError } from './sqlite-database.js';
import { bodyBytes, type QueueStatements } from './sqlite-statements.js';
import { notifyLocal } from './sqlite-wake.js';

/** A dead-lettered message (see {@link SqliteQueue.deadLetters}). */
export interface DeadLetter<T> {
  /** Its row id. */
  id: number;
  /** How often it was claimed. */
  attempts: number;
  /** Why it was dead-lettered. */
  error: string | null;
  /** The message, when it decodes. */
  message?: T;
}

/**
 * Makes the rows claimed by consumers whose process is gone (by @ipc/kit's `isProcessAlive`: a
 * consumer is `<pid>-<start>-<n>`) visible again at once, instead of after their visibility timeout.
 * Returns how many; wakes this process's receivers when there were any.
 */
export function recoverStaleClaims(stmts: QueueStatements, path: string): number {
  const self = selfIdentity();
  let n = 0;
  try {
    for (const { owner } of stmts.owners.all() as { owner: string | null }[]) {
      if (owner === null) continue;
      const id = parseIdentity(owner);
      if (id === undefined) continue;
      const mine = id.pid === self.pid && id.start === self.start;
      if (mine || isProcessAlive(id.pid, id.start)) continue;
      n += stmts.recoverOwner.run(Date.now(), owner).changes;
    }
  } catch (err) {
    throw sqliteError(err, 'recoverStale');
  }
  if (n > 0) notifyLocal(path);
  return n;
}

/** The dead letters of `queue`, oldest first, at most `limit`, decoded where possible. */
export function readDeadLetters<T>(
  stmts: QueueStatements,
  queue: string,
  codec: Codec<T>,
  limit: number,
): DeadLetter<T>[] {
  const rows = stmts.dead.all(queue, limit) as {
    id: number;
    body: unknown;
    attempts: number;
    last_error: string | null;
  }[];
  return rows.map((r) => {
    const out: DeadLetter<T> = { id: r.id, attempts: r.attempts, error: r.last_error };
    try {
      out.message = codec.decode(bodyBytes(r.body));
    } catch {
      // keep it undecoded
    }
    return out;
  });
}
