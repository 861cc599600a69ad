import { SqliteQueue, type SqliteQueueOptions } from './sqlite-queue.js';

/**
 * Opens one queue of a SQLite database file as a channel: `send` enqueues into `name`, `recv`
 * claims from `name`. Any number of processes can open the same file and queue.
 *
 * @example
 * ```ts
 * const q = sqliteQueue<{ job: number }>('/var/lib/app/queue.db', { name: 'jobs', codec: 'json' });
 * await q.send({ job: 1 }, { priority: 5 });
 * const d = await q.recvDelivery();
 * await d.ack();
 * ```
 */
export function sqliteQueue<T = unknown>(
  path: string,
  options: SqliteQueueOptions<T> & { name?: string | undefined } = {},
): SqliteQueue<T, T> {
  const name = options.name ?? 'default';
  return new SqliteQueue<T, T>(path, { send: name, recv: name }, options);
}

/**
 * A two-way conversation over two queues of one database file: this side sends into `send` and
 * receives from `recv` (the other side swaps them). `close()` leaves an end marker (the `end`
 * option, on by default here) so the other side's iteration ends after the last message.
 */
export function sqliteChannel<Out = unknown, In = Out>(
  path: string,
  options: SqliteQueueOptions<Out> & { send: string; recv: string },
): SqliteQueue<Out, In> {
  return new SqliteQueue<Out, In>(
    path,
    { send: options.send, recv: options.recv },
    { ...options, end: options.end ?? true },
  );
}
