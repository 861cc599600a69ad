/**
 * The table of every SQLite queue, one row per message, all queues of a file in one table. It is
 * the public interface for other languages and the `sqlite3` shell: enqueue with a plain INSERT,
 * watch the state with a SELECT (see the README). Every expression here works on SQLite 3.8+.
 *
 * - `id` — the order of arrival (FIFO within one priority).
 * - `queue` — the queue name (`name` option).
 * - `body` — the encoded message: BLOB (msgpack, raw) or TEXT (json: `'{"n":1}'` from the shell).
 * - `priority` — higher first (default 0).
 * - `visible_at` — ms since the Unix epoch when the row may be claimed: the delay of a delayed
 *   message, or the end of a claim's visibility timeout. Default: now.
 * - `attempts` — how many times the row was claimed.
 * - `state` — `ready`, `claimed` (by `claimed_by`, until `visible_at`) or `dead` (dead-lettered:
 *   too many attempts, or an undecodable body; `last_error` says why).
 * - `kind` — `message`, or `end` for the end-of-stream marker a closing channel leaves.
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS ipc_messages (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  queue      TEXT    NOT NULL DEFAULT 'default',
  body       BLOB    NOT NULL,
  priority   INTEGER NOT NULL DEFAULT 0,
  visible_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  attempts   INTEGER NOT NULL DEFAULT 0,
  state      TEXT    NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'claimed', 'dead')),
  claimed_by TEXT,
  kind       TEXT    NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'end')),
  created_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS ipc_messages_next ON ipc_messages (queue, priority DESC, id) WHERE state <> 'dead';
`;

/** The priority of end markers: below every message, so that they come last. */
export const END_PRIORITY = -(2 ** 53 - 1);
