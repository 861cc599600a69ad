/**
 * @ipc/queue — a process-safe multi-producer / multi-consumer queue in shared memory, in the spirit of
 * Python's `multiprocessing.Queue` / `JoinableQueue`, that a killed process cannot wedge: `put`/`get`
 * with `signal` and `timeout`, `taskDone()`/`join()`, at-most-once `get` or at-least-once
 * `get({ ack: true })` / `recvDelivery()`, futex wake-ups (no polling while idle), and @ipc channel views.
 *
 * @example
 * ```ts
 * import { createQueue, openQueue } from '@ipc/queue';
 * const jobs = createQueue<{ n: number }>('jobs', { capacityBytes: 1 << 20 });   // /dev/shm/jobs, 0600
 * await jobs.put({ n: 1 });
 * // any other process: const q = openQueue('jobs'); const job = await q.get(); …; q.taskDone();
 * await jobs.join();                    // every message got and taskDone()'d
 * await jobs.close();                   // the last process to close removes the segment
 * ```
 *
 * @packageDocumentation
 */
export { createQueue, openQueue } from './create-queue.js';
export { Queue } from './queue.js';
export { QueueSender } from './queue-sender.js';
export { QueueReceiver } from './queue-receiver.js';
export { queueChannel } from './queue-channel.js';
export { cleanupStale } from './cleanup-stale.js';
export type {
  CreateQueueOptions,
  GetOptions,
  PutOptions,
  QueueDelivery,
  QueueOptions,
} from './queue-options.js';
/** The @ipc delivery contract, which {@link QueueDelivery} implements (re-exported from `@ipc/core`). */
export type { AckableReceiver, Delivery, NackOptions } from '@ipc/core';
