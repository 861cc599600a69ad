import type { TlsOptions } from 'node:tls';
import type { CommonOptions } from './options.js';

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
