/**
 * Unix signals as typed, awaitable notifications, and graceful shutdown: send a signal to a process or
 * a group, wait for one, iterate them, run cleanups in order on `SIGTERM`/`SIGINT` and stop children.
 *
 * @example
 * ```ts
 * import { onShutdown, shutdownSignal, signals, propagateShutdown } from '@ipc/signal';
 *
 * const stop = shutdownSignal(); // fires on SIGTERM or SIGINT; pass it to every @ipc call
 * onShutdown(async () => server.close(), { timeout: 5000 }); // then exit 143 / 130
 * propagateShutdown(spawn('node', ['worker.js']), { grace: 3000 }); // SIGTERM, 3 s, SIGKILL
 *
 * for await (const s of signals(['SIGHUP'], { signal: stop })) await reloadConfig(); // ERR_ABORTED on shutdown
 * ```
 *
 * @packageDocumentation
 */
export { isSignalName, signalNumber, type SignalName } from './signal-name.js';
export type { ListenOptions } from './catchable-signal.js';
export { isAlive, sendSignal, type SignalTarget } from './send-signal.js';
export { onSignal, type Unsubscribe } from './on-signal.js';
export { waitForSignal, type WaitForSignalOptions } from './wait-for-signal.js';
export { signals, SignalStream, type SignalStreamOptions } from './signal-stream.js';
export {
  DEFAULT_SHUTDOWN_SIGNALS,
  isShuttingDown,
  onShutdown,
  shutdown,
  shutdownSignal,
  type OnShutdownOptions,
  type ShutdownCleanup,
  type ShutdownContext,
  type ShutdownOptions,
} from './shutdown.js';
export {
  stopChild,
  stopChildren,
  type ChildLike,
  type ChildStopResult,
  type ChildTarget,
  type StopChildOptions,
} from './stop-children.js';
export { propagateShutdown, type PropagateShutdownOptions } from './propagate-shutdown.js';
