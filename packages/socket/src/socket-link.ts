import type { Duplex } from 'node:stream';
import { streamReceiver, streamSender, type StreamReceiver, type StreamSender } from '@ipc/kit';
import { peerIsIpc } from './auth-handshake.js';
import type { MessageOptions } from './options.js';

/**
 * One connection of a `SocketChannel`: its socket, and the sender that writes to it (its messages
 * are read by the channel's one receiver).
 */
export interface SocketLink {
  /** The connected (and authenticated) socket. */
  readonly socket: Duplex;
  /** Writes the channel's messages to `socket`. */
  readonly sender: StreamSender<unknown>;
  /** Whether the peer is @ipc (its authkey handshake said so): close markers are sent and expected. */
  readonly ipc: boolean;
}

/** The link of a connected (and authenticated) `socket`; see the README's "crash or close" table. */
export function socketLink(socket: Duplex, options: MessageOptions<any>): SocketLink {
  const ipc = peerIsIpc(socket);
  return { socket, ipc, sender: streamSender(socket, { ...options, sendCloseMarker: ipc }) };
}

/**
 * The one receiver of a channel, for its connections to `first`'s kind of peer: one connection
 * (`sessions` false, a server's), or each connection of a reconnecting client in turn.
 */
export function linkReceiver(
  first: SocketLink,
  options: MessageOptions<any>,
  sessions: boolean,
): StreamReceiver<unknown> {
  return streamReceiver<unknown>(undefined, { ...options, expectCloseMarker: first.ipc, sessions });
}
