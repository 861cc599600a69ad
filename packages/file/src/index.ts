/**
 * Durable file channels: a maildir-style spool folder and a SQLite queue. Messages survive a crash
 * of either side (and, with `fsync`, a power cut), cross container boundaries on a shared volume,
 * and can be produced or consumed by any program: `mv` a file into the spool's `new/` folder, or
 * `INSERT` a row into the queue table.
 *
 * @example
 * ```ts
 * import { spoolReceiver, spoolSender } from '@ipc/file';
 *
 * const tx = spoolSender('/tmp/jobs', { codec: 'json' });
 * await tx.send({ job: 1 });
 * const rx = spoolReceiver<{ job: number }>('/tmp/jobs', { codec: 'json' });
 * const d = await rx.recvDelivery();
 * console.log(d.message.job);
 * await d.ack();
 * ```
 *
 * @packageDocumentation
 */
export type { AckableReceiver, Delivery, NackOptions } from './delivery.js';
export { SpoolSender, spoolSender, type SpoolSenderOptions } from './spool-sender.js';
export { SpoolReceiver, spoolReceiver, type SpoolReceiverOptions } from './spool-receiver.js';
export { SpoolChannel, spoolChannel, type SpoolChannelOptions } from './spool-channel.js';
export { recoverStale, type RecoverResult } from './spool-recover.js';
export { SqliteQueue, type SqliteQueueOptions, type SqliteSendOptions } from './sqlite-queue.js';
export { sqliteChannel, sqliteQueue } from './sqlite-factories.js';
export type { DeadLetter } from './sqlite-recover.js';
export type { SqliteConnectionOptions } from './sqlite-database.js';
export type { SqliteDriverName } from './sqlite-driver.js';
export { SCHEMA } from './sqlite-schema.js';
