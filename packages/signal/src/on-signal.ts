import { checkCatchable, nameList, type ListenOptions } from './catchable-signal.js';
import type { SignalName } from './signal-name.js';

/** Removes what a subscription installed; idempotent. Also `Disposable` (`using sub = onSignal(…)`). */
export interface Unsubscribe extends Disposable {
  (): void;
}

/** Wraps a cleanup function as an idempotent {@link Unsubscribe}. @internal */
export function unsubscriber(undo: () => void): Unsubscribe {
  let done = false;
  const fn = (): void => {
    if (done) return;
    done = true;
    undo();
  };
  return Object.assign(fn, { [Symbol.dispose]: fn });
}

/**
 * Calls `handler` every time one of `signals` arrives, until the returned function is called.
 *
 * Like `process.on(signal)`: while a listener is installed, the signal's default action (ending the
 * process, for `SIGTERM`/`SIGINT`/`SIGHUP`) does not happen; when the last listener goes, it is back.
 * A listener does not keep the process alive. Several quick signals of one kind may be merged into one
 * call by the kernel (a standard signal is either pending or not): count on "at least one", not on a number.
 *
 * @param signals - one name or a list; `SIGKILL`/`SIGSTOP`, the fault signals and (by default) `SIGUSR1`
 *   are refused
 * @param handler - receives the name of the signal that arrived
 * @throws `ERR_INVALID_ARGUMENT` for an unknown or uncatchable name.
 */
export function onSignal(
  signals: SignalName | readonly SignalName[],
  handler: (signal: SignalName) => void,
  options: ListenOptions = {},
): Unsubscribe {
  const names = checkCatchable(nameList(signals), options);
  const listener = (name: NodeJS.Signals): void => handler(name);
  for (const name of names) process.on(name, listener);
  return unsubscriber(() => {
    for (const name of names) process.off(name, listener);
  });
}
