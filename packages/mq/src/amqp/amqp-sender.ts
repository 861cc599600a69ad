import { IpcError, resolveCodec, type Codec, type Sender } from '@ipc/core';
import { asBuffer } from '@ipc/core';
import type { Options } from 'amqplib';
import type { PublishCallOptions } from './amqp-publisher.js';
import type { AmqpSession } from './amqp-session.js';
import { contentType, END_HEADER } from './amqp-wire.js';

/** Options of a queue's or an exchange's sender. */
export interface AmqpSenderOptions {
  /** `deliveryMode: 2`: the broker writes the message to disk (in a durable queue). Default `true`. */
  persistent?: boolean | undefined;
  /** Per-message TTL in ms (`expiration`). Default: none. */
  expiration?: number | undefined;
  /** Headers added to every message. */
  headers?: Record<string, unknown> | undefined;
  /** On `close()`, publish an end-of-stream message; a receiver with `endAfter` ends on it. Default `false`. */
  endOnClose?: boolean | undefined;
}

/**
 * A {@link Sender} that publishes to an exchange with a routing key (the default exchange and a
 * queue name for a queue). `send` resolves when the broker confirmed the message.
 *
 * @typeParam T - the messages it sends
 */
export class AmqpSender<T> implements Sender<T> {
  private readonly codec: Codec<T>;
  private readonly properties: Options.Publish;
  private readonly outstanding = new Set<Promise<void>>();
  private closing: Promise<void> | undefined;

  /** @internal */
  constructor(
    private readonly conn: AmqpSession,
    private readonly exchange: string,
    private readonly routingKey: string,
    codec: Codec<T>,
    private readonly options: AmqpSenderOptions = {},
  ) {
    this.codec = resolveCodec(codec);
    this.properties = {
      persistent: options.persistent ?? true,
      contentType: contentType(this.codec),
      ...(options.expiration !== undefined ? { expiration: String(options.expiration) } : {}),
      ...(options.headers !== undefined ? { headers: options.headers } : {}),
    };
  }

  /**
   * Publishes one message; resolves on the broker's confirm. While the connection is down it waits
   * (`whileDisconnected: 'wait'`, bounded by `maxBuffered`) or rejects with `ERR_SERVICE_UNAVAILABLE`.
   */
  send(message: T, options?: PublishCallOptions): Promise<void> {
    if (this.closing !== undefined) return Promise.reject(new IpcError('ERR_CLOSED', 'the sender is closed'));
    let content: Buffer;
    try {
      content = asBuffer(this.codec.encode(message));
    } catch (err) {
      return Promise.reject(err);
    }
    const sending = this.conn.publisher.publish(
      this.exchange,
      this.routingKey,
      content,
      this.properties,
      options,
    );
    this.outstanding.add(sending);
    const forget = (): void => void this.outstanding.delete(sending);
    sending.then(forget, forget);
    return sending;
  }

  /** Waits for this sender's messages to be confirmed (or fail), publishes the end marker if asked, closes. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.outstanding]);
      if (this.options.endOnClose === true && !this.conn.closed) {
        await this.conn.publisher
          .publish(this.exchange, this.routingKey, Buffer.alloc(0), {
            ...this.properties,
            headers: { ...(this.properties.headers as Record<string, unknown> | undefined), [END_HEADER]: 1 },
          })
          .catch(() => undefined);
      }
    })();
    return this.closing;
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
