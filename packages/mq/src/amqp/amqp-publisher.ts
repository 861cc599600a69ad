import { abortError, IpcError, throwIfAborted } from '@ipc/core';
import { Deque } from '@ipc/kit';
import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import type { Attachment } from './amqp-attachment.js';
import { fromAmqpError, unavailable } from './amqp-error.js';

/** What a send does while the connection is down. */
export type WhileDisconnected = 'wait' | 'fail-fast';

/** Options of one publish. */
export interface PublishCallOptions {
  /** Cancels a publish still waiting for room or for the connection; it then rejects with `ERR_ABORTED`. */
  signal?: AbortSignal | undefined;
}

interface Pending {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
  resolve: () => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * Publishes on one confirm channel per connection. A publish resolves only when the broker
 * confirmed it. Messages wait in a bounded buffer (`maxBuffered`, counting unconfirmed ones) while
 * the connection is down (`wait`) or are refused at once with `ERR_SERVICE_UNAVAILABLE`
 * (`fail-fast`). Messages whose confirm was lost with the connection are published again after the
 * reconnect (`wait`: at-least-once) or rejected (`fail-fast`). Order is publish order.
 */
export class ConfirmPublisher implements Attachment {
  private readonly queued = new Deque<Pending>();
  private readonly inflight = new Deque<Pending>();
  private channel: ConfirmChannel | undefined;
  private connected = false;
  private draining = false;
  private closedWith: IpcError | undefined;
  private roomWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  /**
   * @param maxBuffered - messages queued or unconfirmed at most; more sends wait for room
   * @param mode - what sends do while disconnected
   */
  constructor(
    private readonly maxBuffered: number,
    private readonly mode: WhileDisconnected,
  ) {}

  /** Unconfirmed and queued messages. */
  get size(): number {
    return this.queued.length + this.inflight.length;
  }

  /** Publishes and resolves on the broker's confirm. */
  async publish(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
    call: PublishCallOptions = {},
  ): Promise<void> {
    throwIfAborted(call.signal);
    for (;;) {
      if (this.closedWith !== undefined) throw this.closedWith;
      if (!this.connected && this.mode === 'fail-fast') throw unavailable('publish');
      if (this.size < this.maxBuffered) break;
      await this.waitForRoom(call.signal);
    }
    return new Promise<void>((resolve, reject) => {
      const p: Pending = {
        exchange,
        routingKey,
        content,
        options,
        resolve,
        reject,
        signal: call.signal,
        onAbort: undefined,
      };
      if (call.signal !== undefined) {
        p.onAbort = () => {
          if (this.queued.remove(p)) this.settle(p, abortError(call.signal as AbortSignal));
        };
        call.signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.queued.push(p);
      this.flush();
    });
  }

  /** Resolves once nothing is queued or unconfirmed (or after `ms`). */
  idle(ms: number): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** @internal */
  async attach(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    let channelError: unknown;
    channel.on('error', (err: unknown) => (channelError = err));
    channel.on('drain', () => {
      this.draining = false;
      this.flush();
    });
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.draining = false;
      if (channelError !== undefined && this.connected) {
        // The broker closed this channel (e.g. an exchange that does not exist): those messages
        // would fail again, so they fail now; the others go on on a new channel.
        const err = fromAmqpError(channelError, 'publish');
        for (const p of this.inflight.drain()) this.settle(p, err);
        model.createConfirmChannel().then(
          (ch) => void this.adopt(ch, model),
          () => undefined,
        );
      }
    });
    this.adopt(channel, model);
  }

  /** @internal */
  detach(): void {
    this.connected = false;
    this.channel = undefined;
    this.draining = false;
    const lost = this.inflight.drain();
    if (this.mode === 'wait') {
      // Unconfirmed: publish again after the reconnect, in the same order, before newer ones.
      const newer = this.queued.drain();
      for (const p of lost) this.queued.push(p);
      for (const p of newer) this.queued.push(p);
    } else {
      for (const p of lost) this.settle(p, unavailable('publish (unconfirmed when the connection was lost)'));
      for (const p of this.queued.drain()) this.settle(p, unavailable('publish'));
    }
    this.wakeRoom();
  }

  /** Rejects everything left with `error` and every later publish. */
  close(error: IpcError): void {
    this.closedWith ??= error;
    for (const p of this.inflight.drain()) this.settle(p, error);
    for (const p of this.queued.drain()) this.settle(p, error);
    this.wakeRoom();
  }

  private adopt(channel: ConfirmChannel, model: ChannelModel): void {
    void model;
    if (this.closedWith !== undefined) {
      channel.close().catch(() => undefined);
      return;
    }
    this.channel = channel;
    this.connected = true;
    this.flush();
  }

  private flush(): void {
    const channel = this.channel;
    if (channel === undefined || !this.connected) return;
    while (!this.draining && this.queued.length > 0) {
      const p = this.queued.shift() as Pending;
      this.inflight.push(p);
      let ok: boolean;
      try {
        ok = channel.publish(p.exchange, p.routingKey, p.content, p.options, (err: unknown) =>
          this.confirmed(channel, p, err),
        );
      } catch (err) {
        this.inflight.remove(p);
        this.settle(p, fromAmqpError(err, 'publish', 'ERR_INVALID_ARGUMENT'));
        continue;
      }
      if (!ok) this.draining = true;
    }
  }

  private confirmed(channel: ConfirmChannel, p: Pending, err: unknown): void {
    if (err === null || err === undefined) {
      if (this.inflight.remove(p)) this.settle(p);
      return;
    }
    if ((err as Error).message === 'message nacked') {
      if (this.inflight.remove(p))
        this.settle(p, new IpcError('ERR_REMOTE', 'the broker refused the message (nack)'));
      return;
    }
    void channel; // "channel closed": detach() or the channel's close handler decides
  }

  private settle(p: Pending, err?: unknown): void {
    if (p.onAbort !== undefined) p.signal?.removeEventListener('abort', p.onAbort);
    if (err === undefined) p.resolve();
    else p.reject(err);
    this.wakeRoom();
    if (this.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private waitForRoom(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.roomWaiters = this.roomWaiters.filter((w) => w !== wake);
        reject(abortError(signal as AbortSignal));
      };
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.roomWaiters.push(wake);
    });
  }

  private wakeRoom(): void {
    if (this.roomWaiters.length === 0) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }
}
