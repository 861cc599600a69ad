import { IpcError, isIpcError, type IpcErrorCode } from '@ipc/core';

const replyCodes: Readonly<Record<number, IpcErrorCode>> = {
  403: 'ERR_PERMISSION', // ACCESS_REFUSED
  404: 'ERR_NOT_FOUND', // NOT_FOUND
  405: 'ERR_EXISTS', // RESOURCE_LOCKED (an exclusive queue another connection owns)
  406: 'ERR_INVALID_ARGUMENT', // PRECONDITION_FAILED (declared with other arguments, unknown delivery tag)
  320: 'ERR_SERVICE_UNAVAILABLE', // CONNECTION_FORCED (broker shutting down)
};

const socketCodes: Readonly<Record<string, IpcErrorCode>> = {
  ECONNREFUSED: 'ERR_SERVICE_UNAVAILABLE',
  ECONNRESET: 'ERR_SERVICE_UNAVAILABLE',
  EHOSTUNREACH: 'ERR_SERVICE_UNAVAILABLE',
  ENOTFOUND: 'ERR_SERVICE_UNAVAILABLE',
  ETIMEDOUT: 'ERR_TIMEOUT',
  EPIPE: 'ERR_SERVICE_UNAVAILABLE',
};

/** Wraps an amqplib or socket error as an {@link IpcError} (AMQP reply codes and socket errors mapped). */
export function fromAmqpError(
  err: unknown,
  context: string,
  fallback: IpcErrorCode = 'ERR_INTERNAL',
): IpcError {
  if (isIpcError(err)) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown };
  const text = typeof e.message === 'string' ? e.message : String(err);
  let code: IpcErrorCode | undefined;
  if (typeof e.code === 'number') code = replyCodes[e.code];
  else if (typeof e.code === 'string') code = socketCodes[e.code];
  if (code === undefined && /ACCESS_REFUSED|authentication|PLAIN login refused/i.test(text))
    code = 'ERR_AUTH';
  return new IpcError(code ?? fallback, `${context}: ${text}`, {
    cause: err,
    errno: typeof e.code === 'string' ? e.code : undefined,
  });
}

/** The error of a call that needs the broker while the connection is down (`fail-fast`). */
export function unavailable(what: string): IpcError {
  return new IpcError('ERR_SERVICE_UNAVAILABLE', `${what}: the broker connection is down`);
}
