import { IpcError, waitWith, type SendOptions } from '@ipc/core';
import { Deque, type StreamSender } from '@ipc/kit';
import type { DisconnectedPolicy } from './reconnect-options.js';

interface WaitingSend {
  message: unknown;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The sends of a reconnecting client made while it is disconnected (`reconnect.whileDisconnected`):
 * in `'buffer'` mode they wait (at most `bufferLimit`) and go out on the next link, in order; in
 * `'fail'` mode, and on a channel that does not reconnect, they reject at once with `ERR_PEER_GONE`.
 */
export class SendsWhileDown {
  private readonly waiting = new Deque<WaitingSend>();

  /** @param policy - the client's policy; `undefined`: the channel does not reconnect */
  constructor(private readonly policy: DisconnectedPolicy | undefined) {}

  /** Whether the channel reconnects (a send that failed with the link may wait for the next). */
  get reconnects(): boolean {
    return this.policy !== undefined;
  }

  /** A send while disconnected: waits for {@link SendsWhileDown.flush}, or rejects per the policy. */
  wait(message: unknown, options: SendOptions | undefined): Promise<void> {
    const policy = this.policy;
    if (policy === undefined || policy.mode === 'fail') {
      return Promise.reject(
        new IpcError('ERR_PEER_GONE', 'disconnected (reconnecting); whileDisconnected is "fail"'),
      );
    }
    if (this.waiting.length >= policy.limit) {
      return Promise.reject(
        new IpcError(
          'ERR_PEER_GONE',
          `disconnected and ${policy.limit} sends already wait for the reconnect`,
        ),
      );
    }
    return waitWith<void>({ signal: options?.signal }, (resolve, reject) => {
      const entry: WaitingSend = { message, resolve, reject };
      this.waiting.push(entry);
      return () => this.waiting.remove(entry);
    });
  }

  /** Sends what waited with the new connection's `sender`, in order. */
  flush(sender: StreamSender<unknown>): void {
    for (const w of this.waiting.drain()) sender.send(w.message).then(w.resolve, w.reject);
  }

  /** Rejects every waiting send with `error` (closed, or reconnecting gave up). */
  fail(error: IpcError): void {
    for (const w of this.waiting.drain()) w.reject(error);
  }
}
