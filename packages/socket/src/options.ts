import type { StreamChannelOptions } from '@ipc/core';
import type { IpcError } from '@ipc/core';
import type { AuthOptions } from './auth-handshake.js';
import type { ConnectionInfo, ErrorPhase } from './socket-channel.js';

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
  /** Requests handled at once on one connection before it stops reading (backpressure). Default 1024. */
  maxConcurrentRequests?: number | undefined;
}

export const DEFAULT_MAX_CONCURRENT_REQUESTS = 1024;
export const DEFAULT_HIGH_WATER_MESSAGES = 1024;
export const DEFAULT_HIGH_WATER_BYTES = 16 * 1024 * 1024;
