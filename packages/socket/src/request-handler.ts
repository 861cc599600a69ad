import type { WaitOptions } from '@ipc/core';
import type { PeerCredentials } from './peer-credentials.js';
import type { SocketChannel } from './socket-channel.js';

/** The context a request handler gets. */
export interface RequestContext<Out = unknown, In = unknown> {
  /** The request's correlation id; `undefined` for a one-way message (an ordinary `send`). */
  readonly id: number | undefined;
  /** Fires when the caller gives up (timeout, abort), or the connection closes or is lost. */
  readonly signal: AbortSignal;
  /** The connection the request came on (to send notifications, or to read its `info`). */
  readonly connection: SocketChannel<Out, In>;
  /**
   * The credentials of the process that sent the request, for a Unix socket; `undefined` for TCP/TLS.
   * The same as `connection.peer`, and like it throws `ERR_UNSUPPORTED` where they cannot be read.
   */
  readonly peer: PeerCredentials | undefined;
}

/**
 * Answers requests. Its return value is the reply; what it throws reaches the caller as `ERR_REMOTE`
 * with the message (and `cause.code`/`cause.name`). An ordinary message (not a request) also goes to
 * the handler, with `ctx.id` undefined; its result is discarded and a failure is reported to `onError`.
 */
export type RequestHandler<Req = unknown, Res = unknown> = (
  request: Req,
  ctx: RequestContext,
) => Res | Promise<Res>;

/** Options of {@link SocketChannel.request}. */
export interface RequestOptions extends WaitOptions {
  /** Cancels the request: rejects with `ERR_ABORTED` and fires the handler's `ctx.signal`. */
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait for the reply (`ERR_TIMEOUT`, and the handler's `ctx.signal` fires). Default: no limit. */
  timeout?: number | undefined;
}

/** A handler's {@link RequestContext}: `peer` is a prototype getter, so no closure per request. */
export class HandlerContext implements RequestContext {
  /**
   * @param id - the request's id (`undefined`: a one-way message)
   * @param signal - fires when the caller gives up or the connection goes
   * @param connection - the connection the request came on
   */
  constructor(
    readonly id: number | undefined,
    readonly signal: AbortSignal,
    readonly connection: SocketChannel<any, any>,
  ) {}

  /** {@inheritDoc RequestContext.peer} */
  get peer(): PeerCredentials | undefined {
    return this.connection.peer;
  }
}
