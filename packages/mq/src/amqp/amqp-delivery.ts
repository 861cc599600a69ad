import { IpcError, type Delivery, type NackOptions, nackDelay } from '@ipc/core';
import type { Channel, ConsumeMessage } from 'amqplib';

export type { NackOptions } from '@ipc/core';

/** Where the channel a delivery came on stands: still consuming, its receiver closed, or dropped (reconnect). */
export type AmqpChannelState = 'open' | 'closed' | 'gone';

/**
 * One message from a queue with manual acknowledgement: the @ipc {@link Delivery} contract of
 * `@ipc/core`, plus AMQP's fields. Until `ack()` the broker keeps it: if this consumer dies, its
 * connection drops or its receiver closes, the message goes to another consumer (`redelivered` set).
 *
 * AMQP 0-9-1 limits: `attempt` counts deliveries only on queues whose broker says so (a quorum
 * queue's `x-delivery-count` header); elsewhere it is 1 on a first delivery and 2 on any
 * redelivery. `nack({ delay })` above 0 rejects with `ERR_UNSUPPORTED` (no delayed requeue without
 * broker plugins). `ack()` resolves once the ack is written to the connection: AMQP does not
 * confirm acks.
 *
 * @typeParam T - the decoded message
 */
export class AmqpDelivery<T> implements Delivery<T> {
  #settled = false;

  /** @internal */
  constructor(
    /** The decoded message. */
    readonly message: T,
    private readonly raw: ConsumeMessage,
    private readonly channel: Channel,
    private readonly stateOf: (channel: Channel) => AmqpChannelState,
  ) {}

  /**
   * How many times the broker delivered this message, this time included: from the
   * `x-delivery-count` header where the broker sets it (quorum queues), else 1, or 2 when
   * `redelivered`.
   */
  get attempt(): number {
    const count = this.raw.properties.headers?.['x-delivery-count'] as unknown;
    if (typeof count === 'number' && Number.isInteger(count) && count >= 0) return count + 1;
    return this.raw.fields.redelivered ? 2 : 1;
  }

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
   * Acknowledges: the broker forgets the message. Rejects with `ERR_INVALID_STATE` when already
   * settled, `ERR_CLOSED` after its receiver closed and `ERR_PEER_GONE` when the connection it came
   * on dropped (in both the broker has put it back for redelivery).
   */
  async ack(): Promise<void> {
    this.#settle();
    this.#send(() => this.channel.ack(this.raw));
  }

  /**
   * Rejects: requeued (default) or dropped / dead-lettered with `{ requeue: false }`. A `delay` above
   * 0 rejects with `ERR_UNSUPPORTED` (a bad one with `ERR_INVALID_ARGUMENT`), leaving the delivery
   * unsettled. Otherwise rejects as {@link ack}.
   */
  async nack(options: NackOptions = {}): Promise<void> {
    const delay = nackDelay(options);
    if (delay > 0) {
      throw new IpcError(
        'ERR_UNSUPPORTED',
        'AMQP 0-9-1 cannot requeue a message after a delay (use a dead-letter exchange with a message TTL)',
      );
    }
    this.#settle();
    this.#send(() => this.channel.nack(this.raw, false, options.requeue ?? true));
  }

  /** @internal Acknowledges if not settled yet and still possible; never throws (the auto-ack receiver). */
  ackQuietly(): void {
    if (this.#settled) return;
    this.#settled = true;
    if (this.stateOf(this.channel) === 'open') {
      try {
        this.channel.ack(this.raw);
      } catch {
        // the channel closed meanwhile: the broker redelivers it
      }
    }
  }

  /** @internal The channel it came on. */
  channelOf(): Channel {
    return this.channel;
  }

  /** @internal Whether ack or nack was called. */
  get done(): boolean {
    return this.#settled;
  }

  #settle(): void {
    if (this.#settled) throw new IpcError('ERR_INVALID_STATE', 'this delivery was already acked or nacked');
    const state = this.stateOf(this.channel);
    if (state === 'closed') throw new IpcError('ERR_CLOSED', 'the receiver of this delivery is closed');
    if (state === 'gone') {
      throw new IpcError(
        'ERR_PEER_GONE',
        'the connection this delivery came on dropped: the broker redelivers the message',
      );
    }
    this.#settled = true;
  }

  #send(write: () => void): void {
    try {
      write();
    } catch (err) {
      throw new IpcError('ERR_PEER_GONE', 'the channel this delivery came on closed', { cause: err });
    }
  }
}

/** The former name of {@link AmqpDelivery} (kept for compatibility). */
export { AmqpDelivery as Delivery };
