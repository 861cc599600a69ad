import type { Socket } from 'node:net';
import { IpcError, toIpcError } from '@ipc/core';
import type { SocketAddress } from './address.js';
import { addon } from './load-addon.js';
import { socketFd } from './socket-fd.js';
import type { ConnectionInfo, PeerCredentials } from './connection-info.js';

export type { PeerCredentials } from './connection-info.js';

/**
 * What reading a connection's peer credentials gave: the credentials, the reason there are none on a
 * Unix socket (`ERR_UNSUPPORTED` off Linux or without the addon), or `undefined` for TCP/TLS, which
 * carry no credentials.
 */
export type PeerLookup = PeerCredentials | IpcError | undefined;

/** The lookup failures of connection infos whose `peer` is undefined although they are Unix sockets. */
const failures = new WeakMap<ConnectionInfo, IpcError>();

/**
 * Reads the credentials of the peer of a connected socket, once, for a Unix address (path or
 * abstract). Never throws: a failure is returned.
 */
export function readPeerCredentials(socket: Socket, address: SocketAddress): PeerLookup {
  if (address.kind !== 'unix' && address.kind !== 'abstract') return undefined;
  const native = addon();
  if (native instanceof IpcError) return native;
  const fd = socketFd(socket);
  if (fd === undefined) {
    return new IpcError(
      'ERR_UNSUPPORTED',
      '@ipc/socket: cannot reach the file descriptor of the socket (net.Socket._handle.fd) to read its peer credentials',
    );
  }
  try {
    const { pid, uid, gid } = native.peerCred(fd);
    return Object.freeze({ pid, uid, gid });
  } catch (err) {
    return toIpcError(err, 'ERR_INTERNAL', 'cannot read the peer credentials (getsockopt SO_PEERCRED)');
  }
}

/** Whether peer credentials can be read in this process: `undefined` if so, else the `ERR_UNSUPPORTED` reason. */
export function peerCredentialsUnsupported(): IpcError | undefined {
  const native = addon();
  return native instanceof IpcError ? native : undefined;
}

/** A connection info with `peer` set from a lookup (a failed lookup is remembered for {@link peerOf}). */
export function withPeer(fields: Omit<ConnectionInfo, 'peer'>, lookup: PeerLookup): ConnectionInfo {
  const failed = lookup instanceof IpcError;
  const info: ConnectionInfo = { ...fields, peer: failed ? undefined : lookup };
  if (failed) failures.set(info, lookup);
  return info;
}

/**
 * The peer credentials of a connection: `undefined` for TCP/TLS; throws the `IpcError` (a new one,
 * with the original as `cause`) when the connection is a Unix socket whose credentials could not be read.
 */
export function peerOf(info: ConnectionInfo): PeerCredentials | undefined {
  const failure = failures.get(info);
  if (failure !== undefined) throw new IpcError(failure.code, failure.message, { cause: failure });
  return info.peer;
}
