import type { CodecOption, WaitOptions } from '@ipc/core';
import type { Channel } from 'amqplib';
import type { Attachment } from './amqp-attachment.js';
import type { ConfirmPublisher } from './amqp-publisher.js';

/**
 * What queues, exchanges, senders, receivers and the RPC ends use of the connection that made them.
 * `AmqpConnection` implements it; they depend on this interface, not on the connection class, so
 * the connection can make them without an import cycle.
 */
export interface AmqpSession {
  /** The connection's default codec. */
  readonly codec: CodecOption | undefined;
  /** The connection's confirmed publisher. */
  readonly publisher: ConfirmPublisher;
  /** Connected to the broker now. */
  readonly connected: boolean;
  /** Closed (or closing) for good. */
  readonly closed: boolean;
  /** Adds an attachment and sets it up now when connected. */
  register(attachment: Attachment): Promise<void>;
  /** Removes an attachment (it is not set up again after a reconnect). */
  unregister(attachment: Attachment): void;
  /** Runs `body` on a short-lived channel once connected. */
  withChannel<R>(body: (channel: Channel) => Promise<R>): Promise<R>;
  /** Resolves once connected. */
  whenConnected(options?: WaitOptions): Promise<void>;
}
