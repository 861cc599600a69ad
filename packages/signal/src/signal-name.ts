import { constants } from 'node:os';
import { IpcError } from '@ipc/core';

/**
 * A signal name Node knows (`'SIGTERM'`, `'SIGHUP'`, `'SIGUSR2'`…): the `NodeJS.Signals` union. Which of them
 * exist at run time depends on the OS: see {@link signalNumber}.
 */
export type SignalName = NodeJS.Signals;

const table = constants.signals as Readonly<Partial<Record<string, number>>>;

/** Tells whether `name` is a signal of this OS (a key of `os.constants.signals`). */
export function isSignalName(name: unknown): name is SignalName {
  return typeof name === 'string' && Object.hasOwn(table, name);
}

/**
 * The number of a signal on this OS (`SIGTERM` → 15 on Linux), from `os.constants.signals`.
 *
 * @throws `ERR_INVALID_ARGUMENT` when `name` is not a signal of this OS.
 */
export function signalNumber(name: SignalName): number {
  checkSignalName(name);
  return table[name] as number;
}

/** Throws `ERR_INVALID_ARGUMENT` unless `name` is a signal of this OS. @internal */
export function checkSignalName(name: unknown): asserts name is SignalName {
  if (!isSignalName(name)) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `${JSON.stringify(name) ?? String(name)} is not a signal name on ${process.platform} (see os.constants.signals)`,
    );
  }
}
