import { parseAddress, type AddressInput } from './address.js';
import { ChallengeGuard } from './challenge-guard.js';
import { dial } from './client-dial.js';
import type { ConnectOptions } from './connect-options.js';
import { reportError, settings } from './options.js';
import { clientReconnect } from './reconnect-options.js';
import { Reconnector } from './reconnector.js';
import { SocketChannel, type ChannelOwner } from './socket-channel.js';
import { linkReceiver } from './socket-link.js';
import { checkSocketBufferBytes } from './socket-buffers.js';

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
  const policy = clientReconnect(options.reconnect);
  const guard = options.authkey === undefined ? new ChallengeGuard(options.codec) : undefined;
  const first = await dial(parsed, options, guard, options.signal);
  let reconnecting: Reconnector | undefined;
  const owner: ChannelOwner<SocketChannel<any, any>> = {
    linkLost: (channel, error) => {
      if (policy === undefined || channel.closed) return false;
      if (error !== undefined) reportError(options, error, 'read', channel.info);
      reconnecting = new Reconnector(channel, parsed, options, policy, guard, first.link.ipc);
      void reconnecting.run();
      return true;
    },
    report: (error, phase, channel) => reportError(options, error, phase, channel.info),
    closed: () => reconnecting?.stop(),
  };
  const messages = { ...options, codec: guard?.codec ?? options.codec };
  const channel = new SocketChannel<Out, In>(
    linkReceiver(first.link, messages, policy !== undefined),
    first.link,
    first.info,
    owner,
    settings(options),
    policy?.disconnected,
  );
  if (first.challenged.error !== undefined) {
    // The server's authkey challenge was already there (and read with the connection).
    await channel.close();
    throw first.challenged.error;
  }
  first.challenged.then = (error) => channel.fail(error);
  return channel;
}
