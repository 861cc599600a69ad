import { abortError, IpcError, resolveCodec, throwIfAborted, type Codec, type CodecOption } from '@ipc/core';
import { asBuffer } from '@ipc/core';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Attachment } from './amqp-attachment.js';
import { fromAmqpError, unavailable } from './amqp-error.js';
import { declareOptions, type QueueOptions } from './amqp-declare.js';
import type { AmqpSession } from './amqp-session.js';

const REPLY_TO = 'amq.rabbitmq.reply-to';
const ERROR_HEADER = 'x-ipc-error';

/** Options of {@link AmqpConnection.request}. */
export interface AmqpRequestOptions<Res = unknown> {
  /** Milliseconds to wait for the reply (→ `ERR_TIMEOUT`). Default 30000. */
  timeout?: number | undefined;
  /** Cancels the wait (→ `ERR_ABORTED`); a late reply is dropped. */
  signal?: AbortSignal | undefined;
  /** The codec of request and reply (default: the connection's). */
  codec?: CodecOption<Res> | undefined;
}

/** Options of {@link AmqpConnection.reply}. */
export interface AmqpReplyOptions<Req = unknown> extends QueueOptions<Req> {
  /** Requests handled at once (`basic.qos`). Default 1. */
  prefetch?: number | undefined;
}

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  codec: Codec<unknown>;
}

/** @internal The requesting side: one channel consuming RabbitMQ's direct reply-to pseudo-queue. */
export class RpcClient implements Attachment {
  private channel: Channel | undefined;
  private readonly waiters = new Map<string, Waiter>();
  private next = 0;

  constructor(private readonly conn: AmqpSession) {}

  async request(queue: string, message: unknown, options: AmqpRequestOptions<unknown>): Promise<unknown> {
    throwIfAborted(options.signal);
    const timeout = options.timeout ?? 30_000;
    const codec = resolveCodec(options.codec ?? this.conn.codec);
    const content = asBuffer(codec.encode(message));
    const started = Date.now();
    await this.conn.whenConnected({ signal: options.signal, timeout });
    for (;;) {
      if (this.channel !== undefined) break;
      if (Date.now() - started >= timeout) throw new IpcError('ERR_TIMEOUT', `no reply within ${timeout} ms`);
      await new Promise((r) => setTimeout(r, 20)); // the reply channel is being set up after a reconnect
    }
    const channel = this.channel;
    const id = `${process.pid}.${++this.next}`;
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(id);
      };
      const onAbort = (): void => {
        cleanup();
        reject(abortError(options.signal as AbortSignal));
      };
      const timer = setTimeout(
        () => {
          cleanup();
          reject(new IpcError('ERR_TIMEOUT', `no reply from "${queue}" within ${timeout} ms`));
        },
        Math.max(0, timeout - (Date.now() - started)),
      );
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(id, {
        resolve: (v) => (cleanup(), resolve(v)),
        reject: (e) => (cleanup(), reject(e)),
        codec,
      });
      try {
        channel.publish('', queue, content, {
          replyTo: REPLY_TO,
          correlationId: id,
          mandatory: true,
          contentType: 'application/octet-stream',
        });
      } catch (err) {
        this.waiters.get(id)?.reject(fromAmqpError(err, 'request'));
      }
    });
  }

  async attach(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', () => undefined); // a lost channel fails the waiters in 'close'
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.failAll(unavailable('request (the connection was lost before the reply)'));
    });
    channel.on('return', (msg: ConsumeMessage) => {
      const id = msg.properties.correlationId as string | undefined;
      if (id !== undefined) {
        this.waiters
          .get(id)
          ?.reject(new IpcError('ERR_NOT_FOUND', `no queue "${msg.fields.routingKey}" takes requests`));
      }
    });
    await channel.consume(REPLY_TO, (msg) => this.onReply(msg), { noAck: true });
    this.channel = channel;
  }

  detach(): void {
    this.channel = undefined;
    this.failAll(unavailable('request (the connection was lost before the reply)'));
  }

  async close(): Promise<void> {
    this.failAll(new IpcError('ERR_CLOSED', 'the connection is closed'));
  }

  private failAll(err: IpcError): void {
    for (const w of [...this.waiters.values()]) w.reject(err);
  }

  private onReply(msg: ConsumeMessage | null): void {
    if (msg === null) return;
    const waiter = this.waiters.get(msg.properties.correlationId as string);
    if (waiter === undefined) return; // timed out or aborted: dropped
    const headers: Record<string, unknown> | undefined = msg.properties.headers;
    const error: unknown = headers?.[ERROR_HEADER];
    if (error !== undefined) {
      waiter.reject(new IpcError('ERR_REMOTE', typeof error === 'string' ? error : JSON.stringify(error)));
      return;
    }
    try {
      waiter.resolve(waiter.codec.decode(msg.content));
    } catch (err) {
      waiter.reject(err);
    }
  }
}

/**
 * The replying side of AMQP request/reply: consumes a queue, runs the handler, publishes the reply
 * to the request's `reply-to` with its `correlation-id`, then acknowledges the request. A throwing
 * handler sends an error reply (`ERR_REMOTE` for the caller). Re-opened after a reconnect.
 *
 * @typeParam Req - the requests
 * @typeParam Res - the replies
 */
export class AmqpReplier<Req, Res> implements Attachment, AsyncDisposable {
  private channel: Channel | undefined;
  private closing: Promise<void> | undefined;
  private readonly codec: Codec<unknown>;

  /** @internal */
  constructor(
    private readonly conn: AmqpSession,
    /** The queue it answers on. */
    readonly queue: string,
    private readonly handler: (request: Req) => Res | Promise<Res>,
    private readonly options: AmqpReplyOptions<Req>,
  ) {
    this.codec = resolveCodec(options.codec ?? conn.codec);
  }

  /** Stops answering (requests not yet answered go back to the queue). Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.conn.unregister(this);
      const channel = this.channel;
      this.channel = undefined;
      await channel?.close().catch(() => undefined);
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
    channel.on('error', () => undefined);
    channel.on('close', () => {
      if (this.channel === channel) this.channel = undefined;
    });
    await channel.assertQueue(this.queue, declareOptions({ durable: false, ...this.options }));
    await channel.prefetch(this.options.prefetch ?? 1);
    this.channel = channel;
    await channel.consume(this.queue, (msg) => void this.handle(channel, msg), { noAck: false });
  }

  /** @internal */
  detach(): void {
    this.channel = undefined;
  }

  private async handle(channel: Channel, msg: ConsumeMessage | null): Promise<void> {
    if (msg === null || this.channel !== channel) return;
    const { replyTo, correlationId } = msg.properties as { replyTo?: string; correlationId?: string };
    let content: Buffer = Buffer.alloc(0);
    let headers: Record<string, unknown> | undefined;
    try {
      const request = this.codec.decode(msg.content) as Req;
      content = asBuffer(this.codec.encode(await this.handler(request)));
    } catch (err) {
      headers = { [ERROR_HEADER]: err instanceof Error ? err.message : String(err) };
    }
    if (this.channel !== channel) return; // connection lost: the request is redelivered
    try {
      if (replyTo !== undefined) channel.publish('', replyTo, content, { correlationId, headers });
      channel.ack(msg);
    } catch {
      // the channel closed meanwhile: the request is redelivered
    }
  }
}
