import type { Channel, ConsumeMessage } from 'amqplib';

/** Options of {@link Delivery.nack}. */
export interface NackOptions {
  /** Put the message back in the queue (`true`, the default) or drop it — to the dead-letter exchange if the queue has one. */
  requeue?: boolean | undefined;
}

/**
 * One message from a queue with manual acknowledgement. Until `ack()` the broker keeps it: if this
 * consumer dies or its connection drops, the message goes to another consumer (`redelivered` set).
 *
 * @typeParam T - the decoded message
 */
export class Delivery<T> {
  private settled = false;

  /** @internal */
  constructor(
    /** The decoded message. */
    readonly message: T,
    private readonly raw: ConsumeMessage,
    private readonly channel: Channel,
    private readonly isCurrent: (channel: Channel) => boolean,
  ) {}

  /** Whether the broker delivered this message before (to a consumer that did not acknowledge it). */
  get redelivered(): boolean {
    return this.raw.fields.redelivered;
  }

  /** The routing key it was published with. */
  get routingKey(): string {
    return this.raw.fields.routingKey;
  }

  /** The exchange it was published to (`''` for the default exchange). */
  get exchange(): string {
    return this.raw.fields.exchange;
  }

  /** The message headers. */
  get headers(): Record<string, unknown> {
    return this.raw.properties.headers ?? {};
  }

  /**
   * Acknowledges: the broker forgets the message. Idempotent. Does nothing when the channel it came
   * on is gone (the broker has already put it back for redelivery).
   */
  ack(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.isCurrent(this.channel)) this.channel.ack(this.raw);
  }

  /** Rejects: requeued (default) or dropped / dead-lettered with `{ requeue: false }`. Idempotent. */
  nack(options: NackOptions = {}): void {
    if (this.settled) return;
    this.settled = true;
    if (this.isCurrent(this.channel)) this.channel.nack(this.raw, false, options.requeue ?? true);
  }

  /** @internal The channel it came on. */
  channelOf(): Channel {
    return this.channel;
  }

  /** @internal Whether ack or nack was called. */
  get done(): boolean {
    return this.settled;
  }
}
