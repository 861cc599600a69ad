import { IpcError } from '@ipc/core';
import { checkSignalName, type SignalName } from './signal-name.js';

/** Options of every call that installs a signal listener. */
export interface ListenOptions {
  /**
   * Allow listening to `SIGUSR1`. Node reserves it to start the inspector (`node --inspect` on demand):
   * a listener may interfere with debugging, so it is refused unless this is `true`. Default `false`.
   * While listening, the inspector does not start on `SIGUSR1`; once the last listener is removed the
   * signal's default action (terminate the process) applies, not the inspector.
   *
   * @see https://nodejs.org/api/process.html#signal-events
   */
  allowInspectorSignal?: boolean | undefined;
}

const uncatchable = new Set<string>(['SIGKILL', 'SIGSTOP']);
const faults = new Set<string>(['SIGSEGV', 'SIGBUS', 'SIGFPE', 'SIGILL']);

/**
 * Throws `ERR_INVALID_ARGUMENT` unless every name is a signal a Node listener can safely catch:
 * `SIGKILL`/`SIGSTOP` cannot be caught at all, the fault signals (`SIGSEGV`, `SIGBUS`, `SIGFPE`, `SIGILL`)
 * leave the process in a state where JavaScript cannot safely run, and `SIGUSR1` needs
 * `allowInspectorSignal`. Returns the names without duplicates. @internal
 */
export function checkCatchable(names: readonly unknown[], options: ListenOptions = {}): SignalName[] {
  if (!Array.isArray(names) || names.length === 0) {
    throw new IpcError('ERR_INVALID_ARGUMENT', 'give at least one signal name');
  }
  const out = new Set<SignalName>();
  for (const name of names) {
    checkSignalName(name);
    if (uncatchable.has(name)) {
      throw new IpcError('ERR_INVALID_ARGUMENT', `${name} cannot be caught, blocked or ignored (signal(7))`);
    }
    if (faults.has(name)) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `${name} reports a fault; JavaScript listeners cannot run safely after it (Node docs, signal events)`,
      );
    }
    if (name === 'SIGUSR1' && options.allowInspectorSignal !== true) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        'SIGUSR1 is the signal Node uses to start its inspector; listening to it may break debugging. ' +
          'Use SIGUSR2, or pass { allowInspectorSignal: true } if you mean it',
      );
    }
    out.add(name);
  }
  return [...out];
}

/** Accepts one name or a list. @internal */
export function nameList(signals: SignalName | readonly SignalName[]): readonly unknown[] {
  return typeof signals === 'string' ? [signals] : signals;
}
