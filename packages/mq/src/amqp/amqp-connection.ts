import { IpcError, waitWith, type WaitOptions } from '@ipc/core';
import type { Channel, ChannelModel } from 'amqplib';
import type { Attachment } from './amqp-attachment.js';
import { fromAmqpError, unavailable } from './amqp-error.js';
import { AmqpExchange, type ExchangeOptions, type ExchangeType } from './amqp-exchange.js';
import { ConfirmPublisher, type WhileDisconnected } from './amqp-publisher.js';
import { withChannel, type QueueOptions } from './amqp-declare.js';
import { loadAmqplib } from './amqp-library.js';
import { AmqpQueue } from './amqp-queue.js';
import { AmqpReplier, RpcClient, type AmqpReplyOptions, type AmqpRequestOptions } from './amqp-rpc.js';
import type { AmqpSession } from './amqp-session.js';
import { StatusFeed } from './amqp-status.js';
import type { CodecOption } from '@ipc/core';
import {
  reconnectDelay,
  reconnectPolicy,
  type ReconnectOptions as BackoffOptions,
  type ReconnectPolicy,
} from '@ipc/kit';

/**
 * Reconnect timing of an AMQP connection: @ipc/kit's reconnect policy (`initialDelay` 100 ms,
 * `maxDelay` 5000, `factor` 2, `jitter` 0.5, `maxAttempts` unlimited; after the last attempt the
 * connection closes with `ERR_SERVICE_UNAVAILABLE`).
 */
export interface ReconnectOptions extends BackoffOptions {
  /** @deprecated The former name of `maxAttempts` (still accepted). */
  maxRetries?: number | undefined;
}

/** Options of {@link connect}. Times in ms. */
export interface AmqpConnectOptions {
  /** Reconnect timing (exponential backoff with jitter), or `false` to close on the first loss. Default `{}`. */
  reconnect?: ReconnectOptions | false | undefined;
  /** What sends and requests do while the connection is down: wait (bounded by `maxBuffered`) or fail at once. Default `'wait'`. */
  whileDisconnected?: WhileDisconnected | undefined;
  /** Messages buffered (queued or unconfirmed) at most; further sends wait for room. Default 1000. */
  maxBuffered?: number | undefined;
  /** AMQP heartbeat in seconds (a dead broker is noticed after about twice this). Default 10. */
  heartbeat?: number | undefined;
  /** Time allowed for each connection attempt. Default 10000. */
  connectTimeout?: number | undefined;
  /** How long `close()` waits for unconfirmed messages. Default 5000. */
  closeTimeout?: number | undefined;
  /** The default codec of queues, exchanges and RPC on this connection. Default `msgpack`. */
  codec?: CodecOption | undefined;
}

/**
 * An AMQP 0-9-1 connection (RabbitMQ) that reconnects by itself: after a loss it waits (backoff with
 * jitter), connects again, re-declares every queue, exchange and binding made through it, re-opens
 * consumers, and publishes what was waiting. amqplib's `'error'` events are always handled (they
 * would crash Node otherwise); failures reach callers as {@link IpcError}s and `status`.
 */
export class AmqpConnection implements AmqpSession, AsyncDisposable {
  /** Connection state changes, as an async iterable (see {@link AmqpStatus}). */
  readonly status: StatusFeed;
  /** @internal */
  readonly publisher: ConfirmPublisher;
  /** @internal */
  readonly codec: CodecOption | undefined;
  private model: ChannelModel | undefined;
  private readonly attachments: Attachment[] = [];
  private closing: Promise<void> | undefined;
  private rpc: RpcClient | undefined;
  private connectedWaiters: (() => void)[] = [];
  private cancelDelay: (() => void) | undefined;
  private readonly backoff: ReconnectPolicy;

  private constructor(
    private readonly url: string,
    private readonly options: AmqpConnectOptions,
  ) {
    const reconnect = options.reconnect === false ? undefined : options.reconnect;
    this.backoff = reconnectPolicy(reconnect, { formerMaxAttempts: ['maxRetries'] }); // ERR_INVALID_ARGUMENT
    this.status = new StatusFeed({ state: 'disconnected' });
    this.publisher = new ConfirmPublisher(options.maxBuffered ?? 1000, this.mode);
    this.codec = options.codec;
    this.attachments.push(this.publisher);
  }

  /** @internal */
  static async open(url: string, options: AmqpConnectOptions): Promise<AmqpConnection> {
    const conn = new AmqpConnection(url, options);
    const model = await conn.dial();
    await conn.adopt(model);
    return conn;
  }

  /** What calls do while disconnected. */
  get mode(): WhileDisconnected {
    return this.options.whileDisconnected ?? 'wait';
  }

  /** Whether the connection is up now. */
  get connected(): boolean {
    return this.model !== undefined;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /**
   * A queue, declared now and again after every reconnect. Default `durable: true`.
   *
   * @typeParam T - the messages on it
   */
  async queue<T = unknown>(name: string, options: QueueOptions<T> = {}): Promise<AmqpQueue<T>> {
    const queue = new AmqpQueue<T>(this, name, options);
    await this.register(queue);
    return queue;
  }

  /**
   * An exchange (`direct`, `topic`, `fanout`, `headers`), declared now and after every reconnect.
   *
   * @typeParam T - the messages published on it
   */
  async exchange<T = unknown>(
    name: string,
    type: ExchangeType,
    options: ExchangeOptions<T> = {},
  ): Promise<AmqpExchange<T>> {
    const exchange = new AmqpExchange<T>(this, name, type, options);
    await this.register(exchange);
    return exchange;
  }

  /**
   * Sends `message` to `queue` and resolves with the reply (RabbitMQ direct reply-to). Rejects with
   * `ERR_TIMEOUT`, `ERR_ABORTED`, `ERR_REMOTE` (the handler threw), `ERR_NOT_FOUND` (no such queue),
   * `ERR_SERVICE_UNAVAILABLE` (connection lost before the reply).
   */
  async request<Req = unknown, Res = unknown>(
    queue: string,
    message: Req,
    options: AmqpRequestOptions<Res> = {},
  ): Promise<Res> {
    if (this.rpc === undefined) {
      this.rpc = new RpcClient(this);
      await this.register(this.rpc);
    }
    return this.rpc.request(queue, message, options) as Promise<Res>;
  }

  /** Answers requests sent to `queue` with `handler` (a throw becomes `ERR_REMOTE` for the caller). */
  async reply<Req = unknown, Res = unknown>(
    queue: string,
    handler: (request: Req) => Res | Promise<Res>,
    options: AmqpReplyOptions<Req> = {},
  ): Promise<AmqpReplier<Req, Res>> {
    const replier = new AmqpReplier<Req, Res>(this, queue, handler, options);
    await this.register(replier);
    return replier;
  }

  /** Resolves when connected (at once if connected now); `ERR_SERVICE_UNAVAILABLE` in `fail-fast` mode. */
  whenConnected(options: WaitOptions = {}): Promise<void> {
    if (this.closing !== undefined)
      return Promise.reject(new IpcError('ERR_CLOSED', 'the connection is closed'));
    if (this.model !== undefined) return Promise.resolve();
    if (this.mode === 'fail-fast') return Promise.reject(unavailable('connect'));
    return waitWith<void>(options, (resolve) => {
      this.connectedWaiters.push(resolve);
      return () => (this.connectedWaiters = this.connectedWaiters.filter((w) => w !== resolve));
    });
  }

  /** Lets unconfirmed messages be confirmed (up to `closeTimeout`), then closes everything. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** @internal Adds an attachment and sets it up now when connected. */
  async register(attachment: Attachment): Promise<void> {
    if (this.closing !== undefined) throw new IpcError('ERR_CLOSED', 'the connection is closed');
    this.attachments.push(attachment);
    if (this.model !== undefined) {
      try {
        await attachment.attach(this.model);
      } catch (err) {
        this.unregister(attachment);
        throw fromAmqpError(err, 'declare');
      }
    }
  }

  /** @internal Runs `body` on a short-lived channel once connected. */
  async withChannel<R>(body: (channel: Channel) => Promise<R>): Promise<R> {
    await this.whenConnected();
    const model = this.model;
    if (model === undefined) throw unavailable('the operation');
    return withChannel(model, body);
  }

  /** @internal */
  unregister(attachment: Attachment): void {
    const at = this.attachments.indexOf(attachment);
    if (at !== -1) this.attachments.splice(at, 1);
  }

  private async dial(): Promise<ChannelModel> {
    const amqplib = await loadAmqplib();
    try {
      const url = new URL(this.url);
      if (!url.searchParams.has('heartbeat'))
        url.searchParams.set('heartbeat', String(this.options.heartbeat ?? 10));
      return await amqplib.connect(url.toString(), {
        timeout: this.options.connectTimeout ?? 10_000,
        noDelay: true,
      });
    } catch (err) {
      throw fromAmqpError(err, `connect ${redact(this.url)}`, 'ERR_SERVICE_UNAVAILABLE');
    }
  }

  private async adopt(model: ChannelModel): Promise<void> {
    let lastError: Error | undefined;
    model.on('error', (err: Error) => (lastError = err)); // never an unhandled 'error'
    model.on('close', () => {
      if (this.model !== model) return;
      this.model = undefined;
      for (const a of this.attachments) a.detach(lastError);
      if (this.closing !== undefined) return;
      this.status.emit({ state: 'disconnected', error: lastError });
      if (this.options.reconnect === false) {
        void this.close();
        return;
      }
      void this.reconnect();
    });
    this.model = model;
    for (const a of [...this.attachments]) {
      if (this.model !== model) return; // lost again while setting up: reconnect() runs again
      try {
        await a.attach(model);
      } catch (err) {
        lastError = fromAmqpError(err, 're-declare');
      }
    }
    if (this.model !== model) return;
    this.status.emit({ state: 'connected' });
    const waiters = this.connectedWaiters;
    this.connectedWaiters = [];
    for (const w of waiters) w();
  }

  private async reconnect(): Promise<void> {
    const backoff = this.backoff;
    for (let attempt = 0; this.closing === undefined; attempt++) {
      if (attempt >= backoff.maxAttempts) {
        const error = new IpcError(
          'ERR_SERVICE_UNAVAILABLE',
          `gave up reconnecting after ${attempt} attempts`,
        );
        this.status.emit({ state: 'disconnected', error });
        void this.close();
        return;
      }
      const delay = reconnectDelay(backoff, attempt);
      this.status.emit({ state: 'reconnecting', attempt: attempt + 1, delay });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.cancelDelay = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.cancelDelay = undefined;
      if (this.closing !== undefined) return;
      let model: ChannelModel;
      try {
        model = await this.dial();
      } catch (err) {
        this.status.emit({ state: 'disconnected', error: err as Error });
        continue;
      }
      if (this.closing !== undefined) {
        model.on('error', () => undefined);
        await model.close().catch(() => undefined);
        return;
      }
      await this.adopt(model);
      return;
    }
  }

  private async shutdown(): Promise<void> {
    this.cancelDelay?.();
    if (this.model !== undefined) await this.publisher.idle(this.options.closeTimeout ?? 5000);
    const closed = new IpcError('ERR_CLOSED', 'the connection is closed');
    this.publisher.close(closed);
    for (const w of this.connectedWaiters) w();
    this.connectedWaiters = [];
    for (const a of [...this.attachments].reverse()) {
      const closable = a as Partial<{ close: () => Promise<void> }>;
      if (a !== this.publisher && typeof closable.close === 'function') {
        await closable.close().catch(() => undefined);
      }
    }
    const model = this.model;
    this.model = undefined;
    for (const a of this.attachments) a.detach(undefined);
    if (model !== undefined) await model.close().catch(() => undefined);
    this.status.emit({ state: 'closed' });
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * Connects to an AMQP 0-9-1 broker (RabbitMQ), e.g. `amqp://guest:guest@127.0.0.1:5672`. The
 * first attempt fails with `ERR_SERVICE_UNAVAILABLE` (or `ERR_AUTH`); later losses reconnect.
 *
 * @example
 * ```ts
 * const conn = await amqp.connect('amqp://127.0.0.1');
 * const jobs = await conn.queue<Job>('jobs');
 * await jobs.sender().send({ id: 1 }); // resolves on the broker's confirm
 * ```
 */
export async function connect(url: string, options: AmqpConnectOptions = {}): Promise<AmqpConnection> {
  await loadAmqplib(); // a missing amqplib fails here, with ERR_UNSUPPORTED naming `npm install amqplib`
  return AmqpConnection.open(url, options);
}
