import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { IpcError, toIpcError, waitWith } from '@ipc/core';
import { streamChannel, type StreamChannel } from '@ipc/kit';
import { nodePath, parseAddress, type AddressInput, type SocketAddress } from './address.js';
import { authenticate, peerIsIpc } from './auth-handshake.js';
import { challengeGuard, type ChallengeWatch } from './challenge-guard.js';
import { backoffDelay, reconnectPolicy, type ReconnectOptions, type ReconnectPolicy } from './backoff.js';
import type { CommonOptions } from './options.js';
import { readPeerCredentials, withPeer } from './peer-credentials.js';
import { applySocketBuffers, checkSocketBufferBytes } from './socket-buffers.js';
import { settings } from './server.js';
import { SocketChannel, type ChannelOwner, type ConnectionInfo } from './socket-channel.js';

/** Options of {@link connect}. */
export interface ConnectOptions<In = unknown> extends CommonOptions<In> {
  /** Milliseconds the connection (and its authentication) may take: `ERR_TIMEOUT`. Default: no limit. */
  timeout?: number | undefined;
  /** Cancels connecting (`ERR_ABORTED`). */
  signal?: AbortSignal | undefined;
  /** `node:tls` client options (ca, servername, cert…) for a `tls://` address. */
  tls?: ConnectionOptions | undefined;
  /**
   * Reconnect automatically when an established connection is lost: `true` for the defaults, or
   * {@link ReconnectOptions}. The first connect is not retried. Default: off (the channel ends).
   * Messages accepted by `send` just before a loss may be lost with the connection, as with any
   * socket; use `request` when you need to know.
   */
  reconnect?: boolean | ReconnectOptions | undefined;
}

/**
 * Connects to a server and returns the connection as a {@link SocketChannel} (a `Channel` with
 * `request`). Rejects with `ERR_NOT_FOUND` (no socket file), `ERR_PEER_GONE` (refused),
 * `ERR_TIMEOUT`, `ERR_ABORTED`, `ERR_AUTH` (wrong authkey; or no `authkey` while the server wants one,
 * when its challenge has already arrived — else the first `request`/`recv` fails with it),
 * `ERR_PERMISSION` (with an `authkey`: the server's `allowUids` refused this process), `ERR_BUSY`
 * (with an `authkey`: the server is at a connection limit). Without an `authkey`, those two refusals
 * arrive as the first `request`/`recv` failing with `ERR_PERMISSION` or `ERR_BUSY`. The channel's `peer` is the server process's
 * credentials for a Unix socket (see {@link SocketChannel.peer}).
 *
 * @example
 * ```ts
 * await using client = await connect('tcp://127.0.0.1:7000', { timeout: 2000, reconnect: true });
 * const reply = await client.request({ n: 21 }, { timeout: 1000 });
 * ```
 */
export async function connect<Out = unknown, In = Out>(
  address: AddressInput,
  options: ConnectOptions<In> = {},
): Promise<SocketChannel<Out, In>> {
  const parsed = parseAddress(address);
  checkSocketBufferBytes(options.socketBufferBytes);
  const policy = reconnectPolicy(options.reconnect);
  const first = await openLink(parsed, options, options.signal);
  if (first.challenged.error !== undefined) {
    await first.link.close().catch(() => undefined);
    first.socket.destroy();
    throw first.challenged.error;
  }
  let reconnecting: Reconnector | undefined;
  const owner: ChannelOwner = {
    linkLost: (channel, error) => {
      if (policy === undefined || channel.closed) return false;
      if (error !== undefined) report(options, error, 'read', channel.info);
      reconnecting = new Reconnector(channel, parsed, options, policy);
      void reconnecting.run();
      return true;
    },
    report: (error, phase, channel) => report(options, error, phase, channel.info),
    closed: () => reconnecting?.stop(),
  };
  const channel = new SocketChannel<Out, In>(
    first.link,
    first.info,
    owner,
    settings(options),
    policy === undefined ? undefined : { mode: policy.whileDisconnected, limit: policy.bufferLimit },
    first.socket,
  );
  first.challenged.then = (error) => channel.fail(error);
  return channel;
}

/** Retries with backoff until a new link is attached, the channel closes, or attempts run out. */
class Reconnector {
  private readonly stopper = new AbortController();

  constructor(
    private readonly channel: SocketChannel<any, any>,
    private readonly address: SocketAddress,
    private readonly options: ConnectOptions<any>,
    private readonly policy: ReconnectPolicy,
  ) {}

  stop(): void {
    this.stopper.abort();
  }

  async run(): Promise<void> {
    const signal = this.stopper.signal;
    let last: IpcError | undefined;
    for (let attempt = 0; attempt < this.policy.attempts; attempt++) {
      try {
        await waitWith<void>({ signal, timeout: undefined }, (resolve) => {
          const t = setTimeout(resolve, backoffDelay(this.policy, attempt));
          return () => clearTimeout(t);
        });
        const next = await openLink(this.address, this.options, signal);
        if (signal.aborted || this.channel.closed) {
          await next.link.close();
          return;
        }
        if (next.challenged.error !== undefined) {
          await next.link.close().catch(() => undefined);
          throw next.challenged.error;
        }
        this.channel.attach(next.link, next.info, next.socket);
        next.challenged.then = (error) => this.channel.fail(error);
        return;
      } catch (err) {
        if (signal.aborted) return;
        last = toIpcError(err, 'ERR_PEER_GONE');
        report(this.options, last, 'reconnect', this.channel.info);
        if (last.code === 'ERR_PERMISSION') break; // refused by the server's policy: retrying cannot help
      }
    }
    this.channel.terminate(
      last?.code === 'ERR_PERMISSION'
        ? last
        : new IpcError('ERR_PEER_GONE', `gave up reconnecting after ${this.policy.attempts} attempts`, {
            cause: last,
          }),
    );
  }
}

/** Connects a socket, authenticates it, and wraps it in a stream channel. */
async function openLink(
  address: SocketAddress,
  options: ConnectOptions<any>,
  signal: AbortSignal | undefined,
): Promise<{
  link: StreamChannel<unknown, unknown>;
  info: ConnectionInfo;
  socket: Socket;
  challenged: ChallengeWatch;
}> {
  let socket: Socket | undefined;
  const opened = waitWith<Socket>({ signal, timeout: options.timeout }, (resolve, reject) => {
    const s = dial(address, options);
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
    const ipc = peerIsIpc(s); // close markers: see the README's "crash or close" table
    const link = streamChannel<unknown, unknown>(s, {
      ...options,
      ...(options.authkey === undefined ? { codec: challengeGuard(options.codec, challenged) } : {}),
      sendCloseMarker: ipc,
      expectCloseMarker: ipc,
    });
    s.resume(); // the handshake paused it; unshifted bytes come first

    return {
      link,
      socket: s,
      challenged,
      info: withPeer({ address, remoteAddress: s.remoteAddress, remotePort: s.remotePort, auth }, peer),
    };
  } catch (err) {
    socket?.destroy();
    throw err;
  }
}

function dial(address: SocketAddress, options: ConnectOptions<any>): Socket {
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

function report(
  options: ConnectOptions<any>,
  error: IpcError,
  phase: Parameters<ChannelOwner['report']>[1],
  info: ConnectionInfo,
): void {
  try {
    options.onError?.(error, { phase, connection: info });
  } catch {
    // a failing hook must not break the client
  }
}
