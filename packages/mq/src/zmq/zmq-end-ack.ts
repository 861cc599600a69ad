import { randomBytes } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IpcError } from '@ipc/core';
import type * as zmq from 'zeromq';
import { bindAll, endpointList, isListening } from './zmq-endpoint.js';
import { fromZmqError, isZmqTimeout } from './zmq-error.js';
import { loadedZeromq, loadZeromq } from './zmq-library.js';
import { endAckFrames, wireKind, type EndAckRequest } from './zmq-wire.js';

/**
 * The confirmation of a pipeline's end marker, over a side channel.
 *
 * Why: libzmq 4.3 drops what a PULL socket has not read yet from a connection whose peer hangs up
 * while that connection is throttled (its receive queue at `ZMQ_RCVHWM`: the engine stops reading,
 * sees the hang-up as an I/O error, and discards the bytes still in the kernel buffer — the tail of
 * the stream and its end marker). A PUSH socket cannot hear back from its puller, so a pusher with
 * `endOnClose` binds a small PULL socket of its own, names it in its end marker with a random token,
 * and keeps its connection open until the puller, having read the marker (and so everything before
 * it), connects there and sends the token back. Only then does the pusher hang up.
 */

/** Bytes of the random token of a confirmation request. */
const TOKEN_BYTES = 16;
/** How long a puller's confirmation may still go out after its one-message socket closes (ms). */
const CONFIRM_LINGER_MS = 1000;
/** The largest message the pusher's confirmation socket accepts (bytes; a confirmation is ~30). */
const CONFIRM_MAX_BYTES = 256;
/** The prefix of the private folders of `ipc://` confirmation sockets (in the temp folder). */
const FOLDER_PREFIX = 'ipc-mq-ack-';
/** A confirmation folder this old without a live socket in it was left by a killed pusher (ms). */
const STALE_AFTER_MS = 60_000;

/**
 * Removes the confirmation folders that killed pushers left in the temp folder: ours (same uid),
 * older than {@link STALE_AFTER_MS}, and with no process listening on their socket. (A folder is
 * made just before its socket is bound, so a young one is never taken.)
 */
async function removeStaleFolders(root: string): Promise<void> {
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => name.startsWith(FOLDER_PREFIX));
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const dir = join(root, name);
    try {
      const stat = lstatSync(dir);
      if (!stat.isDirectory() || stat.uid !== uid || Date.now() - stat.mtimeMs < STALE_AFTER_MS) continue;
      if (await isListening(join(dir, 'ack.sock'))) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // gone meanwhile, or not ours to remove: leave it
    }
  }
}

/** Where a pusher listens for the confirmation. */
export type EndAckBinding =
  { kind: 'ipc' } | { kind: 'inproc' } | { kind: 'endpoint'; endpoint: string; ipv6: boolean };

/** The host of a `tcp://[source;]host:port` endpoint, without brackets. */
function tcpHost(endpoint: string): string {
  const address = endpoint.slice('tcp://'.length).split(';').pop() as string;
  const host = address.slice(0, address.lastIndexOf(':'));
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

/**
 * Where a pusher connected to `endpoints` listens for the confirmation of its end marker: a private
 * `ipc://` path for `ipc://`, a random `inproc://` name for `inproc://`, an ephemeral loopback port for
 * `tcp://` to a loopback host, else `explicit` (required then).
 *
 * @throws IpcError `ERR_INVALID_ARGUMENT` when no place can be told
 */
export function endAckBinding(endpoints: readonly string[], explicit: string | undefined): EndAckBinding {
  if (explicit !== undefined) {
    const [endpoint] = endpointList(explicit);
    return { kind: 'endpoint', endpoint: endpoint as string, ipv6: endpoint?.includes('[') === true };
  }
  const first = endpoints[0] as string;
  if (first.startsWith('ipc://')) return { kind: 'ipc' };
  if (first.startsWith('inproc://')) return { kind: 'inproc' };
  if (first.startsWith('tcp://')) {
    const host = tcpHost(first);
    if (host === '::1') return { kind: 'endpoint', endpoint: 'tcp://[::1]:*', ipv6: true };
    if (host === 'localhost' || host.startsWith('127.')) {
      return { kind: 'endpoint', endpoint: 'tcp://127.0.0.1:*', ipv6: false };
    }
  }
  throw new IpcError(
    'ERR_INVALID_ARGUMENT',
    `endOnClose to ${first} needs ackEndpoint: an address of this host the puller can connect to ` +
      `(e.g. 'tcp://10.0.0.5:*'), where close() waits for the confirmation that everything was read`,
  );
}

/**
 * The pusher's side: a PULL socket bound where {@link EndAckBinding} says, waiting for the one
 * confirmation that carries its token. Removes its `ipc://` folder on close.
 */
export class ZmqEndAckListener {
  private constructor(
    private readonly socket: zmq.Pull,
    /** What the end marker carries: where to confirm, and the token. */
    readonly request: EndAckRequest,
    private readonly dir: string | undefined,
  ) {}

  /** Binds the listening socket. */
  static async open(binding: EndAckBinding): Promise<ZmqEndAckListener> {
    const lib = await loadZeromq();
    let dir: string | undefined;
    let endpoint: string;
    if (binding.kind === 'ipc') {
      await removeStaleFolders(tmpdir());
      dir = mkdtempSync(join(tmpdir(), FOLDER_PREFIX)); // 0700
      endpoint = `ipc://${join(dir, 'ack.sock')}`;
    } else if (binding.kind === 'inproc') {
      endpoint = `inproc://ipc-mq-ack-${randomBytes(8).toString('hex')}`;
    } else {
      endpoint = binding.endpoint;
    }
    let socket: zmq.Pull | undefined;
    try {
      socket = new lib.Pull({
        linger: 0,
        receiveHighWaterMark: 16,
        maxMessageSize: CONFIRM_MAX_BYTES,
        ipv6: binding.kind === 'endpoint' && binding.ipv6,
      });
      await bindAll(socket, [endpoint]);
    } catch (err) {
      socket?.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      throw fromZmqError(err, `bind ${endpoint}`);
    }
    const bound = socket.lastEndpoint ?? endpoint; // the real port of `tcp://…:*`
    return new ZmqEndAckListener(socket, { endpoint: bound, token: randomBytes(TOKEN_BYTES) }, dir);
  }

  /** Waits up to `ms` (-1: no limit) for the confirmation; resolves whether it came. */
  async wait(ms: number): Promise<boolean> {
    const deadline = ms < 0 ? undefined : Date.now() + ms;
    for (;;) {
      this.socket.receiveTimeout = deadline === undefined ? -1 : Math.max(0, deadline - Date.now());
      let frames: Buffer[];
      try {
        frames = await this.socket.receive();
      } catch (err) {
        if (isZmqTimeout(err)) return false;
        throw fromZmqError(err, 'end confirmation');
      }
      if (wireKind(frames) === 'end-ack' && frames.length === 3 && frames[2]?.equals(this.request.token)) {
        return true;
      }
      // anything else (a stranger's message, a wrong token) is ignored
    }
  }

  /** Closes the socket and removes its folder. */
  close(): void {
    this.socket.close();
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The puller's side: sends the confirmation an end marker asked for, on a short-lived PUSH socket
 * (fire and forget). A request that is malformed, or names a transport the puller does not use
 * itself, is ignored — a pusher cannot make the puller connect to arbitrary places.
 */
export function confirmEnd(request: EndAckRequest, ownEndpoints: readonly string[]): void {
  if (request.token.length !== TOKEN_BYTES) return;
  const scheme = request.endpoint.slice(0, request.endpoint.indexOf('://') + 3);
  if (scheme.length < 4 || !ownEndpoints.some((e) => e.startsWith(scheme))) return;
  let socket: zmq.Push | undefined;
  try {
    endpointList(request.endpoint);
    const lib = loadedZeromq();
    socket = new lib.Push({ linger: CONFIRM_LINGER_MS, ipv6: request.endpoint.includes('[') });
    socket.connect(request.endpoint);
  } catch {
    socket?.close();
    return;
  }
  const done = (): void => socket.close();
  socket.send(endAckFrames(request.token)).then(done, done);
}
