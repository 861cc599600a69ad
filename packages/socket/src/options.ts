import type { StreamChannelOptions } from '@ipc/kit';
import type { IpcError } from '@ipc/core';
import type { AuthOptions } from './auth-handshake.js';
import type { ErrorPhase, SocketChannelSettings } from './channel-owner.js';
import type { ConnectionInfo } from './connection-info.js';

/**
 * How messages are encoded and framed, shared by {@link listen} and {@link connect} (see
 * `StreamChannelOptions` in @ipc/core): `codec` (default `'msgpack'`), `framing` (default
 * `'length-prefixed'`, Python `multiprocessing.connection` compatible), `maxFrameBytes` (the largest
 * incoming frame, default 64 MiB; a bigger header disconnects the peer with `ERR_FRAME_TOO_LARGE`),
 * `validate`, `highWaterMessages` (default 1024) and `highWaterBytes` (default 16 MiB).
 */
export type MessageOptions<In = unknown> = StreamChannelOptions<In>;

/** Called with problems that no caller is waiting for: a client that sent garbage, failed auth, went idle. */
export type ErrorHook = (error: IpcError, context: ErrorContext) => void;

/** Where an error reported to an {@link ErrorHook} happened. */
export interface ErrorContext {
  /** The step that failed. */
  readonly phase: ErrorPhase;
  /** The connection, when there is one yet. */
  readonly connection: ConnectionInfo | undefined;
}

/** Options common to servers and clients. */
export interface CommonOptions<In = unknown> extends MessageOptions<In>, AuthOptions {
  /**
   * Receives problems that no call of yours is waiting for (see {@link ErrorContext.phase}) — the
   * "log" of a server. Default: ignored (nothing is printed).
   */
  onError?: ErrorHook | undefined;
  /**
   * Requests handled at once on one connection before it stops reading (backpressure). A request
   * counts until its reply is written to the socket, not only until its handler returns. Default 1024.
   */
  maxConcurrentRequests?: number | undefined;
  /**
   * Reply backpressure, in bytes. A connection with a request handler stops reading requests while
   * its socket holds this many bytes or more that the peer has not read yet (`socket.writableLength`),
   * and as soon as any reply has to wait for the socket to drain (the socket's buffer is above Node's
   * `writableHighWaterMark`, 16 KiB); it reads again once they drain. So a client that sends requests
   * and never reads the replies costs the server a bounded amount of memory — at most about this
   * bound plus the replies of the requests already running (`maxConcurrentRequests`) — and other
   * connections are not affected. Default 1 MiB (1,048,576 bytes).
   */
  maxUnwrittenBytes?: number | undefined;
  /**
   * The kernel's send and receive buffer of this side's socket of each Unix-socket connection, in
   * bytes (`SO_SNDBUF` / `SO_RCVBUF`). Linux counts the bytes in flight on a Unix stream socket against
   * the sender's buffer, so this matters on the side that sends bulk data (set it on both sides for
   * both directions). A Unix stream socket carries at most about that much between two wake-ups of
   * the other side: with the default (about 208 KiB) a 1 MiB message costs each side some 5 reads or
   * writes and as many event-loop wake-ups; with 1 MiB, one or two.
   *
   * Whether that is faster depends on the machine: on two machines of the same kind (Linux 6.18,
   * 2 vCPUs), interleaved runs of a stream of 1 MiB messages found 1 MiB buffers 8-40 % slower than
   * the default on one (a C program a third slower: fewer bytes in flight still in the CPU cache when
   * the receiver copies them, most likely) and 25 % faster on the other (the C program 14-21 %).
   * Measure on yours (the benchmark's `ipc-socket-unix-1m` case). Each connection may hold up to
   * about twice this in kernel memory while its reader lags. The kernel doubles the value and caps it
   * at `net.core.wmem_max` / `rmem_max` (see `socket(7)`). Ignored for TCP and TLS (the kernel sizes
   * those itself) and where the native addon is not built. An integer from 4,096 to 64 MiB; default:
   * the kernel's.
   */
  socketBufferBytes?: number | undefined;
}

export const DEFAULT_MAX_CONCURRENT_REQUESTS = 1024;
export const DEFAULT_MAX_PENDING_HANDSHAKES = 128;
export const DEFAULT_MAX_CONNECTIONS = 8192;
export const DEFAULT_MAX_UNWRITTEN_BYTES = 1024 * 1024;
export const DEFAULT_HIGH_WATER_MESSAGES = 1024;
export const DEFAULT_HIGH_WATER_BYTES = 16 * 1024 * 1024;

/** The channel settings from the options, defaults filled in. */
export function settings(options: CommonOptions<any>): SocketChannelSettings {
  return {
    highWaterMessages: options.highWaterMessages ?? DEFAULT_HIGH_WATER_MESSAGES,
    highWaterBytes: options.highWaterBytes ?? DEFAULT_HIGH_WATER_BYTES,
    maxConcurrentRequests: options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS,
    maxUnwrittenBytes: options.maxUnwrittenBytes ?? DEFAULT_MAX_UNWRITTEN_BYTES,
  };
}

/** Calls the `onError` hook, if any, with `error` (a hook that throws is ignored: it must not break the server or client). */
export function reportError(
  options: { onError?: ErrorHook | undefined },
  error: IpcError,
  phase: ErrorPhase,
  connection: ConnectionInfo | undefined,
): void {
  const hook = options.onError;
  if (hook === undefined) return;
  try {
    hook(error, { phase, connection });
  } catch {
    // a failing hook must not break the server or the client
  }
}
