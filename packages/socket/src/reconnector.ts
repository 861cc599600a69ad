import { IpcError, toIpcError, waitWith } from '@ipc/core';
import { reconnectDelay } from '@ipc/kit';
import type { SocketAddress } from './address.js';
import type { ChallengeGuard } from './challenge-guard.js';
import { dial } from './client-dial.js';
import type { ConnectOptions } from './connect-options.js';
import { reportError } from './options.js';
import type { ClientReconnect } from './reconnect-options.js';
import type { ConnectionInfo } from './connection-info.js';
import type { SocketLink } from './socket-link.js';

/** What the reconnector drives: the client's `SocketChannel` (named by its shape: no import cycle). */
export interface ReconnectTarget {
  /** Closed by the user: stop. */
  readonly closed: boolean;
  /** The connection as it was, for `onError`. */
  readonly info: ConnectionInfo;
  /** Makes a new connection the channel's link. */
  attach(link: SocketLink, info: ConnectionInfo): Promise<void>;
  /** Fails the channel (a refusal arrived on the new connection). */
  fail(error: IpcError): void;
  /** Ends the channel for good: the attempts ran out. */
  terminate(error: IpcError | undefined): void;
}

/**
 * A reconnecting client's retries after its connection was lost: waits (back-off with jitter, see
 * `reconnect`), connects again, and attaches the new connection to the channel — until one works,
 * the channel closes, or the attempts run out (the channel then fails with `ERR_PEER_GONE`).
 */
export class Reconnector {
  private readonly stopper = new AbortController();

  /**
   * @param channel - the client's channel
   * @param address - where to connect
   * @param options - the client's options
   * @param policy - how often and when to retry
   * @param guard - watches a new connection's first message (no `authkey`)
   * @param ipc - whether the first server was @ipc: the channel's receiver expects close markers
   *   from every server after it exactly when it did
   */
  constructor(
    private readonly channel: ReconnectTarget,
    private readonly address: SocketAddress,
    private readonly options: ConnectOptions<any>,
    private readonly policy: ClientReconnect,
    private readonly guard: ChallengeGuard | undefined,
    private readonly ipc: boolean,
  ) {}

  /** Stops retrying (the channel closed). */
  stop(): void {
    this.stopper.abort();
  }

  /** Retries until a new connection is attached, the channel closes, or the attempts run out. */
  async run(): Promise<void> {
    const signal = this.stopper.signal;
    let last: IpcError | undefined;
    const backoff = this.policy.backoff;
    for (let attempt = 0; attempt < backoff.maxAttempts; attempt++) {
      try {
        await waitWith<void>({ signal, timeout: undefined }, (resolve) => {
          const t = setTimeout(resolve, reconnectDelay(backoff, attempt));
          return () => clearTimeout(t);
        });
        const next = await dial(this.address, this.options, this.guard, signal);
        if (signal.aborted || this.channel.closed) {
          next.link.socket.destroy();
          return;
        }
        if (next.link.ipc !== this.ipc) {
          next.link.socket.destroy();
          throw new IpcError(
            'ERR_UNSUPPORTED',
            `the server now ${next.link.ipc ? 'is' : 'is not'} an @ipc peer, unlike the first one: a reconnecting client reads every server the way it read the first (close markers)`,
          );
        }
        next.challenged.then = (error) => this.channel.fail(error);
        await this.channel.attach(next.link, next.info);
        return;
      } catch (err) {
        if (signal.aborted) return;
        last = toIpcError(err, 'ERR_PEER_GONE');
        reportError(this.options, last, 'reconnect', this.channel.info);
        if (last.code === 'ERR_PERMISSION') break; // refused by the server's policy: retrying cannot help
      }
    }
    this.channel.terminate(
      last?.code === 'ERR_PERMISSION'
        ? last
        : new IpcError('ERR_PEER_GONE', `gave up reconnecting after ${backoff.maxAttempts} attempts`, {
            cause: last,
          }),
    );
  }
}
