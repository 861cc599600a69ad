import { checkTimeout, IpcError } from '@ipc/core';
import { checkCatchable } from './catchable-signal.js';
import { unsubscriber, type Unsubscribe } from './on-signal.js';
import { signalNumber, type SignalName } from './signal-name.js';

/** What a shutdown cleanup receives. */
export interface ShutdownContext {
  /** Fires when this cleanup's `timeout` is up: stop waiting, the next cleanup starts. */
  readonly signal: AbortSignal;
  /** The signal that started the shutdown, or `undefined` when {@link shutdown} was called. */
  readonly received: SignalName | undefined;
}

/** A cleanup run on shutdown; may be async. What it throws is reported on stderr and does not stop the others. */
export type ShutdownCleanup = (context: ShutdownContext) => void | Promise<void>;

/** Options of {@link onShutdown}. */
export interface OnShutdownOptions {
  /**
   * The signals that start a shutdown; added to those of earlier calls (the set only grows).
   * Default `['SIGTERM', 'SIGINT']`.
   */
  signals?: readonly SignalName[] | undefined;
  /** Milliseconds this cleanup may take; then it is abandoned (its `signal` fires) and the next runs. Default 10 000. */
  timeout?: number | undefined;
  /** A name for messages about this cleanup (a timeout, an error). Default: the function's name. */
  name?: string | undefined;
}

/** The signals that start a shutdown unless told otherwise. */
export const DEFAULT_SHUTDOWN_SIGNALS: readonly SignalName[] = Object.freeze(['SIGTERM', 'SIGINT']);
const DEFAULT_TIMEOUT_MS = 10_000;

interface Entry {
  readonly cleanup: ShutdownCleanup;
  readonly timeout: () => number;
  readonly name: string;
}

const state = {
  entries: [] as Entry[],
  armed: new Set<SignalName>(),
  controller: new AbortController(),
  running: undefined as Promise<never> | undefined,
  /** Run synchronously just before an immediate exit (a second signal): last words, like SIGKILLing children. */
  lastWords: new Set<() => void>(),
};

function onShutdownSignal(name: NodeJS.Signals): void {
  const code = 128 + signalNumber(name);
  if (state.running !== undefined) exitNow(code, name);
  else void run(name, code);
}

function exitNow(code: number, name: SignalName): never {
  for (const hook of state.lastWords) {
    try {
      hook();
    } catch {
      // exiting anyway
    }
  }
  report(`${name} during shutdown: exiting at once with code ${code}`);
  process.exit(code);
}

function report(text: string): void {
  process.stderr.write(`@ipc/signal: ${text}\n`);
}

/** Installs the shutdown listener on each name not armed yet. @internal */
export function armShutdown(signals: readonly SignalName[] | undefined): void {
  if (signals !== undefined && signals.length === 0) return;
  const names = checkCatchable(signals ?? DEFAULT_SHUTDOWN_SIGNALS);
  for (const name of names) {
    if (state.armed.has(name)) continue;
    state.armed.add(name);
    process.on(name, onShutdownSignal);
  }
}

/** Adds a cleanup entry (and arms the signals); @internal — use {@link onShutdown}. */
export function addShutdownEntry(entry: Entry, signals: readonly SignalName[] | undefined): Unsubscribe {
  armShutdown(signals);
  state.entries.push(entry);
  return unsubscriber(() => {
    const i = state.entries.indexOf(entry);
    if (i >= 0) state.entries.splice(i, 1);
  });
}

/** Adds a hook run synchronously before an immediate exit (second signal). @internal */
export function addLastWords(hook: () => void): () => void {
  state.lastWords.add(hook);
  return () => state.lastWords.delete(hook);
}

function checkTimeoutMs(timeout: unknown): number {
  checkTimeout(timeout);
  return timeout ?? DEFAULT_TIMEOUT_MS;
}

/**
 * Registers a cleanup for a graceful shutdown. On the first of `signals` (default `SIGTERM`, `SIGINT`):
 * {@link shutdownSignal} fires, the cleanups run one at a time in reverse order of registration (the last
 * registered runs first, like a stack of `finally`s), each bounded by its `timeout`, then the process exits
 * with `128 + the signal's number` (143 for `SIGTERM`, 130 for `SIGINT`) — also when a cleanup failed or
 * timed out (that is reported on stderr). A second shutdown signal during the cleanups exits at once with
 * `128 + its number`.
 *
 * Installing the listeners replaces the default action of those signals (Node would end the process at
 * once). Cleanups registered while a shutdown runs are not run.
 *
 * @returns a function that unregisters this cleanup (the listeners stay)
 * @throws `ERR_INVALID_ARGUMENT` for a bad cleanup, timeout or signal name.
 */
export function onShutdown(cleanup: ShutdownCleanup, options: OnShutdownOptions = {}): Unsubscribe {
  if (typeof cleanup !== 'function') {
    throw new IpcError('ERR_INVALID_ARGUMENT', 'onShutdown needs a cleanup function');
  }
  const timeout = checkTimeoutMs(options.timeout);
  const name = options.name ?? (cleanup.name !== '' ? cleanup.name : `cleanup #${state.entries.length + 1}`);
  return addShutdownEntry({ cleanup, timeout: () => timeout, name }, options.signals);
}

/**
 * An `AbortSignal` that fires when a shutdown starts (before the first cleanup runs). Pass it as `signal`
 * to every @ipc call and loop so they stop cleanly. Calling this arms the shutdown listeners on
 * `signals` (default `SIGTERM`, `SIGINT`) like {@link onShutdown} does; with no cleanup registered the
 * process exits right after the signal fires, so register one that waits for what must finish.
 */
export function shutdownSignal(options: Pick<OnShutdownOptions, 'signals'> = {}): AbortSignal {
  armShutdown(options.signals);
  return state.controller.signal;
}

/** Tells whether a shutdown has started. */
export function isShuttingDown(): boolean {
  return state.running !== undefined;
}

/** Options of {@link shutdown}. */
export interface ShutdownOptions {
  /** The exit code once the cleanups ran. Default 0. */
  exitCode?: number | undefined;
}

/**
 * Starts a shutdown without a signal (a fatal error, an admin command): the same sequence as on a signal,
 * then exits with `exitCode`. A second call returns the same promise; a shutdown signal arriving meanwhile
 * exits at once.
 */
export function shutdown(options: ShutdownOptions = {}): Promise<never> {
  const code = options.exitCode ?? 0;
  if (!Number.isInteger(code) || code < 0 || code > 255) {
    return Promise.reject(
      new IpcError('ERR_INVALID_ARGUMENT', `exitCode must be 0..255, got ${String(code)}`),
    );
  }
  return state.running ?? run(undefined, code);
}

function run(received: SignalName | undefined, exitCode: number): Promise<never> {
  const running = (async (): Promise<never> => {
    state.controller.abort(
      new IpcError('ERR_ABORTED', received === undefined ? 'shutting down' : `shutting down on ${received}`),
    );
    for (const entry of [...state.entries].reverse()) await runBounded(entry, received);
    process.exit(exitCode);
  })();
  state.running = running;
  return running;
}

async function runBounded(entry: Entry, received: SignalName | undefined): Promise<void> {
  const timeout = entry.timeout();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // The timer also keeps the process alive while an async cleanup waits on nothing that holds the loop.
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new IpcError('ERR_TIMEOUT', `cleanup "${entry.name}" timed out after ${timeout} ms`)),
      timeout,
    );
  });
  try {
    await Promise.race([
      Promise.resolve().then(() => entry.cleanup({ signal: controller.signal, received })),
      timedOut,
    ]);
  } catch (err) {
    controller.abort(err);
    const text = err instanceof Error ? err.message : String(err);
    report(
      err instanceof IpcError && err.code === 'ERR_TIMEOUT'
        ? text
        : `cleanup "${entry.name}" failed: ${text}`,
    );
  } finally {
    clearTimeout(timer);
  }
}
