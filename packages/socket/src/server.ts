import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { IpcError, throwIfAborted, toIpcError, type RecvOptions, type SendOptions } from '@ipc/core';
import { streamChannel } from '@ipc/kit';
import { Inbox } from '@ipc/kit';
import { nodePath, parseAddress, type AddressInput, type SocketAddress } from './address.js';
import { authenticate, peerIsIpc } from './auth-handshake.js';
import {
  DEFAULT_HIGH_WATER_BYTES,
  DEFAULT_HIGH_WATER_MESSAGES,
  DEFAULT_MAX_CONCURRENT_REQUESTS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_PENDING_HANDSHAKES,
  DEFAULT_MAX_UNWRITTEN_BYTES,
  type CommonOptions,
} from './options.js';
import { readPeerCredentials, withPeer } from './peer-credentials.js';
import { applySocketBuffers, checkSocketBufferBytes } from './socket-buffers.js';
import { refusal, tellRefused, uidPolicy } from './peer-policy.js';
import {
  SocketChannel,
  type ChannelOwner,
  type ConnectionInfo,
  type ErrorPhase,
  type RequestHandler,
} from './socket-channel.js';
import { bindUnixSocketFile, listenOn } from './unix-socket-file.js';

/** Options of {@link listen}. */
export interface ListenOptions<In = unknown> extends CommonOptions<In> {
  /** Permissions of a Unix socket file (`chmod`). Default `0o600` (owner only). */
  socketMode?: number | undefined;
  /** `node:tls` server options (key, cert, ca, requestCert…) for a `tls://` address; required there. */
  tls?: TlsOptions | undefined;
  /**
   * Connections served at once (those still authenticating included). One more is refused as busy:
   * the client is told (an @ipc client gets `ERR_BUSY`: from `connect` with an `authkey`, else from
   * its first `request`/`recv`; Python's `Client` with an authkey raises `AuthenticationError` whose
   * message starts with `ERR_BUSY`), the server reports `ERR_BUSY` (`phase: 'limit'`), and the
   * connection is closed. Default 8192.
   */
  maxConnections?: number | undefined;
  /**
   * With an `authkey`: connections that have not finished the handshake yet, at most. One more is
   * refused as busy (as at `maxConnections`), so clients that connect and stay silent can hold at
   * most this many slots, each for at most `authTimeout` (default 10 s), and never starve
   * authenticated clients of the rest of `maxConnections`. Default 128.
   *
   * Without an `authkey` there is no handshake: a connection is served at once, and one that never
   * sends a byte is a legitimate client (one that only receives). It holds its slot until it closes,
   * or for `idleTimeout` when you set one — set it (or an `authkey`) on a server that strangers can
   * reach.
   */
  maxPendingHandshakes?: number | undefined;
  /**
   * Milliseconds without any traffic after which a connection is closed and reported
   * (`phase: 'idle'`; `socket.setTimeout`). Default: none.
   */
  idleTimeout?: number | undefined;
  /** Milliseconds `close()` lets running request handlers finish before closing connections. Default 5,000. */
  closeTimeout?: number | undefined;
  /** The `listen(2)` backlog. Default Node's (511). */
  backlog?: number | undefined;
  /** Cancels listening while it starts (`ERR_ABORTED`). */
  signal?: AbortSignal | undefined;
  /**
   * The user ids allowed to connect to a Unix socket (path or abstract), checked against the peer
   * credentials (`SO_PEERCRED`) of each client when it connects, before anything else (before the
   * `authkey` handshake). Another uid — or a client whose credentials cannot be read — is refused: the
   * server reports it to `onError` (`ERR_PERMISSION`, `phase: 'auth'`, with uid, gid and pid), tells the
   * client (an @ipc client gets `ERR_PERMISSION`: from `connect` with an `authkey`, else from its
   * first `request`/`recv`) and closes the connection. An empty array refuses everyone.
   *
   * `listen` throws `ERR_INVALID_ARGUMENT` for a TCP/TLS address (no credentials there) and
   * `ERR_UNSUPPORTED` where credentials cannot be read (not Linux, native addon missing), so the
   * policy is never silently not enforced. Typical: `[process.getuid()]` (only this user), or
   * `[0, process.getuid()]`. Abstract sockets have no file permissions: this is their access control.
   * Default: unset (no uid check; the socket file's `socketMode` and `authkey` still apply).
   *
   * @see https://man7.org/linux/man-pages/man7/unix.7.html (`SO_PEERCRED`)
   */
  allowUids?: readonly number[] | undefined;
}

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
  private readonly handshaking = new Set<Socket>();
  /** Sockets refused as busy, open for a moment so their client can read why. */
  private readonly refusing = new Set<Socket>();
  private readonly accepted = new Inbox<SocketChannel<Out, In>>({
    highWaterMessages: Number.MAX_SAFE_INTEGER,
  });
  private handler: RequestHandler<any, any> | undefined;
  private closing: Promise<void> | undefined;
  private removeSocketFile: (() => void) | undefined;
  private readonly owner: ChannelOwner = {
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
    private readonly allowed: ReadonlySet<number> | undefined = undefined,
  ) {
    const event = address.kind === 'tls' ? 'secureConnection' : 'connection';
    server.on(event, (socket: Socket) => void this.serve(socket));
    server.on('error', (err) =>
      this.report(toIpcError(err, 'ERR_INTERNAL', 'server error'), 'accept', undefined),
    );
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

  /** @internal Set by {@link listen}. */
  setSocketFileRemover(remove: () => void): void {
    this.removeSocketFile = remove;
  }

  private async serve(socket: Socket): Promise<void> {
    socket.on('error', () => undefined); // surfaced through the channel or the handshake
    if (this.closing) {
      socket.destroy();
      return;
    }
    const limit = this.options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    const pending = this.options.maxPendingHandshakes ?? DEFAULT_MAX_PENDING_HANDSHAKES;
    if (this.live.size + this.handshaking.size >= limit) {
      this.refuseBusy(socket, `maxConnections (${limit}) reached`);
      return;
    }
    if (this.options.authkey !== undefined && this.handshaking.size >= pending) {
      this.refuseBusy(socket, `maxPendingHandshakes (${pending}) connections are authenticating`);
      return;
    }
    if (this.address.kind === 'tcp' || this.address.kind === 'tls') socket.setNoDelay(true);
    applySocketBuffers(socket, this.address, this.options.socketBufferBytes);
    const peer = readPeerCredentials(socket, this.address); // once, now: the client may exit later
    const fields = {
      address: this.address,
      remoteAddress: socket.remoteAddress,
      remotePort: socket.remotePort,
    };
    const info = withPeer({ ...fields, auth: undefined }, peer);
    if (this.allowed !== undefined) {
      const refused = refusal(peer, this.allowed);
      if (refused !== undefined) {
        this.report(refused.forServer, 'auth', info);
        // Counted against maxConnections (and closed by close()) while it lingers to read the reason.
        this.handshaking.add(socket);
        socket.once('close', () => this.handshaking.delete(socket));
        tellRefused(socket, refused.forClient, this.options);
        return;
      }
    }
    const idle = this.options.idleTimeout;
    if (idle !== undefined && idle > 0) {
      socket.setTimeout(idle, () => {
        this.report(new IpcError('ERR_TIMEOUT', `closed a connection idle for ${idle} ms`), 'idle', info);
        socket.destroy();
      });
    }
    let auth: ConnectionInfo['auth'];
    if (this.options.authkey !== undefined) {
      this.handshaking.add(socket);
      try {
        auth = await authenticate(socket, 'server', { ...this.options, authkey: this.options.authkey });
      } catch (err) {
        this.report(toIpcError(err, 'ERR_AUTH'), 'auth', info);
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
        return;
      } finally {
        this.handshaking.delete(socket);
      }
      if (this.closing) {
        socket.destroy();
        return;
      }
    }
    const ipc = peerIsIpc(socket); // close markers: see the README's "crash or close" table
    const link = streamChannel<unknown, unknown>(socket, {
      ...this.options,
      sendCloseMarker: ipc,
      expectCloseMarker: ipc,
    });
    socket.resume(); // the handshake paused it; unshifted bytes come first

    const channel = new SocketChannel<Out, In>(
      link,
      withPeer({ ...fields, auth }, peer),
      this.owner,
      settings(this.options),
      undefined,
      socket,
    );
    this.live.add(channel);
    if (this.handler !== undefined) channel.handle(this.handler);
    else this.accepted.push(channel);
  }

  /**
   * Refuses a connection because the server is full: reported (`ERR_BUSY`, `phase: 'limit'`), the
   * client told so (see `maxConnections`). Sockets lingering to tell this are few: past
   * {@link MAX_REFUSING} they are closed without a word.
   */
  private refuseBusy(socket: Socket, why: string): void {
    this.report(new IpcError('ERR_BUSY', `refused a connection: ${why}`), 'limit', undefined);
    if (this.refusing.size >= MAX_REFUSING) {
      socket.destroy();
      return;
    }
    this.refusing.add(socket);
    socket.once('close', () => this.refusing.delete(socket));
    tellRefused(socket, `the server is busy (${why}); try again later`, this.options, 'ERR_BUSY');
  }

  private async shut(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.accepted.end(new IpcError('ERR_CLOSED', 'the server is closed'));
    for (const s of this.handshaking) s.destroy();
    for (const s of this.refusing) s.destroy();
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
    const hook = this.options.onError;
    if (hook === undefined) return;
    try {
      hook(error, { phase, connection });
    } catch {
      // a failing hook must not take the server down
    }
  }
}

/** Busy-refused sockets kept open at once to tell their client why (the others are just closed). */
const MAX_REFUSING = 256;

/** The channel settings from the options. */
export function settings(options: CommonOptions<any>): ConstructorParameters<typeof SocketChannel>[3] {
  return {
    highWaterMessages: options.highWaterMessages ?? DEFAULT_HIGH_WATER_MESSAGES,
    highWaterBytes: options.highWaterBytes ?? DEFAULT_HIGH_WATER_BYTES,
    maxConcurrentRequests: options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS,
    maxUnwrittenBytes: options.maxUnwrittenBytes ?? DEFAULT_MAX_UNWRITTEN_BYTES,
  };
}

/**
 * Listens on `address` (a Unix socket path, a Linux abstract name, TCP, or TLS) and returns the server.
 * A Unix socket file is made owner-only (`socketMode`, default 0600), a stale one left by a dead
 * server is replaced, a live one is never taken over (`ERR_ADDRESS_IN_USE`), and the file is removed
 * on close. Each Unix connection carries its client's credentials (`connection.peer`, `ctx.peer`);
 * `allowUids` refuses other users (see {@link ListenOptions.allowUids}, which also lists what
 * `listen` throws for it).
 *
 * @example
 * ```ts
 * await using server = await listen('unix:///run/user/1000/app.sock');
 * server.handle(async (req: { n: number }) => ({ double: req.n * 2 }));
 * ```
 */
export async function listen<Out = unknown, In = Out>(
  address: AddressInput,
  options: ListenOptions<In> = {},
): Promise<SocketServer<Out, In>> {
  throwIfAborted(options.signal);
  const parsed = parseAddress(address);
  const allowed = uidPolicy(options.allowUids, parsed);
  checkSocketBufferBytes(options.socketBufferBytes);
  let server: Server;
  if (parsed.kind === 'tls') {
    if (options.tls === undefined) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        'a tls:// address needs options.tls (at least key and cert)',
      );
    }
    server = createTlsServer(options.tls);
  } else {
    server = createNetServer();
  }
  const onAbort = (): void => void server.close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let remover: (() => void) | undefined;
    let actual: SocketAddress = parsed;
    if (parsed.kind === 'unix') {
      remover = await bindUnixSocketFile(server, parsed.path, options.socketMode ?? 0o600, options.backlog);
    } else if (parsed.kind === 'abstract') {
      await listenOn(server, nodePath(parsed), options.backlog);
    } else {
      await listenTcp(server, parsed.host, parsed.port, options.backlog);
      actual = { ...parsed, port: (server.address() as AddressInfo).port };
    }
    if (options.signal?.aborted) {
      await new Promise((resolve) => server.close(resolve));
      remover?.();
      throwIfAborted(options.signal);
    }
    const result = new SocketServer<Out, In>(server, actual, options, allowed);
    if (remover) result.setSocketFileRemover(remover);
    return result;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function listenTcp(server: Server, host: string, port: number, backlog: number | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(toIpcError(err, 'ERR_INTERNAL', `cannot listen on ${host}:${port}`));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, backlog });
  });
}
