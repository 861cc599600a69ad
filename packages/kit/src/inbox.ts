import { IpcError, toIpcError, waitWith, type Codec, type RecvOptions } from '@ipc/core';
import { Deque } from './deque.js';

type Entry<T> = { ok: true; value: T; bytes: number } | { ok: false; error: unknown; bytes: number };
interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

/** Options of {@link Inbox}. */
export interface InboxOptions {
  /** Above this many buffered messages `onFull` is called (default 1024). */
  highWaterMessages?: number;
  /** Above this many buffered bytes `onFull` is called (default 16 MiB). */
  highWaterBytes?: number;
  /** Called when the buffer goes above a high-water mark: stop reading from the source. */
  onFull?: () => void;
  /** Called when the buffer falls to half the marks again: resume reading. */
  onRoom?: () => void;
}

/**
 * The receiving side's buffer that every transport shares: messages and per-message errors in
 * order, waiting `recv` calls with `signal`/`timeout`, async iteration, flow control hooks, and the
 * end (clean: `ERR_CLOSED`, iteration ends) or failure (every later `recv` rejects with it).
 */
export class Inbox<T> implements AsyncIterable<T> {
  private readonly entries = new Deque<Entry<T>>();
  private readonly waiters = new Deque<Waiter<T>>();
  private bytes = 0;
  private full = false;
  private closed = false;
  private ending: IpcError | undefined;
  private failure: Error | undefined;
  private readonly highMessages: number;
  private readonly highBytes: number;

  /** @param options - flow control marks and hooks */
  constructor(private readonly options: InboxOptions = {}) {
    this.highMessages = options.highWaterMessages ?? 1024;
    this.highBytes = options.highWaterBytes ?? 16 * 1024 * 1024;
  }

  /** Whether the inbox has ended or failed (no more messages will be added). */
  get done(): boolean {
    return this.ending !== undefined || this.failure !== undefined;
  }

  /** How many messages (and per-message errors) are buffered. */
  get size(): number {
    return this.entries.length;
  }

  /** How many `recv` calls are waiting for a message. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** The next buffered message without taking it, or `undefined` when none (or an error) is next. */
  peek(): { value: T } | undefined {
    const entry = this.entries.peek();
    return entry?.ok === true ? { value: entry.value } : undefined;
  }

  /**
   * Puts a message that `recv` returned back in front of the others (its taker refused it, and it
   * must not be lost): the next `recv` gets it.
   */
  unshift(value: T, bytes = 0): void {
    if (this.closed) return;
    const waiter = this.waiters.shift();
    if (waiter) return waiter.resolve(value);
    this.entries.unshift({ ok: true, value, bytes });
    this.grow(bytes);
  }

  /** Delivers a message (`bytes` is its size, for the flow control). */
  push(value: T, bytes = 0): void {
    if (this.done) return;
    const waiter = this.waiters.shift();
    if (waiter) return waiter.resolve(value);
    this.entries.push({ ok: true, value, bytes });
    this.grow(bytes);
  }

  /**
   * Decodes one frame with `codec`, checks it with `validate`, and delivers the message, or
   * `ERR_DECODE` / `ERR_INVALID_MESSAGE` in its place: the receive step every byte-stream transport shares.
   */
  pushFrame(frame: Uint8Array, codec: Codec<T>, validate?: (value: unknown) => T): void {
    let value: T;
    try {
      value = codec.decode(frame);
      if (validate) value = validate(value);
    } catch (err) {
      this.pushError(toIpcError(err, 'ERR_DECODE'), frame.byteLength);
      return;
    }
    this.push(value, frame.byteLength);
  }

  /** Delivers an error in the place of one message (a decode or validation failure). */
  pushError(error: unknown, bytes = 0): void {
    if (this.done) return;
    const waiter = this.waiters.shift();
    if (waiter) return waiter.reject(error);
    this.entries.push({ ok: false, error, bytes });
    this.grow(bytes);
  }

  /** Ends cleanly: buffered messages are still received, then `recv` rejects with `reason` and iteration ends. */
  end(reason: IpcError = new IpcError('ERR_CLOSED', 'the channel was ended by the peer')): void {
    if (this.done) return;
    this.ending = reason;
    if (this.entries.length === 0) for (const w of this.waiters.drain()) w.reject(reason);
  }

  /** Fails: buffered messages are still received, then every `recv` rejects with `error`. */
  fail(error: unknown): void {
    if (this.done) return;
    const failure = error instanceof Error ? error : toIpcError(error);
    this.failure = failure;
    if (this.entries.length === 0) for (const w of this.waiters.drain()) w.reject(failure);
  }

  /** Closes now: buffered messages are dropped and every `recv` rejects with `ERR_CLOSED`. */
  close(reason: IpcError = new IpcError('ERR_CLOSED', 'the channel is closed')): void {
    this.closed = true;
    this.entries.drain();
    this.bytes = 0;
    this.failure = undefined;
    this.ending = reason;
    for (const w of this.waiters.drain()) w.reject(reason);
  }

  /**
   * Takes the next buffered message at once: `{ value }`, or `undefined` when none is buffered yet.
   * Throws what {@link recv} would reject with: a buffered per-message error, or the end or failure
   * once nothing is left.
   */
  poll(): { value: T } | undefined {
    const entry = this.take();
    if (entry !== undefined) {
      if (entry.ok) return { value: entry.value };
      throw entry.error;
    }
    if (this.failure !== undefined) throw this.failure;
    if (this.ending !== undefined) throw this.ending;
    return undefined;
  }

  /** Receives the next message (see {@link Receiver.recv}). */
  recv(options: RecvOptions = {}): Promise<T> {
    const entry = this.take();
    if (entry !== undefined) {
      return entry.ok ? Promise.resolve(entry.value) : Promise.reject(entry.error);
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.ending !== undefined) return Promise.reject(this.ending);
    if (options.signal === undefined && options.timeout === undefined) {
      return new Promise<T>((resolve, reject) => this.waiters.push({ resolve, reject }));
    }
    return waitWith<T>(options, (resolve, reject) => {
      const waiter = { resolve, reject };
      this.waiters.push(waiter);
      return () => this.waiters.remove(waiter);
    });
  }

  /** Iterates messages until the end; throws a failure. Breaking out of the loop does not close anything. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    return {
      next: () => {
        // A buffered message settles the step at once: one promise, not a chain of two.
        const entry = this.take();
        if (entry !== undefined) {
          return entry.ok
            ? Promise.resolve<IteratorResult<T>>({ done: false, value: entry.value })
            : Promise.reject(entry.error);
        }
        return this.recv().then(
          (value): IteratorResult<T> => ({ done: false, value }),
          (err: unknown) => {
            if (err === this.ending) return done;
            throw err;
          },
        );
      },
      return: () => Promise.resolve(done),
    };
  }

  /** The next buffered entry, taken out (and its bytes off the flow-control count). */
  private take(): Entry<T> | undefined {
    const entry = this.entries.shift();
    if (entry !== undefined) this.shrink(entry.bytes);
    return entry;
  }

  private grow(bytes: number): void {
    this.bytes += bytes;
    if (!this.full && (this.entries.length >= this.highMessages || this.bytes >= this.highBytes)) {
      this.full = true;
      this.options.onFull?.();
    }
  }

  private shrink(bytes: number): void {
    this.bytes -= bytes;
    if (this.full && this.entries.length <= this.highMessages / 2 && this.bytes <= this.highBytes / 2) {
      this.full = false;
      this.options.onRoom?.();
    }
  }
}
