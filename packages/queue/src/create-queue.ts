import { IpcError } from '@ipc/core';
import { RECORD_ALIGN } from './queue-layout.js';
import type { CreateQueueOptions, QueueOptions } from './queue-options.js';
import { createSegment, openSegment, publishSegment, ringCapacity, segmentGone } from './queue-segment.js';
import { Queue } from './queue.js';

/**
 * Creates the queue `name` (the shared-memory segment `/dev/shm/<name>`, mode 0600) and returns a
 * handle on it. Fails with `ERR_EXISTS` when the name is taken (remove a dead one with
 * `cleanupStale()`), `ERR_INVALID_ARGUMENT` for a bad option.
 *
 * @param name - `'jobs'` or `'/jobs'`
 */
export function createQueue<T = unknown>(name: string, options: CreateQueueOptions<T> = {}): Queue<T> {
  const capacity = ringCapacity(options.capacityBytes);
  const limit = capacity / RECORD_ALIGN;
  const maxMessages = options.maxMessages ?? limit;
  if (!Number.isSafeInteger(maxMessages) || maxMessages <= 0) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `maxMessages must be a positive integer, got ${String(maxMessages)}`,
    );
  }
  const segment = createSegment(name, capacity, Math.min(maxMessages, limit), options.mode);
  let queue: Queue<T>;
  try {
    queue = new Queue<T>(segment, options);
  } catch (err) {
    segment.shm.unlink();
    segment.shm.close();
    throw err;
  }
  publishSegment(segment);
  return queue;
}

/**
 * Opens the existing queue `name` (made by {@link createQueue} in any process). Fails with
 * `ERR_NOT_FOUND` when there is none (or it is being removed), `ERR_INVALID_ARGUMENT` when the segment
 * is not a queue, `ERR_PERMISSION` when it belongs to another user.
 */
export function openQueue<T = unknown>(name: string, options: QueueOptions<T> = {}): Queue<T> {
  const segment = openSegment(name);
  let queue: Queue<T>;
  try {
    queue = new Queue<T>(segment, options);
  } catch (err) {
    segment.shm.close();
    throw err;
  }
  if (segmentGone(segment)) {
    void queue.close();
    throw new IpcError('ERR_NOT_FOUND', `queue ${name} is being removed`);
  }
  return queue;
}
