import { IpcError } from '@ipc/core';
import { reconnectPolicy, type ReconnectOptions as BackoffOptions, type ReconnectPolicy } from '@ipc/kit';

/**
 * Options of a reconnecting client (`connect(address, { reconnect })`): the back-off of @ipc/kit's
 * reconnect policy (`maxAttempts` default 10, `initialDelay` 100, `maxDelay` 5,000, `factor` 2,
 * `jitter` 0.5) plus what sends do while disconnected.
 */
export interface ReconnectOptions extends BackoffOptions {
  /** @deprecated The former name of `maxAttempts` (still accepted). */
  attempts?: number | undefined;
  /**
   * What `send` (and `request`) does while disconnected: `'buffer'` waits for the next connection
   * (at most `bufferLimit` sends wait; one more rejects), `'fail'` rejects at once with `ERR_PEER_GONE`.
   * Either way nothing is dropped silently: a waiting send rejects if reconnecting gives up.
   * Default `'buffer'`.
   */
  whileDisconnected?: 'buffer' | 'fail' | undefined;
  /** How many sends may wait while disconnected in `'buffer'` mode. Default 1,000. */
  bufferLimit?: number | undefined;
}

/** How sends behave while a reconnecting client is disconnected. */
export interface DisconnectedPolicy {
  /** `'buffer'`: a send waits for the next connection; `'fail'`: it rejects at once with `ERR_PEER_GONE`. */
  mode: 'buffer' | 'fail';
  /** In `'buffer'` mode, how many sends may wait; one more rejects with `ERR_PEER_GONE`. */
  limit: number;
}

/** A client's reconnect options with the defaults filled in and checked. */
export interface ClientReconnect {
  /** When and how often to retry. */
  backoff: ReconnectPolicy;
  /** What sends do meanwhile. */
  disconnected: DisconnectedPolicy;
}

/** Failed attempts in a row before a client gives up, unless `maxAttempts` says otherwise. */
const DEFAULT_MAX_ATTEMPTS = 10;

/** Fills in defaults and checks the values (`ERR_INVALID_ARGUMENT`); `undefined`: no reconnecting. */
export function clientReconnect(
  options: ReconnectOptions | boolean | undefined,
): ClientReconnect | undefined {
  if (options === undefined || options === false) return undefined;
  const o = options === true ? {} : options;
  const backoff = reconnectPolicy(o, {
    defaults: { maxAttempts: DEFAULT_MAX_ATTEMPTS },
    formerMaxAttempts: ['attempts'],
  });
  const disconnected: DisconnectedPolicy = {
    mode: o.whileDisconnected ?? 'buffer',
    limit: o.bufferLimit ?? 1000,
  };
  const bad = (what: string): IpcError => new IpcError('ERR_INVALID_ARGUMENT', `reconnect.${what}`);
  if (disconnected.mode !== 'buffer' && disconnected.mode !== 'fail') {
    throw bad('whileDisconnected must be "buffer" or "fail"');
  }
  if (!(Number.isInteger(disconnected.limit) && disconnected.limit >= 0)) {
    throw bad('bufferLimit must be an integer ≥ 0');
  }
  return { backoff, disconnected };
}
