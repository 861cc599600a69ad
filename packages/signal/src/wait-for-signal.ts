import { waitWith, type WaitOptions } from '@ipc/core';
import { checkCatchable, nameList, type ListenOptions } from './catchable-signal.js';
import { keepAlive } from './keep-alive.js';
import type { SignalName } from './signal-name.js';

/** Options of {@link waitForSignal}. */
export interface WaitForSignalOptions extends WaitOptions, ListenOptions {
  /**
   * Keep the process alive while waiting (Node's signal listeners alone do not). Default `true`; with
   * `false` the process may end while the promise is still pending.
   */
  keepAlive?: boolean | undefined;
}

/**
 * Resolves with the name of the first of `signals` that arrives; its listeners are removed as soon as it
 * settles (on a signal, an abort or the timeout).
 *
 * @throws (rejects) `ERR_INVALID_ARGUMENT` for an unknown or uncatchable name, `ERR_ABORTED` when
 *   `options.signal` fires, `ERR_TIMEOUT` after `options.timeout` ms.
 */
export function waitForSignal(
  signals: SignalName | readonly SignalName[],
  options: WaitForSignalOptions = {},
): Promise<SignalName> {
  let names: SignalName[];
  try {
    names = checkCatchable(nameList(signals), options);
  } catch (err) {
    return Promise.reject(err);
  }
  return waitWith<SignalName>(options, (resolve) => {
    const release = options.keepAlive === false ? () => {} : keepAlive();
    const undo = (): void => {
      release();
      for (const name of names) process.off(name, listener);
    };
    function listener(name: NodeJS.Signals): void {
      undo();
      resolve(name);
    }
    for (const name of names) process.on(name, listener);
    return undo;
  });
}
