import { checkMs, IpcError } from '@ipc/core';
import { checkSignalName, type SignalName } from './signal-name.js';

/**
 * What {@link stopChild} needs of a child: a `ChildProcess` from `node:child_process`, or anything shaped
 * like one — a pid, `exitCode`/`signalCode` (both `null` while it runs) and an `'exit'` event.
 */
export interface ChildLike {
  /** The process id; `undefined` when it never started. */
  readonly pid?: number | undefined;
  /** The exit code once it exited normally, else `null`. */
  readonly exitCode: number | null;
  /** The signal that ended it, else `null`. */
  readonly signalCode: string | null;
  /** Subscribes once to its `'exit'` event (emitted after `exitCode`/`signalCode` are set). */
  once(event: 'exit', listener: (...args: any[]) => void): unknown;
  /** Unsubscribes (optional; without it a listener stays until the exit). */
  off?(event: 'exit', listener: (...args: any[]) => void): unknown;
}

/** A child, or an object holding one in `child` (what `@ipc/pipe`'s `spawnChannel` returns). */
export type ChildTarget = ChildLike | { readonly child: ChildLike };

/** Options of {@link stopChild} and {@link stopChildren}. */
export interface StopChildOptions {
  /** The polite signal sent first. Default `'SIGTERM'`. */
  termSignal?: SignalName | undefined;
  /** Milliseconds to wait for the child to exit after `termSignal`, before `SIGKILL`. Default 5000. */
  grace?: number | undefined;
  /** Milliseconds to wait for the exit after `SIGKILL` before reporting it as not stopped. Default 1000. */
  killWait?: number | undefined;
  /**
   * Signal the child's whole process group (`kill(-pid, sig)`) rather than the child alone, to reach its own
   * children too. The child must lead its group (spawned with `detached: true`). Default `false`.
   */
  group?: boolean | undefined;
}

/** How a child ended. */
export interface ChildStopResult {
  /** Its pid (`undefined` if it never started). */
  readonly pid: number | undefined;
  /** Its exit code, or `null` if it ended on a signal or did not end. */
  readonly exitCode: number | null;
  /** The signal that ended it, or `null`. */
  readonly signalCode: string | null;
  /** `true` when the grace period ran out and `SIGKILL` was sent. */
  readonly forced: boolean;
  /** `true` when it has exited (`false` only if it outlived `killWait` after `SIGKILL`). */
  readonly stopped: boolean;
}

function looksLikeChild(value: unknown): value is ChildLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.once === 'function' && 'exitCode' in v && 'signalCode' in v;
}

/** Finds the `ChildLike` in a target. @internal */
export function resolveChild(target: ChildTarget): ChildLike {
  if (looksLikeChild(target)) return target;
  const inner = (target as { child?: unknown } | null)?.child;
  if (looksLikeChild(inner)) return inner;
  throw new IpcError(
    'ERR_INVALID_ARGUMENT',
    'expected a ChildProcess (pid, exitCode, signalCode, an exit event) or an object with one in `child`',
  );
}

function ms(value: unknown, name: string, fallback: number): number {
  checkMs(value, name);
  return value ?? fallback;
}

/** {@link StopChildOptions} with defaults filled in. @internal */
export type ResolvedStopOptions = {
  readonly [K in keyof StopChildOptions]-?: NonNullable<StopChildOptions[K]>;
};

/** Checks options and fills in defaults. @internal */
export function stopOptions(options: StopChildOptions): ResolvedStopOptions {
  const termSignal = options.termSignal ?? 'SIGTERM';
  checkSignalName(termSignal);
  return {
    termSignal,
    grace: ms(options.grace, 'grace', 5000),
    killWait: ms(options.killWait, 'killWait', 1000),
    group: options.group === true,
  };
}

/** Tells whether a child has ended (or never started). @internal */
export function hasExited(child: ChildLike): boolean {
  return child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
}

/** Sends a signal to a running child (or its group), ignoring a child that is already gone. @internal */
export function signalChild(child: ChildLike, signal: SignalName, group: boolean): void {
  if (hasExited(child) || child.pid === undefined) return;
  try {
    process.kill(group ? -child.pid : child.pid, signal);
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ESRCH') throw err;
  }
}

function exitWithin(child: ChildLike, timeout: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off?.('exit', onExit);
      resolve(hasExited(child));
    }, timeout);
    function onExit(): void {
      clearTimeout(timer);
      resolve(true);
    }
    child.once('exit', onExit);
  });
}

/**
 * Stops a child: `termSignal` (default `SIGTERM`), up to `grace` ms for it to exit, then `SIGKILL` and up to
 * `killWait` ms more. Resolves once it has exited (its exit has been observed, so it is reaped) or
 * `killWait` ran out. A child that already exited resolves at once.
 *
 * @throws `ERR_INVALID_ARGUMENT` for something that is not a child, or bad options.
 */
export async function stopChild(
  target: ChildTarget,
  options: StopChildOptions = {},
): Promise<ChildStopResult> {
  const child = resolveChild(target);
  const o = stopOptions(options);
  let forced = false;
  let stopped = hasExited(child);
  if (!stopped) {
    signalChild(child, o.termSignal, o.group);
    stopped = await exitWithin(child, o.grace);
  }
  if (!stopped) {
    forced = true;
    signalChild(child, 'SIGKILL', o.group);
    stopped = await exitWithin(child, o.killWait);
  }
  return { pid: child.pid, exitCode: child.exitCode, signalCode: child.signalCode, forced, stopped };
}

/** Stops several children at once (all in parallel, so the whole takes one grace period, not one each). */
export function stopChildren(
  targets: Iterable<ChildTarget>,
  options: StopChildOptions = {},
): Promise<ChildStopResult[]> {
  const children = [...targets].map(resolveChild);
  stopOptions(options);
  return Promise.all(children.map((child) => stopChild(child, options)));
}
