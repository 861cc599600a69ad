/**
 * @ipc/signal — Unix signals as typed, awaitable notifications, and graceful shutdown. (work in progress).
 *
 * @packageDocumentation
 */
export {};
