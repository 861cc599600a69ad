/**
 * @ipc/queue — A process-safe multi-producer / multi-consumer queue over shared memory that survives crashed processes. (work in progress).
 *
 * @packageDocumentation
 */
export {};
