/**
 * Unix domain (path and Linux abstract), TCP and TLS message servers and clients for Node.js,
 * speaking the @ipc channel contract, with request/reply and an optional shared-key handshake that
 * is wire-compatible with Python's `multiprocessing.connection` (`authkey`).
 *
 * Safe by default: socket files are owner-only (0600) and never exposed before their mode is set,
 * a stale file left by a dead server is replaced, a live server is never taken over
 * (`ERR_ADDRESS_IN_USE`), paths too long for `sun_path` are refused instead of truncated, and a
 * client that sends garbage is disconnected and reported without disturbing the others. On Linux a
 * Unix connection knows its peer process (`connection.peer`: pid, uid, gid via `SO_PEERCRED`), and
 * `allowUids` lets in only the users you name.
 *
 * @example
 * ```ts
 * import { connect, listen } from '@ipc/socket';
 *
 * await using server = await listen('unix:///tmp/app.sock', { authkey: 'secret' });
 * server.handle(async (req: { n: number }) => ({ double: req.n * 2 }));
 *
 * await using client = await connect('unix:///tmp/app.sock', { authkey: 'secret' });
 * console.log(await client.request({ n: 21 }, { timeout: 1000 })); // { double: 42 }
 * ```
 *
 * @packageDocumentation
 */
export {
  formatAddress,
  parseAddress,
  SUN_PATH_BYTES,
  type AbstractAddress,
  type AddressInput,
  type SocketAddress,
  type TcpAddress,
  type UnixAddress,
} from './address.js';
export type { AuthDigest, AuthOptions } from './auth-handshake.js';
export { connect } from './client.js';
export type { ConnectOptions } from './connect-options.js';
export { listen } from './listen.js';
export type { ListenOptions } from './listen-options.js';
export type { CommonOptions, ErrorContext, ErrorHook, MessageOptions } from './options.js';
export type { Envelope, RemoteErrorInfo } from './request-envelope.js';
export type { PeerCredentials } from './peer-credentials.js';
export type { ReconnectOptions } from './reconnect-options.js';
export { SocketServer } from './server.js';
export {
  SocketChannel,
  type ConnectionInfo,
  type ErrorPhase,
  type RequestContext,
  type RequestHandler,
  type RequestOptions,
} from './socket-channel.js';
