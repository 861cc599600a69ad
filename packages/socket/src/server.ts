import type { Server, Socket } from 'node:net';
import { IpcError, throwIfAborted, toIpcError, type RecvOptions, type SendOptions } from '@ipc/core';
import { Inbox } from '@ipc/kit';
import type { SocketAddress } from './address.js';
import { ConnectionAdmission } from './connection-admission.js';
import type { ListenOptions } from './listen-options.js';
import { reportError, settings } from './options.js';
import {
  SocketChannel,
  type ChannelOwner,
  type ConnectionInfo,
  type ErrorPhase,
  type RequestHandler,
} from './socket-channel.js';

export type { ListenOptions } from './listen-options.js';

/**
 * A listening server: an async iterable of its connections (each a {@link SocketChannel}), with
 * `broadcast`, `connections`, request handling and a graceful `close`.
 *
 * Iteration yields each new connection once it is authenticated; it ends when the server closes.
 * Breaking out of the loop does not close the server. When a handler is set with
 * {@link SocketServer.handle}, connections are served by it and are not yielded.
 *
 * @typeParam Out - messages the server sends
 * @typeParam In - messages the server receives
 */
export class SocketServer<Out = unknown, In = Out>
  implements AsyncIterable<SocketChannel<Out, In>>, AsyncDisposable
{
  private readonly live = new Set<SocketChannel<Out, In>>();
  private readonly admission: ConnectionAdmission;
  private readonly accepted = new Inbox<SocketChannel<Out, In>>({
    highWaterMessages: Number.MAX_SAFE_INTEGER,
  });
  private handler: RequestHandler<any, any> | undefined;
  private closing: Promise<void> | undefined;
  private removeSocketFile: (() => void) | undefined;
  private readonly owner: ChannelOwner<SocketChannel<any, any>> = {
    linkLost: (channel, error) => {
      if (error !== undefined) this.report(error, 'read', channel.info);
      return false;
    },
    report: (error, phase, channel) => this.report(error, phase, channel.info),
    closed: (channel) => this.live.delete(channel as SocketChannel<Out, In>),
  };

  /** @internal Use {@link listen}. */
  constructor(
    private readonly server: Server,
    /** The address the server listens on (with the real port when 0 was asked for). */
    public address: SocketAddress,
    private readonly options: ListenOptions<In>,
    /** The uids `allowUids` lets in (validated by {@link listen}); undefined: no check. */
    allowed: ReadonlySet<number> | undefined = undefined,
  ) {
    this.admission = new ConnectionAdmission(
      {
        address: () => this.address,
        served: () => this.live.size,
        closed: () => this.closing !== undefined,
        report: (error, phase, connection) => this.report(error, phase, connection),
      },
      options,
      allowed,
    );
    // Heeded from before the bind: a connection that comes while `listen` finishes is served.
    const event = address.kind === 'tls' ? 'secureConnection' : 'connection';
    server.on(event, (socket: Socket) => void this.serve(socket));
    if (address.kind === 'tls') {
      server.on('tlsClientError', (err: Error) =>
        this.report(toIpcError(err, 'ERR_AUTH', 'TLS handshake failed'), 'auth', undefined),
      );
    }
  }

  /** The open connections. */
  get connections(): ReadonlySet<SocketChannel<Out, In>> {
    return this.live;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /**
   * Serves requests on every connection, present and future, with `handler` (see
   * {@link SocketChannel.handle}). Connections are then no longer yielded by iteration.
   */
  handle<Req = In, Res = Out>(handler: RequestHandler<Req, Res>): this {
    this.handler = handler as RequestHandler<any, any>;
    for (const c of this.live) c.handle(this.handler);
    return this;
  }

  /** Waits for the next connection (what iteration yields). Rejects with `ERR_CLOSED` once the server closes. */
  accept(options?: RecvOptions): Promise<SocketChannel<Out, In>> {
    return this.accepted.recv(options);
  }

  /**
   * Sends `message` to every open connection. Resolves with how many accepted it; a connection that
   * failed is reported to `onError` (`phase: 'reply'`).
   */
  async broadcast(message: Out, options?: SendOptions): Promise<number> {
    throwIfAborted(options?.signal);
    const targets = [...this.live];
    const results = await Promise.allSettled(targets.map((c) => c.send(message, options)));
    let ok = 0;
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') ok++;
      else this.report(toIpcError(r.reason, 'ERR_PEER_GONE', 'broadcast failed'), 'reply', targets[i]?.info);
    });
    return ok;
  }

  /**
   * Closes gracefully: stops accepting, lets running request handlers finish (up to `closeTimeout`),
   * then flushes and closes every connection and removes the socket file. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shut();
    return this.closing;
  }

  /** Closes (see {@link SocketServer.close}). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Yields connections as they come, until the server closes. */
  [Symbol.asyncIterator](): AsyncIterator<SocketChannel<Out, In>> {
    return this.accepted[Symbol.asyncIterator]();
  }

  /**
   * @internal Called by {@link listen} once bound: the real address (TCP port 0), the socket file's
   * remover, and from now on the server's errors go to `onError` (before, `listen` throws them).
   */
  listening(address: SocketAddress, removeSocketFile: (() => void) | undefined): void {
    this.address = address;
    this.removeSocketFile = removeSocketFile;
    this.server.on('error', (err) =>
      this.report(toIpcError(err, 'ERR_INTERNAL', 'server error'), 'accept', undefined),
    );
  }

  private async serve(socket: Socket): Promise<void> {
    const admitted = await this.admission.admit(socket);
    if (admitted === undefined) return;
    const channel = new SocketChannel<Out, In>(
      admitted.receiver,
      admitted.link,
      admitted.info,
      this.owner,
      settings(this.options),
      undefined,
    );
    this.live.add(channel);
    if (this.handler !== undefined) channel.handle(this.handler);
    else this.accepted.push(channel);
  }

  private async shut(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.accepted.end(new IpcError('ERR_CLOSED', 'the server is closed'));
    this.admission.destroyAll();
    const channels = [...this.live];
    const grace = this.options.closeTimeout ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(channels.map((c) => c.whenIdle())),
      new Promise((resolve) => (timer = setTimeout(resolve, grace))),
    ]);
    clearTimeout(timer);
    await Promise.all(channels.map((c) => c.close()));
    await stopped;
    this.removeSocketFile?.();
  }

  private report(error: IpcError, phase: ErrorPhase, connection: ConnectionInfo | undefined): void {
    reportError(this.options, error, phase, connection);
  }
}
