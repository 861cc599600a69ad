import type { Socket } from 'node:net';
import { IpcError, lengthHeader, resolveCodec, resolveFraming } from '@ipc/core';
import type { SocketAddress } from './address.js';
import type { CommonOptions } from './options.js';
import { BUSY_REASON, FAILURE } from './auth-handshake.js';
import { peerCredentialsUnsupported, type PeerLookup } from './peer-credentials.js';
import { REFUSED_ID, type Envelope } from './request-envelope.js';

/** How long a refused socket may stay open for the client to read why (then it is destroyed). */
const REFUSAL_GRACE_MS = 2000;

/**
 * Checks the `allowUids` option against the address, in `listen`: throws `ERR_INVALID_ARGUMENT` for a
 * bad list or a TCP/TLS address (no credentials there), `ERR_UNSUPPORTED` where credentials cannot be
 * read (off Linux, addon missing), so that a policy is never silently not enforced. Returns the set.
 */
export function uidPolicy(
  allowUids: readonly number[] | undefined,
  address: SocketAddress,
): ReadonlySet<number> | undefined {
  if (allowUids === undefined) return undefined;
  if (
    !Array.isArray(allowUids) ||
    !allowUids.every((uid) => Number.isInteger(uid) && uid >= 0 && uid <= 0xffffffff)
  ) {
    throw new IpcError('ERR_INVALID_ARGUMENT', 'allowUids must be an array of user ids (integers ≥ 0)');
  }
  if (address.kind !== 'unix' && address.kind !== 'abstract') {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `allowUids needs a Unix socket (path or abstract): ${address.kind} connections carry no peer credentials`,
    );
  }
  const unsupported = peerCredentialsUnsupported();
  if (unsupported !== undefined) {
    throw new IpcError('ERR_UNSUPPORTED', `allowUids cannot be enforced: ${unsupported.message}`, {
      cause: unsupported,
    });
  }
  return new Set(allowUids);
}

/**
 * Why a client must be refused under the uid policy, or `undefined` when it may connect. A client
 * whose credentials cannot be read is refused (fail closed). `forServer` is the server's log line,
 * `forClient` what the client is told (no pid: it knows its own).
 */
export function refusal(
  lookup: PeerLookup,
  allowed: ReadonlySet<number>,
): { forServer: IpcError; forClient: string } | undefined {
  if (lookup !== undefined && !(lookup instanceof IpcError)) {
    if (allowed.has(lookup.uid)) return undefined;
    return {
      forServer: new IpcError(
        'ERR_PERMISSION',
        `refused a connection from uid ${lookup.uid} gid ${lookup.gid} pid ${lookup.pid}: uid not in allowUids`,
      ),
      forClient: `the server refused this connection: uid ${lookup.uid} is not allowed`,
    };
  }
  return {
    forServer: new IpcError(
      'ERR_PERMISSION',
      `refused a connection whose peer credentials cannot be read${lookup ? `: ${lookup.message}` : ''}`,
      { cause: lookup },
    ),
    forClient: 'the server refused this connection: its peer credentials cannot be read',
  };
}

/**
 * Tells a refused client why, in the first thing it expects to read, then closes the socket:
 * with an `authkey`, a handshake frame `#FAILURE#<reason>` in place of the challenge (an @ipc client
 * rejects `connect` with `ERR_PERMISSION`, or `ERR_BUSY` when the reason starts with `ERR_BUSY: `;
 * Python's `Client` raises `AuthenticationError` with the reason); without, an error envelope with
 * id 0 and `code` in the connection's codec and framing (an @ipc client fails its pending requests
 * and `recv` with that code; any other client can read it). Incoming bytes are discarded; the socket
 * is destroyed when the client closes or after a short grace period.
 */
export function tellRefused(
  socket: Socket,
  reason: string,
  options: CommonOptions<any>,
  code: 'ERR_PERMISSION' | 'ERR_BUSY' = 'ERR_PERMISSION',
): void {
  socket.resume(); // read and discard: the client's writes must not fail before it reads the reason
  const timer = setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  try {
    if (options.authkey !== undefined) {
      const text = code === 'ERR_BUSY' ? BUSY_REASON + reason : reason;
      const payload = Buffer.concat([FAILURE, Buffer.from(text)]);
      socket.end(Buffer.concat([lengthHeader(payload.byteLength), payload]));
      return;
    }
    const envelope: Envelope = {
      $rpc: 'err',
      id: REFUSED_ID,
      error: { message: reason, code, name: 'IpcError' },
    };
    const pieces = resolveFraming(options.framing).framePieces(resolveCodec(options.codec).encode(envelope));
    socket.end(Buffer.concat(pieces));
  } catch {
    socket.destroy(); // a codec that cannot carry the envelope (raw): the client only sees the close
  }
}
