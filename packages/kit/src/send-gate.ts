import { abortError, toIpcError } from '@ipc/core';
import { Deque } from './deque.js';

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * The sends waiting for room (backpressure), in order: each holds its already encoded message and its
 * caller's promise. An abort removes a waiting send, which then sends nothing. Senders use it as
 * "if nobody waits and there is room, accept now; else `wait`", and call `release` when room appears.
 *
 * @typeParam T - what a waiting send holds (an encoded payload)
 */
export class SendGate<T> {
  private readonly waiting = new Deque<Waiting<T>>();

  /** @param accept - takes one item onto the transport; a throw rejects that send (as `ERR_ENCODE` unless an IpcError) */
  constructor(private readonly accept: (item: T) => void) {}

  /** How many sends are waiting. */
  get length(): number {
    return this.waiting.length;
  }

  /** Queues a send behind the others; resolves once `accept` took it, rejects `ERR_ABORTED` on abort. */
  wait(item: T, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry: Waiting<T> = { item, resolve, reject, signal, onAbort: undefined };
      if (signal) {
        entry.onAbort = () => {
          if (this.waiting.remove(entry)) reject(abortError(signal));
        };
        signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.waiting.push(entry);
    });
  }

  /** Accepts waiting sends, in order, while `hasRoom()` says so. */
  release(hasRoom: () => boolean): void {
    while (this.waiting.length > 0 && hasRoom()) {
      const entry = this.waiting.shift() as Waiting<T>;
      this.unlisten(entry);
      try {
        this.accept(entry.item);
        entry.resolve();
      } catch (err) {
        entry.reject(toIpcError(err, 'ERR_ENCODE'));
      }
    }
  }

  /** Rejects every waiting send with `error` (at close or failure). */
  rejectAll(error: unknown): void {
    for (const entry of this.waiting.drain()) {
      this.unlisten(entry);
      entry.reject(error);
    }
  }

  private unlisten(entry: Waiting<T>): void {
    if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort);
  }
}
