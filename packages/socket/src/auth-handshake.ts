import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { IpcError } from '@ipc/core';
import { HandshakeReader } from './handshake-reader.js';

/**
 * The HMAC digests of Python's `multiprocessing.connection` handshake (Python ≥ 3.12 names), strongest
 * first. `md5` is the legacy, unprefixed form that Python ≤ 3.11 speaks.
 */
export type AuthDigest = 'sha256' | 'sha384' | 'sha3_256' | 'sha3_384' | 'md5';

/** Options of the shared-key handshake. */
export interface AuthOptions {
  /**
   * The shared key. When set, every connection runs the mutual HMAC challenge of Python's
   * `multiprocessing.connection` (`authkey`): the server challenges the client, then the client the
   * server; a mismatch is `ERR_AUTH` on both sides and the connection closes. A string is UTF-8.
   * Default: none (no authentication).
   */
  authkey?: Uint8Array | string | undefined;
  /**
   * The digest this side asks for in its challenge (`{sha256}` prefix, Python ≥ 3.12 form). Default
   * `'sha256'`. A legacy peer (Python ≤ 3.11) answers any challenge with HMAC-MD5.
   */
  authDigest?: Exclude<AuthDigest, 'md5'> | undefined;
  /**
   * Whether to accept the legacy HMAC-MD5 form (Python ≤ 3.11 peers). The MAC still covers this
   * side's fresh random challenge; MD5 is only weaker as a MAC. Default `true`.
   */
  allowLegacyMd5?: boolean | undefined;
  /** Milliseconds the whole handshake may take (`ERR_AUTH` after). Default 10,000. */
  authTimeout?: number | undefined;
}

const CHALLENGE = Buffer.from('#CHALLENGE#');
const WELCOME = Buffer.from('#WELCOME#');
/**
 * Python's verdict for a wrong digest. Sent in place of the challenge, followed by a reason, it is an
 * @ipc server refusing the client before authenticating it (`allowUids`): `ERR_PERMISSION`.
 */
export const FAILURE = Buffer.from('#FAILURE#');
/** Starts the reason of a `#FAILURE#` refusal from a server at a connection limit: `ERR_BUSY`. */
export const BUSY_REASON = 'ERR_BUSY: ';
/** The start of a challenge frame on the wire (length header skipped): a server that wants an authkey. */
export const CHALLENGE_TAG = Buffer.from('#CHALLENGE#');
/** Random bytes in a modern challenge (Python 3.12 `MESSAGE_LENGTH`). */
const MESSAGE_LENGTH = 40;
/**
 * The first bytes of an @ipc side's challenge (the other 32 stay random). Python MACs the challenge
 * as it comes and never looks inside, so this tells an @ipc peer — and only it — that this side ends
 * a graceful close with the close marker (see `CLOSE_MARKER_BYTES` in @ipc/core).
 */
const IPC_TAG = Buffer.from('@ipc/cm1');

/** The sockets whose peer's challenge carried the @ipc tag: both ends are @ipc (close markers on). */
const ipcPeers = new WeakSet<Duplex>();

/** Whether the authkey handshake on `socket` showed that the peer is @ipc (see the close marker). */
export function peerIsIpc(socket: Duplex): boolean {
  return ipcPeers.has(socket);
}
/** A legacy challenge's length, and a legacy response's length: both mean "HMAC-MD5, no prefix". */
const LEGACY_LENGTHS = new Set([20, 16]);
const NODE_NAMES: Readonly<Record<AuthDigest, string>> = {
  md5: 'md5',
  sha256: 'sha256',
  sha384: 'sha384',
  sha3_256: 'sha3-256',
  sha3_384: 'sha3-384',
};

/**
 * Runs the `multiprocessing.connection` handshake on a fresh socket: the server delivers its
 * challenge then answers the client's; the client does the reverse. Resolves with the digest each
 * direction used; leaves any extra bytes in the socket for the channel. Rejects with `ERR_AUTH`.
 */
export async function authenticate(
  socket: Duplex,
  role: 'server' | 'client',
  options: AuthOptions & { authkey: Uint8Array | string },
): Promise<{ sent: AuthDigest; received: AuthDigest }> {
  const key = typeof options.authkey === 'string' ? Buffer.from(options.authkey) : options.authkey;
  const reader = new HandshakeReader(socket);
  const timeout = options.authTimeout ?? 10_000;
  const timer = setTimeout(
    () => reader.fail(new IpcError('ERR_AUTH', `authentication did not finish within ${timeout} ms`)),
    timeout,
  );
  try {
    if (role === 'server') {
      const received = await deliverChallenge(reader, key, options);
      const sent = await answerChallenge(reader, key, options, socket);
      return { sent, received };
    }
    const sent = await answerChallenge(reader, key, options, socket);
    const received = await deliverChallenge(reader, key, options);
    return { sent, received };
  } catch (err) {
    if (err instanceof IpcError && err.code === 'ERR_PEER_GONE') {
      throw new IpcError('ERR_AUTH', `authentication failed: ${err.message}`, { cause: err });
    }
    throw err;
  } finally {
    clearTimeout(timer);
    reader.release();
  }
}

/** Sends a challenge and checks the peer's MAC of it; returns the digest the peer used. */
async function deliverChallenge(
  reader: HandshakeReader,
  key: Uint8Array,
  options: AuthOptions,
): Promise<AuthDigest> {
  const digest = options.authDigest ?? 'sha256';
  const random = randomBytes(MESSAGE_LENGTH - IPC_TAG.length);
  const message = Buffer.concat([Buffer.from(`{${digest}}`), IPC_TAG, random]);
  reader.write(Buffer.concat([CHALLENGE, message]));
  const response = await reader.read();
  let used: AuthDigest;
  try {
    const [name, mac] = splitDigest(response);
    used = name;
    if (name === 'md5' && options.allowLegacyMd5 === false) {
      throw new IpcError(
        'ERR_AUTH',
        'the peer answered with legacy HMAC-MD5, which allowLegacyMd5: false refuses',
      );
    }
    const expected = hmac(key, message, name);
    if (expected.length !== mac.length || !timingSafeEqual(expected, mac)) {
      throw new IpcError('ERR_AUTH', 'the peer does not know the authkey (wrong digest)');
    }
  } catch (err) {
    reader.write(FAILURE);
    throw err;
  }
  reader.write(WELCOME);
  return used;
}

/** Answers the peer's challenge with our MAC; returns the digest used. */
async function answerChallenge(
  reader: HandshakeReader,
  key: Uint8Array,
  options: AuthOptions,
  socket: Duplex,
): Promise<AuthDigest> {
  const frame = await reader.read();
  if (frame.subarray(0, FAILURE.length).equals(FAILURE)) {
    const reason = frame.subarray(FAILURE.length).toString();
    if (reason.startsWith(BUSY_REASON)) throw new IpcError('ERR_BUSY', reason.slice(BUSY_REASON.length));
    throw new IpcError('ERR_PERMISSION', reason || 'the server refused this connection');
  }
  if (!frame.subarray(0, CHALLENGE.length).equals(CHALLENGE)) {
    throw new IpcError('ERR_AUTH', 'protocol error: expected an authentication challenge from the peer');
  }
  const message = frame.subarray(CHALLENGE.length);
  if (message.length < 20) throw new IpcError('ERR_AUTH', `challenge too short: ${message.length} bytes`);
  const [name, payload] = splitDigest(message);
  if (name !== 'md5' && payload.subarray(0, IPC_TAG.length).equals(IPC_TAG)) ipcPeers.add(socket);
  if (name === 'md5' && options.allowLegacyMd5 === false) {
    throw new IpcError(
      'ERR_AUTH',
      'the peer speaks only legacy HMAC-MD5, which allowLegacyMd5: false refuses',
    );
  }
  const mac = hmac(key, message, name);
  reader.write(
    name === 'md5' && LEGACY_LENGTHS.has(message.length)
      ? mac
      : Buffer.concat([Buffer.from(`{${name}}`), mac]),
  );
  const verdict = await reader.read();
  if (!verdict.equals(WELCOME))
    throw new IpcError('ERR_AUTH', 'the peer rejected our digest (wrong authkey)');
  return name;
}

/** Python's `_get_digest_name_and_payload`: legacy lengths mean unprefixed MD5, else `{name}payload`. */
function splitDigest(message: Buffer): [AuthDigest, Buffer] {
  if (LEGACY_LENGTHS.has(message.length)) return ['md5', message];
  if (message[0] === 0x7b) {
    const curly = message.indexOf(0x7d, 1);
    if (curly > 0 && curly <= 10) {
      const name = message.subarray(1, curly).toString('latin1');
      if (Object.hasOwn(NODE_NAMES, name)) return [name as AuthDigest, message.subarray(curly + 1)];
    }
  }
  throw new IpcError(
    'ERR_AUTH',
    'unsupported authentication message: bad length, no digest prefix or unknown digest',
  );
}

function hmac(key: Uint8Array, message: Uint8Array, digest: AuthDigest): Buffer {
  return createHmac(NODE_NAMES[digest], key).update(message).digest();
}
