import type { WaitOptions } from '@ipc/core';
import type { PeerCredentials } from './peer-credentials.js';

/** Options of `SocketChannel.request`. */
export interface RequestOptions extends WaitOptions {
  /** Cancels the request: rejects with `ERR_ABORTED` and fires the handler's `ctx.signal`. */
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait for the reply (`ERR_TIMEOUT`, and the handler's `ctx.signal` fires). Default: no limit. */
  timeout?: number | undefined;
}

/**
 * A handler's `RequestContext` (see socket-channel.ts): `peer` is a prototype getter, so no closure
 * per request. `C` is the connection type (`SocketChannel`; a parameter so that this file needs no
 * import of it).
 */
export class HandlerContext<C extends { readonly peer: PeerCredentials | undefined }> {
  /**
   * @param id - the request's id (`undefined`: a one-way message)
   * @param signal - fires when the caller gives up or the connection goes
   * @param connection - the connection the request came on
   */
  constructor(
    readonly id: number | undefined,
    readonly signal: AbortSignal,
    readonly connection: C,
  ) {}

  /** {@inheritDoc RequestContext.peer} */
  get peer(): PeerCredentials | undefined {
    return this.connection.peer;
  }
}
