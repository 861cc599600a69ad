import {
  compileValidator,
  IpcError,
  receiveUntilClosed,
  resolveCodec,
  type Codec,
  type CodecOption,
  type AckableReceiver,
  type MessageValidator,
  type Receiver,
  type RecvOptions,
} from '@ipc/core';
import { Inbox } from '@ipc/kit';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Attachment } from './amqp-attachment.js';
import { AmqpDelivery, type AmqpChannelState } from './amqp-delivery.js';
import { fromAmqpError } from './amqp-error.js';
import { END_HEADER } from './amqp-wire.js';
import type { AmqpSession } from './amqp-session.js';

/** Options of a queue's receiver (and of an exchange subscription). */
export interface AmqpReceiverOptions<T = unknown> {
  /** Unacknowledged messages the broker sends ahead (`basic.qos`). Default 100; at least 1. */
  prefetch?: number | undefined;
  /**
   * `'auto'` (default): a `Receiver<T>`; each message is acknowledged when you ask for the next one
   * (`recv` or the next loop turn), so a handler that throws loses nothing: at close the message is
   * requeued. `'manual'`: a `Receiver<AmqpDelivery<T>>`; call `ack()` / `nack()` yourself.
   * `recvDelivery()` and `deliveries()` hand out deliveries in either mode.
   */
  ack?: 'auto' | 'manual' | undefined;
  /** The codec (default: the queue's, then the connection's, then `msgpack`). */
  codec?: CodecOption<T> | undefined;
  /** Validates each message; an invalid or undecodable one is rejected without requeue (dead-lettered if configured) and `recv` throws `ERR_DECODE`/`ERR_INVALID_MESSAGE` for it. */
  validate?: MessageValidator<T> | undefined;
  /** End the iteration after this many end-of-stream messages (from senders with `endOnClose`). Default 0: never. */
  endAfter?: number | undefined;
}

/** What a receiver consumes: declares what it needs on `channel` and returns the queue name to consume. */
export type ConsumeSource = (channel: Channel) => Promise<string>;

/**
 * A consumer behind the {@link Receiver} and {@link AckableReceiver} contracts, re-opened after every
 * reconnect. Messages that arrived on a channel that is gone are skipped: the broker redelivers them.
 *
 * @typeParam M - what `recv` returns: `T` (auto ack) or `AmqpDelivery<T>` (manual ack)
 * @typeParam T - the decoded message (worked out from `M`)
 */
export class AmqpReceiver<M, T = M extends AmqpDelivery<infer U> ? U : M>
  implements Receiver<M>, AckableReceiver<T>, Attachment
{
  private readonly inbox = new Inbox<AmqpDelivery<unknown>>({
    highWaterMessages: Infinity,
    highWaterBytes: Infinity,
  });
  private readonly codec: Codec<unknown>;
  private readonly validate: ((value: unknown) => unknown) | undefined;
  private readonly manual: boolean;
  private channel: Channel | undefined;
  private unacked: AmqpDelivery<unknown> | undefined;
  private closing: Promise<void> | undefined;
  private ends = 0;
  private queueName = '';

  /** @internal */
  constructor(
    private readonly conn: AmqpSession,
    private readonly source: ConsumeSource,
    codec: CodecOption<unknown> | undefined,
    private readonly options: AmqpReceiverOptions<any>,
  ) {
    this.codec = resolveCodec(options.codec ?? codec ?? conn.codec);
    this.validate = options.validate === undefined ? undefined : compileValidator(options.validate);
    this.manual = options.ack === 'manual';
    const prefetch = options.prefetch ?? 100;
    if (!Number.isInteger(prefetch) || prefetch < 1) {
      throw new IpcError('ERR_INVALID_ARGUMENT', `prefetch must be an integer >= 1, got ${String(prefetch)}`);
    }
  }

  /** The queue consumed (server-named for an exchange subscription without a queue name). */
  get queue(): string {
    return this.queueName;
  }

  /** Receives the next message (auto ack: acknowledges the previous one first). */
  async recv(options?: RecvOptions): Promise<M> {
    const delivery = await this.recvDelivery(options);
    if (this.manual) return delivery as M;
    this.unacked = delivery;
    return delivery.message as unknown as M;
  }

  /**
   * Receives the next message as a delivery to `ack()` or `nack()` by hand, in either ack mode (in
   * auto mode, acknowledges the message `recv` handed out before). Rejects with `ERR_TIMEOUT`,
   * `ERR_ABORTED` (nothing taken) and `ERR_CLOSED` once closed or ended.
   */
  async recvDelivery(options?: RecvOptions): Promise<AmqpDelivery<T>> {
    if (!this.manual) this.settlePrevious();
    for (;;) {
      const delivery = await this.inbox.recv(options);
      if (!this.isCurrent(delivery.channelOf())) continue; // its channel is gone: redelivered
      return delivery as AmqpDelivery<T>;
    }
  }

  /** Iterates deliveries (manual ack) until closed or ended. Breaking out does not close the receiver. */
  deliveries(): AsyncIterable<AmqpDelivery<T>> {
    return { [Symbol.asyncIterator]: () => receiveUntilClosed(() => this.recvDelivery()) };
  }

  /** Iterates messages until closed or ended (`endAfter`). Breaking out does not close the receiver. */
  [Symbol.asyncIterator](): AsyncIterator<M> {
    return receiveUntilClosed(() => this.recv());
  }

  /** Stops consuming. Unacknowledged messages go back to the queue. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.inbox.close();
      this.conn.unregister(this);
      const channel = this.channel;
      this.channel = undefined;
      if (channel !== undefined) await channel.close().catch(() => undefined);
    })();
    return this.closing;
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** @internal */
  async attach(model: ChannelModel): Promise<void> {
    if (this.closing !== undefined) return;
    const channel = await model.createChannel();
    channel.on('error', (err: unknown) => {
      if (this.channel === channel && this.conn.connected) this.inbox.fail(fromAmqpError(err, 'consume'));
    });
    channel.on('close', () => {
      if (this.channel === channel) this.channel = undefined;
    });
    await channel.prefetch(this.options.prefetch ?? 100);
    this.queueName = await this.source(channel);
    this.channel = channel;
    await channel.consume(this.queueName, (msg) => this.onMessage(channel, msg), { noAck: false });
  }

  /** @internal */
  detach(): void {
    this.channel = undefined;
    this.unacked = undefined;
  }

  private isCurrent = (channel: Channel): boolean => channel === this.channel;

  private stateOf = (channel: Channel): AmqpChannelState =>
    this.closing !== undefined ? 'closed' : channel === this.channel ? 'open' : 'gone';

  private settlePrevious(): void {
    const previous = this.unacked;
    this.unacked = undefined;
    previous?.ackQuietly();
  }

  private onMessage(channel: Channel, msg: ConsumeMessage | null): void {
    if (msg === null) {
      // The broker cancelled the consumer (its queue was deleted): there is nothing to ack.
      if (this.channel === channel) {
        this.inbox.fail(
          new IpcError('ERR_NOT_FOUND', `the broker cancelled the consumer of "${this.queueName}"`),
        );
      }
      return;
    }
    if (this.channel !== channel) return;
    const headers = msg.properties.headers;
    if (headers?.[END_HEADER] !== undefined) {
      channel.ack(msg);
      const endAfter = this.options.endAfter ?? 0;
      if (endAfter > 0 && ++this.ends >= endAfter)
        this.inbox.end(new IpcError('ERR_CLOSED', 'the stream ended'));
      return;
    }
    let message: unknown;
    try {
      message = this.codec.decode(msg.content);
      if (this.validate !== undefined) message = this.validate(message);
    } catch (err) {
      channel.nack(msg, false, false); // a poison message must not loop: dead-letter or drop
      this.inbox.pushError(err);
      return;
    }
    this.inbox.push(new AmqpDelivery(message, msg, channel, this.stateOf));
  }
}
