import { statSync } from 'node:fs';
import { IpcError, type WaitStrategy } from '@ipc/core';
import { futexWaitSync, SharedMemory, SHM_DIR } from '@ipc/shm';
import {
  MAGIC,
  RECORD_HEADER,
  RING_OFFSET,
  segmentBytes,
  VERSION,
  W_CAPACITY,
  W_MAGIC,
  W_MAX_MESSAGES,
  W_UNLINKING,
  W_VERSION,
} from './queue-layout.js';

const DEFAULT_CAPACITY = 1 << 20;
const MAX_CAPACITY = 1 << 30;
const MIN_CAPACITY = 4096;
/** How long `openQueue` waits for a queue being created to be ready, in ms. */
const READY_WAIT_MS = 1000;

/** A mapped queue segment and this process's owner ids in it. */
export interface QueueSegment {
  readonly shm: SharedMemory;
  readonly i32: Int32Array;
  readonly ids: WaitStrategy;
}

/** The ring capacity for a `capacityBytes` option: a power of two from 4 KiB to 1 GiB. */
export function ringCapacity(option: number | undefined): number {
  if (option === undefined) return DEFAULT_CAPACITY;
  if (!Number.isSafeInteger(option) || option <= RECORD_HEADER || option > MAX_CAPACITY) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `capacityBytes must be an integer from ${RECORD_HEADER + 1} to ${MAX_CAPACITY}, got ${String(option)}`,
    );
  }
  let capacity = MIN_CAPACITY;
  while (capacity < option) capacity *= 2;
  return capacity;
}

/** Creates and initializes a queue segment (`ERR_EXISTS` when the name is taken). */
export function createSegment(
  name: string,
  capacity: number,
  maxMessages: number,
  mode: number | undefined,
): QueueSegment {
  // Populated (here and in every opener): the ring is written round and round, so every page is soon
  // touched anyway, and a put or get then never stops for a page fault.
  // The queue lives as long as any process has it open (its last user unlinks it on close; one
  // killed first leaves it to cleanupStale, which @ipc/shm rules by this lifetime).
  const shm = SharedMemory.create(name, segmentBytes(capacity), {
    mode: mode ?? 0o600,
    unlinkOnClose: false,
    populate: true,
    lifetime: 'users',
  });
  try {
    const i32 = new Int32Array(shm.buffer, 0, RING_OFFSET / 4);
    Atomics.store(i32, W_VERSION, VERSION);
    Atomics.store(i32, W_CAPACITY, capacity);
    Atomics.store(i32, W_MAX_MESSAGES, maxMessages);
    return { shm, i32, ids: shm.waitStrategy() };
  } catch (err) {
    shm.unlink();
    shm.close();
    throw err;
  }
}

/** Marks a created segment ready for openers (after the creator took its table entry). */
export function publishSegment(segment: QueueSegment): void {
  Atomics.store(segment.i32, W_MAGIC, MAGIC);
}

/** Opens an existing queue segment, waiting briefly for one being created. */
export function openSegment(name: string): QueueSegment {
  const shm = SharedMemory.open(name, { populate: true });
  try {
    if (shm.size < RING_OFFSET + MIN_CAPACITY) throw notAQueue(name);
    const i32 = new Int32Array(shm.buffer, 0, RING_OFFSET / 4);
    const until = Date.now() + READY_WAIT_MS;
    while (Atomics.load(i32, W_MAGIC) !== MAGIC) {
      if (Atomics.load(i32, W_MAGIC) !== 0 || Date.now() > until) throw notAQueue(name);
      futexWaitSync(i32, W_MAGIC, 0, 5);
    }
    const version = Atomics.load(i32, W_VERSION);
    if (version !== VERSION) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `queue ${name} has layout ${version}, made by another version of @ipc/queue (this one reads layout ${VERSION}): open it with the same version as its other users`,
      );
    }
    if (segmentBytes(Atomics.load(i32, W_CAPACITY)) !== shm.size) throw notAQueue(name);
    return { shm, i32, ids: shm.waitStrategy() };
  } catch (err) {
    shm.close();
    throw err;
  }
}

/** Whether the segment is being removed (by its last user) or its name now names another segment. */
export function segmentGone(segment: QueueSegment): boolean {
  if (Atomics.load(segment.i32, W_UNLINKING) !== 0) return true;
  try {
    const st = statSync(`${SHM_DIR}/${segment.shm.name}`);
    return `shm:${st.dev}:${st.ino}` !== segment.shm.key;
  } catch {
    return true;
  }
}

function notAQueue(name: string): IpcError {
  return new IpcError('ERR_INVALID_ARGUMENT', `shared memory ${name} is not an @ipc/queue queue`);
}
