import type { IpcError } from '@ipc/core';

/** Where a problem that no caller is waiting for happened (see `onError`). */
export type ErrorPhase =
  'accept' | 'auth' | 'limit' | 'idle' | 'read' | 'decode' | 'handler' | 'reply' | 'reconnect';

/**
 * What the server or client that owns a channel does when its link ends, and where errors go.
 * `C` is the channel type (`SocketChannel`; a parameter so that this file needs no import of it).
 */
export interface ChannelOwner<C> {
  /** The current link ended by itself (`error` undefined for a clean end). True: a new link will come. */
  linkLost(channel: C, error: IpcError | undefined): boolean;
  /** A problem no caller waits for. */
  report(error: IpcError, phase: ErrorPhase, channel: C): void;
  /** The channel closed (by the user, or for good). */
  closed(channel: C): void;
}

/** Options the server and client give a channel. */
export interface SocketChannelSettings {
  /** Messages buffered before this side stops reading (the stream channel below buffers too). */
  highWaterMessages: number;
  /** Bytes (of binary and string messages) buffered before this side stops reading. */
  highWaterBytes: number;
  /** Requests handled at once on this connection (until their replies are written) before it stops reading. */
  maxConcurrentRequests: number;
  /** Unwritten outgoing bytes at which a connection with a request handler stops reading. */
  maxUnwrittenBytes: number;
}
