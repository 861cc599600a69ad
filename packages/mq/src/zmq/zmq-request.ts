import { abortError, IpcError, throwIfAborted, type WaitOptions } from '@ipc/core';
import type { ZmqLink } from './zmq-link.js';

/**
 * The requesting side of ZeroMQ request/reply (`REQ`, with `ZMQ_REQ_CORRELATE` and `ZMQ_REQ_RELAXED`
 * so that a request that timed out never wedges the socket: its late reply is dropped). Requests
 * are sent one at a time, in call order.
 *
 * @typeParam Req - the requests
 * @typeParam Res - the replies
 */
export class ZmqRequester<Req, Res> implements AsyncDisposable {
  private turn: Promise<unknown> = Promise.resolve();

  /** @internal */
  constructor(
    private readonly link: ZmqLink<Req, Res>,
    private readonly defaultTimeout: number | undefined,
  ) {}

  /**
   * Sends `request` and resolves with the reply. Rejects with `ERR_TIMEOUT` after `timeout` ms (the
   * factory's `timeout` by default), `ERR_ABORTED`, `ERR_REMOTE` when the replier's handler threw,
   * `ERR_CLOSED` after close.
   */
  request(request: Req, options: WaitOptions = {}): Promise<Res> {
    const timeout = options.timeout ?? this.defaultTimeout;
    const started = Date.now();
    const run = async (): Promise<Res> => {
      throwIfAborted(options.signal);
      const left = timeout === undefined ? undefined : Math.max(0, timeout - (Date.now() - started));
      this.link.discardBuffered();
      await this.link.send(request, { signal: options.signal, timeout: left });
      const rest = timeout === undefined ? undefined : Math.max(0, timeout - (Date.now() - started));
      return this.link.recv({ signal: options.signal, timeout: rest });
    };
    const result = this.turn.then(run, run);
    this.turn = result.catch(() => undefined);
    if (options.signal !== undefined && !options.signal.aborted) {
      const signal = options.signal;
      return new Promise<Res>((resolve, reject) => {
        const onAbort = (): void => reject(abortError(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        result.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    }
    return result;
  }

  /** Closes the socket; a pending request rejects with `ERR_CLOSED`. Idempotent. */
  close(): Promise<void> {
    return this.link.close();
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Handles one request and returns (or resolves with) the reply. A throw becomes `ERR_REMOTE` for the requester. */
export type ReplyHandler<Req, Res> = (request: Req) => Res | Promise<Res>;

/** A request/reply error reply carrying the handler's message. */
export function remoteErrorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Whether an error means the socket was closed. */
export function isClosedError(err: unknown): boolean {
  return err instanceof IpcError && err.code === 'ERR_CLOSED';
}
