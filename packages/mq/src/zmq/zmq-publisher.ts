import { IpcError, waitWith, type WaitOptions } from '@ipc/core';
import type * as zmq from 'zeromq';
import type { ZmqLink } from './zmq-link.js';
import { ZmqReceivePump } from './zmq-receive-pump.js';
import type { ZmqSendOptions } from './zmq-send-queue.js';
import { ZmqSender } from './zmq-socket-classes.js';

/** A message with its topic, as a publisher sends it and a subscriber receives it. */
export interface TopicMessage<T> {
  /** The topic: subscribers match its beginning (ZeroMQ prefix matching). */
  topic: string;
  /** The message. */
  message: T;
}

interface SubscriptionWaiter {
  topic: string;
  count: number;
  resolve: () => void;
}

/**
 * A ZeroMQ publisher (an `XPUB` socket): a {@link Sender} of {@link TopicMessage}s plus
 * {@link publish}. By ZeroMQ's design a subscriber that does not keep up loses messages once its
 * high-water mark is reached (the publisher never waits) — unless `noDrop` is set, then `send` waits.
 * {@link whenSubscribed} answers ZeroMQ's "slow joiner" problem: wait until subscribers are there.
 *
 * @typeParam T - the messages it publishes
 */
export class ZmqPublisher<T> extends ZmqSender<TopicMessage<T>> {
  private readonly subscriptions = new Map<string, number>();
  private waiters: SubscriptionWaiter[] = [];
  private readonly subscriptionPump: ZmqReceivePump;

  /** @internal */
  constructor(link: ZmqLink<TopicMessage<T>, never>) {
    super(link);
    this.subscriptionPump = new ZmqReceivePump(
      link.socket as zmq.XPublisher,
      (frames) => this.onSubscription(frames[0]),
      () => undefined,
    );
    this.subscriptionPump.resume();
  }

  /** Publishes `message` on `topic` (same as `send({ topic, message })`). */
  publish(topic: string, message: T, options?: ZmqSendOptions): Promise<void> {
    return this.send({ topic, message }, options);
  }

  /**
   * Resolves once at least `count` subscriptions (default 1) whose prefix matches `topic` have
   * reached this publisher — from then on, messages on `topic` reach them.
   */
  whenSubscribed(topic: string, options: WaitOptions & { count?: number } = {}): Promise<void> {
    const count = options.count ?? 1;
    if (this.link.closed) return Promise.reject(new IpcError('ERR_CLOSED', 'the publisher is closed'));
    if (this.matching(topic) >= count) return Promise.resolve();
    return waitWith<void>(options, (resolve) => {
      const waiter = { topic, count, resolve };
      this.waiters.push(waiter);
      return () => (this.waiters = this.waiters.filter((w) => w !== waiter));
    });
  }

  /** Closes the publisher. Idempotent. */
  override close(): Promise<void> {
    this.subscriptionPump.stop();
    return super.close();
  }

  private matching(topic: string): number {
    let n = 0;
    for (const [prefix, count] of this.subscriptions) if (topic.startsWith(prefix)) n += count;
    return n;
  }

  private onSubscription(frame: Buffer | undefined): void {
    if (frame === undefined || frame.length === 0) return;
    const prefix = frame.subarray(1).toString();
    const delta = frame[0] === 1 ? 1 : frame[0] === 0 ? -1 : 0;
    const next = (this.subscriptions.get(prefix) ?? 0) + delta;
    if (next > 0) this.subscriptions.set(prefix, next);
    else this.subscriptions.delete(prefix);
    const ready = this.waiters.filter((w) => this.matching(w.topic) >= w.count);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }
}
