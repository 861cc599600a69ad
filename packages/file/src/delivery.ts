/**
 * Acknowledged delivery is the contract of `@ipc/core` ({@link Delivery}, {@link AckableReceiver},
 * {@link NackOptions}); the spool and SQLite receivers implement it. Re-exported here so that
 * `import type { Delivery } from '@ipc/file'` keeps working.
 *
 * Spool: `attempt` is always 1 (a file carries no count); `nack({ requeue: false })` deletes the
 * file. SQLite: `attempt` counts claims; `nack({ requeue: false })` dead-letters the row.
 */
export type { AckableReceiver, Delivery, NackOptions } from '@ipc/core';
