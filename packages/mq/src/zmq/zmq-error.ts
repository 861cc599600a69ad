import { IpcError, isIpcError, toIpcError, type IpcErrorCode } from '@ipc/core';

const zmqCodes: Readonly<Record<string, IpcErrorCode>> = {
  EBADF: 'ERR_CLOSED',
  ETERM: 'ERR_CLOSED',
  ENOTSOCK: 'ERR_CLOSED',
  EAGAIN: 'ERR_TIMEOUT',
  EPROTONOSUPPORT: 'ERR_UNSUPPORTED',
  ENOCOMPATPROTO: 'ERR_UNSUPPORTED',
  EADDRNOTAVAIL: 'ERR_INVALID_ARGUMENT',
  ENODEV: 'ERR_INVALID_ARGUMENT',
  EHOSTUNREACH: 'ERR_PEER_GONE',
  EFSM: 'ERR_INTERNAL',
};

/** Wraps an error thrown by zeromq.js as an {@link IpcError} (its `code`, like `EADDRINUSE`, picks ours). */
export function fromZmqError(
  err: unknown,
  context: string,
  fallback: IpcErrorCode = 'ERR_INTERNAL',
): IpcError {
  if (isIpcError(err)) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const mapped = typeof code === 'string' ? zmqCodes[code] : undefined;
  if (mapped !== undefined) {
    const text = err instanceof Error ? err.message : String(err);
    return new IpcError(mapped, `${context}: ${text}`, { cause: err, errno: code as string });
  }
  return toIpcError(err, fallback, context);
}

/** Whether a zeromq.js error is the `EAGAIN` of a send or receive whose socket timeout elapsed. */
export function isZmqTimeout(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'EAGAIN';
}

/**
 * One `receive()` of a zeromq.js socket or observer, made again after `EAGAIN`: the end of a
 * receive slice (`RECEIVE_SLICE_MS` in zmq-options.ts), or a spurious wake-up — the socket said
 * readable, then dropped the message itself (a REQ socket with `ZMQ_REQ_CORRELATE` discarding the
 * late reply to a request that timed out). Other errors, and `EAGAIN` once `closed()`, are thrown.
 */
export async function receiveSkippingSpurious<R>(
  receive: () => Promise<R>,
  closed: () => boolean,
): Promise<R> {
  for (;;) {
    try {
      return await receive();
    } catch (err) {
      if (!isZmqTimeout(err) || closed()) throw err;
    }
  }
}
