import { IpcError, isIpcError } from '@ipc/core';

/**
 * The request/reply envelopes on the wire, plain objects any codec (msgpack, JSON) carries, so a
 * peer in another language can take part:
 *
 * - `{ "$rpc": "req", "id": 7, "body": … }` — a request
 * - `{ "$rpc": "res", "id": 7, "body": … }` — its reply
 * - `{ "$rpc": "err", "id": 7, "error": { "message": "…", "code": "…", "name": "…" } }` — its failure
 * - `{ "$rpc": "cancel", "id": 7 }` — the caller gave up (timeout, abort): the handler's `ctx.signal` fires
 * - `{ "$rpc": "err", "id": 0, "error": { "code": "ERR_PERMISSION", … } }` — the server refuses the
 *   whole connection (see `allowUids`) and closes it; request ids start at 1, so 0 is never a request's
 *
 * Any other message is an ordinary channel message.
 */
export type Envelope =
  | { $rpc: 'req'; id: number; body: unknown }
  | { $rpc: 'res'; id: number; body: unknown }
  | { $rpc: 'err'; id: number; error: RemoteErrorInfo }
  | { $rpc: 'cancel'; id: number };

/** The id of an error envelope about the whole connection (a refusal), not about one request. */
export const REFUSED_ID = 0;

/** What a failed handler sends back. */
export interface RemoteErrorInfo {
  /** The thrown error's message. */
  message: string;
  /** Its `code`, when it had a string one (an `IpcError`, a Node system error). */
  code?: string | undefined;
  /** Its `name` (`TypeError`, `IpcError`…). */
  name?: string | undefined;
}

/** Tells an envelope from an ordinary message. */
export function isEnvelope(message: unknown): message is Envelope {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { $rpc?: unknown }).$rpc === 'string' &&
    typeof (message as { id?: unknown }).id === 'number'
  );
}

/** The envelope of a handler's failure. */
export function errorEnvelope(id: number, err: unknown): Envelope {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    message?: unknown;
    code?: unknown;
    name?: unknown;
  };
  return {
    $rpc: 'err',
    id,
    error: {
      message: typeof e.message === 'string' ? e.message : String(err),
      code: typeof e.code === 'string' ? e.code : undefined,
      name: typeof e.name === 'string' ? e.name : undefined,
    },
  };
}

/** The `ERR_REMOTE` error a caller gets for a failed handler; the remote details are its `cause`. */
export function remoteError(info: RemoteErrorInfo): IpcError {
  const message = typeof info?.message === 'string' ? info.message : 'the remote handler failed';
  return new IpcError('ERR_REMOTE', message, { cause: { ...info } });
}

/** Whether an error from a handler is the handler reacting to its own abort. */
export function isAbortLike(err: unknown): boolean {
  return isIpcError(err, 'ERR_ABORTED') || (err instanceof Error && err.name === 'AbortError');
}

/**
 * The error of a connection the peer refused as a whole (an error envelope with id {@link REFUSED_ID}):
 * `ERR_PERMISSION` or `ERR_BUSY` when the peer says so, else `ERR_REMOTE`; the remote details are its `cause`.
 */
export function refusedError(info: RemoteErrorInfo): IpcError {
  const message = typeof info?.message === 'string' ? info.message : 'the peer refused the connection';
  const code = info?.code === 'ERR_PERMISSION' || info?.code === 'ERR_BUSY' ? info.code : 'ERR_REMOTE';
  return new IpcError(code, message, {
    cause: { ...info },
  });
}
