import { Deque } from '@ipc/kit';

/** A state of an AMQP connection, as its `status` iterable reports it. */
export interface AmqpStatus {
  /** `connected`, `disconnected` (will reconnect), `reconnecting` (an attempt is scheduled), `closed` (for good). */
  state: 'connected' | 'disconnected' | 'reconnecting' | 'closed';
  /** Why it went down or why an attempt failed. */
  error?: Error | undefined;
  /** For `reconnecting`: the attempt number (1-based) and the delay before it in ms. */
  attempt?: number | undefined;
  /** For `reconnecting`: the delay before the attempt in ms. */
  delay?: number | undefined;
}

interface Subscriber {
  queue: Deque<AmqpStatus>;
  wake: (() => void) | undefined;
}

/**
 * The `status` async iterable: each iteration starts with the current state and then gets every
 * change; it ends after `closed`. Iterations are independent; a slow one buffers its own changes.
 */
export class StatusFeed implements AsyncIterable<AmqpStatus> {
  private current: AmqpStatus;
  private readonly subscribers = new Set<Subscriber>();

  /** @param initial - the state now */
  constructor(initial: AmqpStatus) {
    this.current = initial;
  }

  /** The latest state. */
  get state(): AmqpStatus {
    return this.current;
  }

  /** Publishes a change. */
  emit(status: AmqpStatus): void {
    this.current = status;
    for (const s of this.subscribers) {
      s.queue.push(status);
      s.wake?.();
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<AmqpStatus> {
    const sub: Subscriber = { queue: new Deque(), wake: undefined };
    sub.queue.push(this.current);
    this.subscribers.add(sub);
    let ended = false;
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    return {
      next: async () => {
        if (ended) return done;
        while (sub.queue.length === 0) {
          if (ended) return done;
          await new Promise<void>((r) => (sub.wake = r));
        }
        sub.wake = undefined;
        const value = sub.queue.shift() as AmqpStatus;
        if (value.state === 'closed') {
          ended = true;
          this.subscribers.delete(sub);
        }
        return { done: false, value };
      },
      return: async () => {
        ended = true;
        this.subscribers.delete(sub);
        sub.wake?.();
        return done;
      },
    };
  }
}
