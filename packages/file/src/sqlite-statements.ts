import { IpcError } from '@ipc/core';
import type { SqliteConnection } from './sqlite-driver.js';

/**
 * The SQL of a SQLite queue (the table is {@link SCHEMA}'s `ipc_messages`), prepared once per
 * connection: enqueue, claim, ack, release, dead-letter, and the reads behind wake-ups and recovery.
 */
export function prepareQueueStatements(db: SqliteConnection) {
  return {
    insert: db.prepare(
      'INSERT INTO ipc_messages (queue, body, priority, visible_at, kind) VALUES (?, ?, ?, ?, ?)',
    ),
    peek: db.prepare(
      "SELECT 1 FROM ipc_messages WHERE queue = ? AND state <> 'dead' AND visible_at <= ? LIMIT 1",
    ),
    select: db.prepare(
      "SELECT id, body, attempts, kind FROM ipc_messages WHERE queue = ? AND state <> 'dead' AND visible_at <= ? ORDER BY priority DESC, id LIMIT ?",
    ),
    claim: db.prepare(
      "UPDATE ipc_messages SET state = 'claimed', claimed_by = ?, visible_at = ?, attempts = attempts + 1 WHERE id = ?",
    ),
    kill: db.prepare(
      "UPDATE ipc_messages SET state = 'dead', claimed_by = NULL, last_error = ? WHERE id = ?",
    ),
    remove: db.prepare('DELETE FROM ipc_messages WHERE id = ?'),
    ack: db.prepare('DELETE FROM ipc_messages WHERE id = ? AND claimed_by = ? AND attempts = ?'),
    release: db.prepare(
      "UPDATE ipc_messages SET state = 'ready', claimed_by = NULL, visible_at = ?, attempts = attempts - ? WHERE id = ? AND claimed_by = ?",
    ),
    nextVisible: db.prepare(
      "SELECT MIN(visible_at) AS t FROM ipc_messages WHERE queue = ? AND state <> 'dead'",
    ),
    owners: db.prepare("SELECT DISTINCT claimed_by AS owner FROM ipc_messages WHERE state = 'claimed'"),
    recoverOwner: db.prepare(
      "UPDATE ipc_messages SET state = 'ready', claimed_by = NULL, visible_at = ? WHERE state = 'claimed' AND claimed_by = ?",
    ),
    dead: db.prepare(
      "SELECT id, body, attempts, last_error FROM ipc_messages WHERE queue = ? AND state = 'dead' ORDER BY id LIMIT ?",
    ),
  };
}

/** The prepared statements of one queue connection. */
export type QueueStatements = ReturnType<typeof prepareQueueStatements>;

/**
 * A row's `body` as bytes: a BLOB as it is; TEXT (rows another program inserted as text) and numbers
 * as their UTF-8 text; anything else empty.
 */
export function bodyBytes(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (typeof body === 'number' || typeof body === 'bigint') return Buffer.from(String(body), 'utf8');
  return new Uint8Array(0);
}

/** The error of a call on a closed SQLite queue. */
export function closedError(): IpcError {
  return new IpcError('ERR_CLOSED', 'the SQLite queue is closed');
}

/** The error of an ack or nack that came after the row was claimed again by another consumer. */
export function reclaimedError(): IpcError {
  return new IpcError(
    'ERR_TIMEOUT',
    'the visibility timeout elapsed: the message was given to another consumer',
  );
}
