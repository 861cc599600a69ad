import type { Channel, Receiver, RecvOptions, Sender, SendOptions } from './channel.js';

/**
 * A {@link Channel} made of a {@link Sender} and a {@link Receiver} — two halves on one socket, two
 * one-way FIFOs, two rings. `close()` closes the sender first (so the peer sees a clean end after
 * everything accepted), then the receiver, even if closing the sender failed. Idempotent.
 *
 * @typeParam Out - the messages it sends
 * @typeParam In - the messages it receives
 */
export class DuplexChannel<Out, In = Out> implements Channel<Out, In> {
  private closing: Promise<void> | undefined;

  /**
   * @param sender - the sending half
   * @param receiver - the receiving half
   */
  constructor(
    readonly sender: Sender<Out>,
    readonly receiver: Receiver<In>,
  ) {}

  /** {@inheritDoc Sender.send} */
  send(message: Out, options?: SendOptions): Promise<void> {
    return this.sender.send(message, options);
  }

  /** {@inheritDoc Receiver.recv} */
  recv(options?: RecvOptions): Promise<In> {
    return this.receiver.recv(options);
  }

  /** Closes the sender, then the receiver. Idempotent: later calls return the same promise. */
  close(): Promise<void> {
    this.closing ??= this.sender.close().then(
      () => this.receiver.close(),
      async (err: unknown) => {
        await this.receiver.close();
        throw err;
      },
    );
    return this.closing;
  }

  /** Closes (see {@link DuplexChannel.close}). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Iterates incoming messages (see {@link Receiver}). */
  [Symbol.asyncIterator](): AsyncIterator<In> {
    return this.receiver[Symbol.asyncIterator]();
  }
}
