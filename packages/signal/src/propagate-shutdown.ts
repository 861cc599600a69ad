import { unsubscriber, type Unsubscribe } from './on-signal.js';
import { addLastWords, addShutdownEntry, armShutdown } from './shutdown.js';
import type { SignalName } from './signal-name.js';
import {
  hasExited,
  resolveChild,
  signalChild,
  stopChild,
  stopOptions,
  type ChildLike,
  type ChildTarget,
  type ResolvedStopOptions,
  type StopChildOptions,
} from './stop-children.js';

/** Options of {@link propagateShutdown}. */
export interface PropagateShutdownOptions extends StopChildOptions {
  /** The signals that start a shutdown (added to the armed set). Default `['SIGTERM', 'SIGINT']`. */
  signals?: readonly SignalName[] | undefined;
}

const children = new Map<ChildLike, ResolvedStopOptions>();
let registered = false;
const MARGIN_MS = 500;

function register(): void {
  if (registered) return;
  registered = true;
  addShutdownEntry(
    {
      name: 'stop children',
      cleanup: async () => {
        await Promise.all([...children].map(([child, o]) => stopChild(child, o)));
      },
      timeout: () => {
        let budget = 0;
        for (const o of children.values()) budget = Math.max(budget, o.grace + o.killWait);
        return budget + MARGIN_MS;
      },
    },
    [],
  );
  addLastWords(() => {
    for (const [child, o] of children) signalChild(child, 'SIGKILL', o.group);
  });
}

/**
 * Makes a shutdown (see `onShutdown`) stop this child too: `termSignal` (default `SIGTERM`), up to `grace` ms,
 * then `SIGKILL`. All registered children are stopped in parallel, by one cleanup that takes its place in
 * the cleanup order where the first `propagateShutdown` call put it; a second signal during shutdown
 * `SIGKILL`s them before exiting. A child that exits on its own is forgotten.
 *
 * Works with a plain `ChildProcess` and with anything holding one in `child` (the result of
 * `@ipc/pipe`'s `spawnChannel`); this package does not depend on `@ipc/pipe`.
 *
 * @returns a function that stops propagating to this child
 * @throws `ERR_INVALID_ARGUMENT` for something that is not a child, or bad options.
 */
export function propagateShutdown(target: ChildTarget, options: PropagateShutdownOptions = {}): Unsubscribe {
  const child = resolveChild(target);
  const o = stopOptions(options);
  armShutdown(options.signals);
  if (hasExited(child)) return unsubscriber(() => {});
  register();
  children.set(child, o);
  const onExit = (): void => {
    children.delete(child);
  };
  child.once('exit', onExit);
  return unsubscriber(() => {
    children.delete(child);
    child.off?.('exit', onExit);
  });
}
