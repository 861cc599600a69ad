import { constants } from 'node:os';
/**
 * The stable error codes of every @ipc package. Branch on these, never on message text.
 *
 * - `ERR_CLOSED` — the channel (or lock, or resource) is closed, or the peer ended it cleanly.
 * - `ERR_TIMEOUT` — a `timeout` option elapsed.
 * - `ERR_ABORTED` — an `AbortSignal` fired.
 * - `ERR_FRAME_TOO_LARGE` — a frame header claimed more than `maxFrameBytes`.
 * - `ERR_BUFFER_TOO_SMALL` — `recvInto` was given a buffer smaller than the next message (which stays queued).
 * - `ERR_DECODE` — bytes that the codec or framing cannot decode.
 * - `ERR_ENCODE` — a value the codec cannot encode.
 * - `ERR_INVALID_MESSAGE` — a decoded message that the `validate` hook rejected.
 * - `ERR_INVALID_ARGUMENT` — a bad option or argument given to an @ipc function.
 * - `ERR_PEER_GONE` — the other side died or cut the stream in the middle of a message.
 * - `ERR_AUTH` — authentication failed.
 * - `ERR_EXISTS` / `ERR_NOT_FOUND` / `ERR_PERMISSION` — the OS resource exists / is missing / is forbidden.
 * - `ERR_ADDRESS_IN_USE` — a live process already listens on that address.
 * - `ERR_REMOTE` — the remote handler threw; its message is in `message`.
 * - `ERR_OWNER_DEAD` — a lock's owner died while holding it; the lock has been recovered.
 * - `ERR_NOT_OWNER` — a lock was released by someone who does not hold it.
 * - `ERR_UNSUPPORTED` — not available on this platform or in this configuration.
 * - `ERR_SERVICE_UNAVAILABLE` — a service the transport needs (a broker) cannot be reached.
 * - `ERR_BUSY` — the server is at a connection limit and refused this connection; try again later.
 * - `ERR_INVALID_STATE` — a call that the object's state no longer allows (a delivery acked or nacked twice).
 * - `ERR_INTERNAL` — a bug or an OS failure with no better code; `cause` has the details.
 */
export type IpcErrorCode =
  | 'ERR_CLOSED'
  | 'ERR_TIMEOUT'
  | 'ERR_ABORTED'
  | 'ERR_FRAME_TOO_LARGE'
  | 'ERR_BUFFER_TOO_SMALL'
  | 'ERR_DECODE'
  | 'ERR_ENCODE'
  | 'ERR_INVALID_MESSAGE'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_PEER_GONE'
  | 'ERR_AUTH'
  | 'ERR_EXISTS'
  | 'ERR_NOT_FOUND'
  | 'ERR_PERMISSION'
  | 'ERR_ADDRESS_IN_USE'
  | 'ERR_REMOTE'
  | 'ERR_OWNER_DEAD'
  | 'ERR_NOT_OWNER'
  | 'ERR_UNSUPPORTED'
  | 'ERR_SERVICE_UNAVAILABLE'
  | 'ERR_BUSY'
  | 'ERR_INVALID_STATE'
  | 'ERR_INTERNAL';

/** Options of {@link IpcError}. */
export interface IpcErrorOptions {
  /** The underlying error (an OS error, a codec's exception). */
  cause?: unknown;
  /** The OS error name (`EPIPE`, `ENOENT`…), kept from a native or Node failure. */
  errno?: string;
  /** The system call that failed, kept from a native or Node failure. */
  syscall?: string;
}

/**
 * The global brand every {@link IpcError} carries (`Symbol.for`, so the same symbol in every copy of
 * this package): two transports that resolved different copies of `@ipc/core` still recognise each
 * other's errors.
 */
const IPC_ERROR_BRAND: unique symbol = Symbol.for('@ipc/core.IpcError') as never;

/**
 * Thrown by every @ipc package: one class, a stable {@link IpcErrorCode} in `code`, the OS error as `cause`.
 * `err instanceof IpcError` and {@link isIpcError} are also true for an `IpcError` from another copy
 * of `@ipc/core` in the same process (recognised by a global brand).
 */
export class IpcError extends Error {
  /**
   * True for an error of this class from any copy of `@ipc/core` (the global brand), so that
   * `instanceof` works across copies too.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== IpcError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return hasBrand(value);
  }

  /** The stable code to branch on. */
  readonly code: IpcErrorCode;
  /** The OS error name, when the failure came from the OS. */
  readonly errno: string | undefined;
  /** The failed system call, when known. */
  readonly syscall: string | undefined;

  /**
   * @param code - the stable code
   * @param message - a human-readable explanation
   * @param options - cause, errno, syscall
   */
  constructor(code: IpcErrorCode, message: string, options: IpcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IpcError';
    this.code = code;
    this.errno = options.errno;
    this.syscall = options.syscall;
    Object.defineProperty(this, IPC_ERROR_BRAND, { value: true });
  }
}

function hasBrand(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [IPC_ERROR_BRAND]?: unknown })[IPC_ERROR_BRAND] === true
  );
}

/**
 * Tells whether `err` is an {@link IpcError}, optionally with the given code. Works across copies
 * of this package: it checks the global brand every `IpcError` carries, not the class.
 */
export function isIpcError(err: unknown, code?: IpcErrorCode): err is IpcError {
  return hasBrand(err) && (code === undefined || (err as IpcError).code === code);
}

const errnoToCode: Readonly<Record<string, IpcErrorCode>> = {
  EEXIST: 'ERR_EXISTS',
  ENOENT: 'ERR_NOT_FOUND',
  ESRCH: 'ERR_NOT_FOUND',
  EACCES: 'ERR_PERMISSION',
  EPERM: 'ERR_PERMISSION',
  EADDRINUSE: 'ERR_ADDRESS_IN_USE',
  EPIPE: 'ERR_PEER_GONE',
  ECONNRESET: 'ERR_PEER_GONE',
  ECONNREFUSED: 'ERR_PEER_GONE',
  ENXIO: 'ERR_PEER_GONE',
  ETIMEDOUT: 'ERR_TIMEOUT',
  ENOSYS: 'ERR_UNSUPPORTED',
  ENOTSUP: 'ERR_UNSUPPORTED',
  EOPNOTSUPP: 'ERR_UNSUPPORTED',
  EINVAL: 'ERR_INVALID_ARGUMENT',
  ENAMETOOLONG: 'ERR_INVALID_ARGUMENT',
};

/** Errno names by number, for errors of native addons that carry only the number. */
const errnoNames = new Map<number, string>(
  Object.entries(constants.errno).map(([name, value]) => [value, name] as const),
);

/**
 * Wraps any thrown value as an {@link IpcError}: an `IpcError` is returned as is, an OS error
 * (`err.code` like `ENOENT`, or only a numeric `err.errno` as a native addon throws it) gets the
 * matching code, anything else gets `fallback`.
 */
export function toIpcError(
  err: unknown,
  fallback: IpcErrorCode = 'ERR_INTERNAL',
  context?: string,
): IpcError {
  if (isIpcError(err)) return err;
  const sys = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown;
    errno?: unknown;
    syscall?: unknown;
    message?: unknown;
  };
  const errno =
    typeof sys.code === 'string'
      ? sys.code
      : typeof sys.errno === 'number'
        ? errnoNames.get(Math.abs(sys.errno))
        : undefined;
  const code = (errno !== undefined ? errnoToCode[errno] : undefined) ?? fallback;
  const text = typeof sys.message === 'string' ? sys.message : String(err);
  return new IpcError(code, context === undefined ? text : `${context}: ${text}`, {
    cause: err,
    errno,
    syscall: typeof sys.syscall === 'string' ? sys.syscall : undefined,
  });
}
