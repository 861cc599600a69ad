import type { Channel, Receiver, RecvOptions, Sender, SendOptions } from '@ipc/core';
import { openFifo, type OpenFifoOptions } from './open-fifo.js';

/** The two FIFOs of a {@link openFifoChannel}: one this side reads, one it writes. */
export interface FifoChannelPaths {
  /** The FIFO this side reads (the other side's `write`). */
  read: string;
  /** The FIFO this side writes (the other side's `read`). */
  write: string;
}

/** A two-way {@link Channel} made of two one-way FIFOs. */
export class FifoChannel<Out, In = Out> implements Channel<Out, In> {
  private closing: Promise<void> | undefined;

  /**
   * @param sender - writes the `write` FIFO
   * @param receiver - reads the `read` FIFO
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

  /** Closes the sender (the other side's reader ends), then the receiver. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.sender.close().then(
      () => this.receiver.close(),
      () => this.receiver.close(),
    );
    return this.closing;
  }

  /** Closes (see {@link FifoChannel.close}). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Iterates incoming messages. */
  [Symbol.asyncIterator](): AsyncIterator<In> {
    return this.receiver[Symbol.asyncIterator]();
  }
}

/**
 * Opens a two-way channel over two FIFOs (`paths.read` and `paths.write`; the other side passes them
 * swapped). The reading end is opened first, so two processes opening at the same time never wait on
 * each other. Options apply to both ends (see {@link openFifo}).
 *
 * @example
 * ```ts
 * // this side                                   // the other side
 * openFifoChannel({ read: 'b2a', write: 'a2b' }); openFifoChannel({ read: 'a2b', write: 'b2a' });
 * ```
 */
export async function openFifoChannel<Out = unknown, In = Out>(
  paths: FifoChannelPaths,
  options: OpenFifoOptions<In> = {},
): Promise<FifoChannel<Out, In>> {
  const receiver = await openFifo<In>(paths.read, 'r', options);
  try {
    const { validate: _validate, ...writeOptions } = options;
    const sender = await openFifo<Out>(paths.write, 'w', writeOptions);
    return new FifoChannel<Out, In>(sender, receiver);
  } catch (err) {
    await receiver.close();
    throw err;
  }
}
