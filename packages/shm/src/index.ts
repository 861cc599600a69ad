/**
 * @ipc/shm — named shared memory for Node.js: buffers that `Atomics` work on across processes, futex
 * wait/wake across processes, typed values and arrays, cross-process locks that survive their owner's
 * death, and a shared-memory ring channel. Linux (a Node-API addon of its own); elsewhere `ERR_UNSUPPORTED`.
 *
 * @example
 * ```ts
 * import { SharedMemory, futexWaitAsync, futexWake } from '@ipc/shm';
 * const shm = SharedMemory.create('demo', 4096);        // /dev/shm/demo, 0600
 * const words = new Int32Array(shm.buffer);
 * // another process: SharedMemory.open('demo') … Atomics.store(words, 0, 1); futexWake(words, 0);
 * await futexWaitAsync(words, 0, 0);                   // does not block the event loop
 * shm.close();                                          // the creator unlinks
 * ```
 *
 * @packageDocumentation
 */
export {
  SharedMemory,
  SHM_DIR,
  type CreateSharedMemoryOptions,
  type OpenSharedMemoryOptions,
} from './shared-memory.js';
export { futexWaitAsync, futexWaitSync, futexWake, futexWaitStats } from './futex.js';
export { futexSleep } from './futex-sleep.js';
export { Spinner } from './spinner.js';
export { copyBytes } from './copy-bytes.js';
export { futexWaitStrategy, type OwnerIds } from './futex-wait-strategy.js';
export { SharedArray, Value, type SharedArrayOptions } from './shared-array.js';
export {
  elementType,
  type ElementType,
  type ElementValue,
  type PythonTypecode,
  type ResolveType,
  type TypedArrayOf,
} from './element-type.js';
export { ShmChannel, type ShmChannelOptions } from './ring/shm-channel.js';
export { BellRinger, Doorbell, removeDoorbell, type BellIdSlot } from './ring/doorbell.js';
export { mapFile, type MapFileOptions, type MappedFile } from './map-file.js';
export { cleanupStale, type CleanupStaleOptions } from './cleanup-stale.js';
export type { SegmentLifetime } from './segment-trailer.js';
export { ShareableList, type ShareableValue } from './shareable-list.js';
