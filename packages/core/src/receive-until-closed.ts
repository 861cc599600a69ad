import { isIpcError } from './errors.js';

/**
 * An async iterator over a receiver's `recv`, for its `[Symbol.asyncIterator]`: each `next` receives
 * one message; an `ERR_CLOSED` rejection (this side closed, or the peer ended the stream) ends the
 * iteration, and it stays ended; any other error is thrown into the loop. Leaving the loop early
 * closes nothing.
 *
 * @example
 * ```ts
 * class MyReceiver<T> implements Receiver<T> {
 *   [Symbol.asyncIterator](): AsyncIterator<T> {
 *     return receiveUntilClosed(() => this.recv());
 *   }
 * }
 * ```
 */
export function receiveUntilClosed<T>(recv: () => Promise<T>): AsyncIterator<T> {
  const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
  let ended = false;
  // The callbacks are made once per loop, not once per message.
  const step = (value: T): IteratorResult<T> => ({ done: false, value });
  const end = (err: unknown): IteratorResult<T> => {
    if (!isIpcError(err, 'ERR_CLOSED')) throw err;
    ended = true;
    return done;
  };
  return {
    next: () => (ended ? Promise.resolve(done) : recv().then(step, end)),
    return: () => {
      ended = true;
      return Promise.resolve(done);
    },
  };
}
