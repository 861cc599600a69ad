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
