import type { Socket } from 'node:net';
import { IpcError, toIpcError } from '@ipc/core';
import type { StreamReceiver } from '@ipc/kit';
import type { SocketAddress } from './address.js';
import { authenticate } from './auth-handshake.js';
import type { ErrorPhase } from './channel-owner.js';
import type { ConnectionInfo } from './connection-info.js';
import type { ListenOptions } from './listen-options.js';
import { DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_PENDING_HANDSHAKES } from './options.js';
import { readPeerCredentials, withPeer } from './peer-credentials.js';
import { refusal, tellRefused } from './peer-policy.js';
import { applySocketBuffers } from './socket-buffers.js';
import { linkReceiver, socketLink, type SocketLink } from './socket-link.js';

/** Busy-refused sockets kept open at once to tell their client why (the others are just closed). */
const MAX_REFUSING = 256;

/** What {@link ConnectionAdmission} asks of its server. */
export interface AdmissionHost {
  /** The address the server listens on. */
  address(): SocketAddress;
  /** How many connections are served now (authenticated). */
  served(): number;
  /** Whether the server is closing. */
  closed(): boolean;
  /** A problem no caller waits for (to `onError`). */
  report(error: IpcError, phase: ErrorPhase, connection: ConnectionInfo | undefined): void;
}

/** A connection let in: its link, the receiver for it, and what is known about it. */
export interface Admitted {
  /** The socket and its sender (close markers set when the peer is @ipc). */
  link: SocketLink;
  /** The receiver to read it with. */
  receiver: StreamReceiver<unknown>;
  /** The connection's info, with its peer credentials and handshake digests. */
  info: ConnectionInfo;
}

/**
 * A server's door: for each accepted socket, the connection limits (`maxConnections`,
 * `maxPendingHandshakes`, refusing as busy), the uid policy (`allowUids`), the idle timer, the
 * `authkey` handshake, and the message link once all passed. Holds the sockets not admitted yet.
 */
export class ConnectionAdmission {
  /** Sockets still authenticating, or refused and lingering so their client can read why. */
  private readonly handshaking = new Set<Socket>();
  /** Sockets refused as busy, open for a moment so their client can read why. */
  private readonly refusing = new Set<Socket>();

  /**
   * @param host - the server
   * @param options - the server's options
   * @param allowed - the uids `allowUids` lets in (validated by `listen`); undefined: no check
   */
  constructor(
    private readonly host: AdmissionHost,
    private readonly options: ListenOptions<any>,
    private readonly allowed: ReadonlySet<number> | undefined,
  ) {}

  /**
   * Lets `socket` in, or refuses it (reported, the client told when it can be, the socket closed):
   * resolves with the admitted connection, or `undefined`.
   */
  async admit(socket: Socket): Promise<Admitted | undefined> {
    const host = this.host;
    socket.on('error', () => undefined); // surfaced through the channel or the handshake
    if (host.closed()) {
      socket.destroy();
      return undefined;
    }
    const limit = this.options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    const pending = this.options.maxPendingHandshakes ?? DEFAULT_MAX_PENDING_HANDSHAKES;
    if (host.served() + this.handshaking.size >= limit) {
      this.refuseBusy(socket, `maxConnections (${limit}) reached`);
      return undefined;
    }
    if (this.options.authkey !== undefined && this.handshaking.size >= pending) {
      this.refuseBusy(socket, `maxPendingHandshakes (${pending}) connections are authenticating`);
      return undefined;
    }
    const address = host.address();
    if (address.kind === 'tcp' || address.kind === 'tls') socket.setNoDelay(true);
    applySocketBuffers(socket, address, this.options.socketBufferBytes);
    const peer = readPeerCredentials(socket, address); // once, now: the client may exit later
    const fields = { address, remoteAddress: socket.remoteAddress, remotePort: socket.remotePort };
    const info = withPeer({ ...fields, auth: undefined }, peer);
    if (this.allowed !== undefined) {
      const refused = refusal(peer, this.allowed);
      if (refused !== undefined) {
        host.report(refused.forServer, 'auth', info);
        // Counted against maxConnections (and closed by close()) while it lingers to read the reason.
        this.handshaking.add(socket);
        socket.once('close', () => this.handshaking.delete(socket));
        tellRefused(socket, refused.forClient, this.options);
        return undefined;
      }
    }
    const idle = this.options.idleTimeout;
    if (idle !== undefined && idle > 0) {
      socket.setTimeout(idle, () => {
        host.report(new IpcError('ERR_TIMEOUT', `closed a connection idle for ${idle} ms`), 'idle', info);
        socket.destroy();
      });
    }
    let auth: ConnectionInfo['auth'];
    if (this.options.authkey !== undefined) {
      this.handshaking.add(socket);
      try {
        auth = await authenticate(socket, 'server', { ...this.options, authkey: this.options.authkey });
      } catch (err) {
        host.report(toIpcError(err, 'ERR_AUTH'), 'auth', info);
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
        return undefined;
      } finally {
        this.handshaking.delete(socket);
      }
      if (host.closed()) {
        socket.destroy();
        return undefined;
      }
    }
    const link = socketLink(socket, this.options); // the channel resumes the socket the handshake paused
    return {
      link,
      receiver: linkReceiver(link, this.options, false),
      info: withPeer({ ...fields, auth }, peer),
    };
  }

  /** Closes every socket not admitted yet (the server is closing). */
  destroyAll(): void {
    for (const s of this.handshaking) s.destroy();
    for (const s of this.refusing) s.destroy();
  }

  /**
   * Refuses a connection because the server is full: reported (`ERR_BUSY`, `phase: 'limit'`), the
   * client told so (see `maxConnections`). Sockets lingering to tell this are few: past
   * {@link MAX_REFUSING} they are closed without a word.
   */
  private refuseBusy(socket: Socket, why: string): void {
    this.host.report(new IpcError('ERR_BUSY', `refused a connection: ${why}`), 'limit', undefined);
    if (this.refusing.size >= MAX_REFUSING) {
      socket.destroy();
      return;
    }
    this.refusing.add(socket);
    socket.once('close', () => this.refusing.delete(socket));
    tellRefused(socket, `the server is busy (${why}); try again later`, this.options, 'ERR_BUSY');
  }
}
