import type { ChannelModel } from 'amqplib';

/**
 * Something that lives on an AMQP connection and must be set up again after each reconnect: a
 * declared queue or exchange, a consumer, the publisher, the RPC client. `attach` runs in
 * registration order on every (re)connect; `detach` when the connection is lost.
 */
export interface Attachment {
  /** Sets up on a fresh connection (declare, open channels, consume). */
  attach(model: ChannelModel): Promise<void>;
  /** The connection was lost: forget channels (their deliveries are redelivered by the broker). */
  detach(error: Error | undefined): void;
}
