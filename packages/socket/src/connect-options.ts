import type { ConnectionOptions } from 'node:tls';
import type { CommonOptions } from './options.js';
import type { ReconnectOptions } from './reconnect-options.js';

/** Options of `connect`. */
export interface ConnectOptions<In = unknown> extends CommonOptions<In> {
  /** Milliseconds the connection (and its authentication) may take: `ERR_TIMEOUT`. Default: no limit. */
  timeout?: number | undefined;
  /** Cancels connecting (`ERR_ABORTED`). */
  signal?: AbortSignal | undefined;
  /** `node:tls` client options (ca, servername, cert…) for a `tls://` address. */
  tls?: ConnectionOptions | undefined;
  /**
   * Reconnect automatically when an established connection is lost: `true` for the defaults, or
   * {@link ReconnectOptions}. The first connect is not retried. Default: off (the channel ends).
   * Messages accepted by `send` just before a loss may be lost with the connection, as with any
   * socket; use `request` when you need to know.
   */
  reconnect?: boolean | ReconnectOptions | undefined;
}
