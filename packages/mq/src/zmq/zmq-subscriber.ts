import { IpcError } from '@ipc/core';
import type * as zmq from 'zeromq';
import type { TopicMessage } from './zmq-publisher.js';
import { ZmqReceiver } from './zmq-socket-classes.js';

/**
 * A ZeroMQ subscriber (`SUB`): a {@link Receiver} of {@link TopicMessage}s whose topic starts with
 * one of its subscribed prefixes (`''` matches everything).
 *
 * @typeParam T - the messages it receives
 */
export class ZmqSubscriber<T> extends ZmqReceiver<TopicMessage<T>> {
  /** Adds topic prefixes. */
  subscribe(...topics: string[]): void {
    this.check();
    (this.link.socket as zmq.Subscriber).subscribe(...topics);
  }

  /** Removes topic prefixes. */
  unsubscribe(...topics: string[]): void {
    this.check();
    (this.link.socket as zmq.Subscriber).unsubscribe(...topics);
  }

  private check(): void {
    if (this.link.closed) throw new IpcError('ERR_CLOSED', 'the subscriber is closed');
  }
}
