import { abortError, IpcError } from '@ipc/core';
import { checkCatchable, type ListenOptions } from './catchable-signal.js';
import { keepAlive } from './keep-alive.js';
import type { SignalName } from './signal-name.js';

/** Options of {@link signals}. */
export interface SignalStreamOptions extends ListenOptions {
  /** Ends the stream: its listeners are removed and a waiting `next()` rejects with `ERR_ABORTED`. */
  signal?: AbortSignal | undefined;
  /** Keep the process alive while the stream is open (Node's signal listeners alone do not). Default `true`. */
  keepAlive?: boolean | undefined;
}

interface Waiter {
  resolve: (result: IteratorResult<SignalName, undefined>) => void;
  reject: (err: unknown) => void;
}

/**
 * The signals that arrived, as an async iterator: `for await (const s of signals('SIGHUP', 'SIGUSR2'))`.
 *
 * Coalescing, honestly: a signal that arrives while the same signal is already waiting to be read is
 * merged into it. The stream holds at most one pending entry per name (memory stays bounded under a signal
 * storm, like the kernel's own pending set), in the order their first arrival; `coalesced` counts the
 * merged arrivals. What it never loses is that at least one arrived since the last read: treat each entry
 * as "something happened, go look", not as a count.
 *
 * Leaving a `for await` loop (`break`, `return`, `throw`) closes the stream and removes its listeners.
 */
export class SignalStream implements AsyncIterableIterator<SignalName, undefined>, AsyncDisposable {
  /** Arrivals merged into an entry that was already pending (so not delivered on their own). */
  coalesced = 0;
  readonly #names: readonly SignalName[];
  readonly #pending = new Set<SignalName>();
  #waiter: Waiter | undefined;
  #closed = false;
  #error: IpcError | undefined;
  readonly #release: () => void;
  readonly #signal: AbortSignal | undefined;
  readonly #listener = (name: NodeJS.Signals): void => this.#arrive(name);
  readonly #onAbort = (): void => this.#end(abortError(this.#signal as AbortSignal));

  /** Use {@link signals}. @internal */
  constructor(names: readonly SignalName[], options: SignalStreamOptions = {}) {
    this.#names = checkCatchable(names, options);
    this.#signal = options.signal;
    if (this.#signal?.aborted === true) {
      this.#release = () => {};
      this.#closed = true;
      this.#error = abortError(this.#signal);
      return;
    }
    for (const name of this.#names) process.on(name, this.#listener);
    this.#release = options.keepAlive === false ? () => {} : keepAlive();
    this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** The names this stream listens to. */
  get names(): readonly SignalName[] {
    return this.#names;
  }

  /** Signals that arrived and were not read yet, in order of their first arrival. */
  get pending(): readonly SignalName[] {
    return [...this.#pending];
  }

  /**
   * Resolves with the next signal (pending ones first); `done` once the stream is closed. One `next()` at a
   * time: a second while one waits rejects with `ERR_INVALID_ARGUMENT`.
   */
  next(): Promise<IteratorResult<SignalName, undefined>> {
    const first = this.#pending.values().next();
    if (first.done !== true) {
      this.#pending.delete(first.value);
      return Promise.resolve({ done: false, value: first.value });
    }
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#closed) return Promise.resolve({ done: true, value: undefined });
    if (this.#waiter !== undefined) {
      return Promise.reject(new IpcError('ERR_INVALID_ARGUMENT', 'next() called while a next() is waiting'));
    }
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  /** Closes the stream (called by `for await` on `break`). */
  async return(): Promise<IteratorResult<SignalName, undefined>> {
    await this.close();
    return { done: true, value: undefined };
  }

  /** Removes the listeners; pending signals are dropped and a waiting `next()` resolves `done`. Idempotent. */
  async close(): Promise<void> {
    this.#end(undefined);
  }

  /** Same as {@link SignalStream.close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#end(undefined);
  }

  /** The stream is its own iterator (iterate it once). */
  [Symbol.asyncIterator](): this {
    return this;
  }

  #arrive(name: SignalName): void {
    if (this.#closed) return;
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter.resolve({ done: false, value: name });
    } else if (this.#pending.has(name)) {
      this.coalesced += 1;
    } else {
      this.#pending.add(name);
    }
  }

  #end(error: IpcError | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    if (error === undefined) this.#pending.clear();
    for (const name of this.#names) process.off(name, this.#listener);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#release();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter === undefined) return;
    if (error === undefined) waiter.resolve({ done: true, value: undefined });
    else waiter.reject(error);
  }
}

/**
 * Iterates the given signals as they arrive: `for await (const s of signals('SIGHUP', 'SIGUSR2'))`.
 * Listening starts at once (before the first `next()`), so nothing is missed between creating the
 * stream and reading it. See {@link SignalStream} for how repeated signals are coalesced.
 *
 * @throws `ERR_INVALID_ARGUMENT` for an unknown or uncatchable name (`SIGKILL`, `SIGSTOP`, fault signals,
 *   `SIGUSR1` without `allowInspectorSignal`).
 */
export function signals(...names: SignalName[]): SignalStream;
/** Same, with options (`signal` to end it, `keepAlive`, `allowInspectorSignal`). */
export function signals(names: readonly SignalName[], options?: SignalStreamOptions): SignalStream;
export function signals(...args: unknown[]): SignalStream {
  if (Array.isArray(args[0])) {
    return new SignalStream(args[0] as SignalName[], args[1] as SignalStreamOptions | undefined);
  }
  return new SignalStream(args as SignalName[]);
}
