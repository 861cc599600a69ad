import type { SocketAddress } from './address.js';
import type { AuthDigest } from './auth-handshake.js';

/**
 * Credentials of the process at the other end of a Unix socket (path or abstract), as the kernel
 * recorded them when the connection was made (Linux `getsockopt(SO_PEERCRED)`, see `unix(7)`): for a
 * server's connection, the client process at `connect(2)` time; for a client, the server process at
 * `listen(2)` time. They are read once, when the connection is made, so they stay available after the
 * peer exits; the peer cannot forge them.
 *
 * The ids are as seen from this process's namespaces: a peer in a user namespace this one cannot map
 * shows the overflow id (65534), a pid not visible in this pid namespace shows `0`. A pid can be reused
 * once its process exits: log it, but decide access by `uid`/`gid`.
 *
 * @see https://man7.org/linux/man-pages/man7/unix.7.html (`SO_PEERCRED`)
 */
export interface PeerCredentials {
  /** Process id (`ucred.pid`). */
  readonly pid: number;
  /** Effective user id (`ucred.uid`). */
  readonly uid: number;
  /** Effective group id (`ucred.gid`); supplementary groups are not included. */
  readonly gid: number;
}

/** What is known about one connection. */
export interface ConnectionInfo {
  /** The address: the server's listening address, or the address the client connected to. */
  readonly address: SocketAddress;
  /** The remote IP address (TCP/TLS), undefined for Unix sockets. */
  readonly remoteAddress: string | undefined;
  /** The remote port (TCP/TLS), undefined for Unix sockets. */
  readonly remotePort: number | undefined;
  /**
   * The peer process's pid/uid/gid for a Unix socket (path or abstract), read once when the connection
   * was made; `undefined` for TCP/TLS, and where they could not be read (then
   * {@link SocketChannel.peer} throws the reason). See {@link PeerCredentials}.
   */
  readonly peer: PeerCredentials | undefined;
  /** The digests of the authkey handshake (what this side sent, what it accepted), when one ran. */
  readonly auth: { readonly sent: AuthDigest; readonly received: AuthDigest } | undefined;
}
