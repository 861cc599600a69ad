/**
 * @ipc/shm — Named shared memory for Node.js: buffers that Atomics work on across processes, typed values and arrays, futex-backed locks, a shared-memory ring channel. (work in progress).
 *
 * @packageDocumentation
 */
export {};
