import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { toIpcError, waitWith } from '@ipc/core';
import { nodePath, type SocketAddress } from './address.js';
import { authenticate } from './auth-handshake.js';
import type { ChallengeGuard, ChallengeWatch } from './challenge-guard.js';
import type { ConnectOptions } from './connect-options.js';
import type { ConnectionInfo } from './connection-info.js';
import { readPeerCredentials, withPeer } from './peer-credentials.js';
import { applySocketBuffers } from './socket-buffers.js';
import { socketLink, type SocketLink } from './socket-link.js';

/** A client's new connection, authenticated, not read yet. */
export interface Dialled {
  /** The socket and its sender. */
  link: SocketLink;
  /** What is known about the connection. */
  info: ConnectionInfo;
  /** Whether its server sent an authkey challenge (with no `authkey` set: `guard` watches). */
  challenged: ChallengeWatch;
}

/**
 * Connects a socket to `address`, authenticates it (with an `authkey`), and makes its link; `guard`
 * (without an `authkey`) is armed to watch the new connection's first message.
 */
export async function dial(
  address: SocketAddress,
  options: ConnectOptions<any>,
  guard: ChallengeGuard | undefined,
  signal: AbortSignal | undefined,
): Promise<Dialled> {
  let socket: Socket | undefined;
  const opened = waitWith<Socket>({ signal, timeout: options.timeout }, (resolve, reject) => {
    const s = open(address, options);
    socket = s;
    const ready = address.kind === 'tls' ? 'secureConnect' : 'connect';
    s.once(ready, () => {
      s.off('error', onError);
      resolve(s);
    });
    const onError = (err: Error): void =>
      reject(
        toIpcError(
          err,
          address.kind === 'tls' && !('syscall' in err) ? 'ERR_AUTH' : 'ERR_PEER_GONE',
          `cannot connect to ${describe(address)}`,
        ),
      );
    s.once('error', onError);
    return () => s.destroy();
  });
  try {
    const s = await opened;
    s.on('error', () => undefined); // surfaced through the channel
    if (address.kind === 'tcp' || address.kind === 'tls') s.setNoDelay(true);
    applySocketBuffers(s, address, options.socketBufferBytes);
    const peer = readPeerCredentials(s, address); // the server process, as it was at listen(2)
    let auth: ConnectionInfo['auth'];
    if (options.authkey !== undefined) {
      auth = await waitWith({ signal, timeout: options.timeout }, (resolve, reject) => {
        authenticate(s, 'client', { ...options, authkey: options.authkey as Uint8Array | string }).then(
          resolve,
          reject,
        );
        return () => s.destroy();
      });
    }
    const challenged: ChallengeWatch = { error: undefined, then: undefined };
    guard?.arm(challenged);
    return {
      link: socketLink(s, { ...options, codec: guard?.codec ?? options.codec }),
      challenged,
      info: withPeer({ address, remoteAddress: s.remoteAddress, remotePort: s.remotePort, auth }, peer),
    };
  } catch (err) {
    socket?.destroy();
    throw err;
  }
}

function open(address: SocketAddress, options: ConnectOptions<any>): Socket {
  switch (address.kind) {
    case 'unix':
    case 'abstract':
      return netConnect({ path: nodePath(address) });
    case 'tcp':
      return netConnect({ host: address.host, port: address.port });
    case 'tls':
      return tlsConnect({
        servername: isIp(address.host) ? undefined : address.host,
        ...options.tls,
        host: address.host,
        port: address.port,
      });
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

function describe(address: SocketAddress): string {
  return address.kind === 'unix'
    ? address.path
    : address.kind === 'abstract'
      ? `@${address.name}`
      : `${address.host}:${address.port}`;
}
