import { StreamChannel, type FrameSender } from '@ipc/kit';
import type { FifoReceiver } from './fifo-receiver.js';
import { openFifo, type OpenFifoOptions } from './open-fifo.js';

/** The two FIFOs of a {@link openFifoChannel}: one this side reads, one it writes. */
export interface FifoChannelPaths {
  /** The FIFO this side reads (the other side's `write`). */
  read: string;
  /** The FIFO this side writes (the other side's `read`). */
  write: string;
}

/**
 * A two-way channel made of two one-way FIFOs (the kit's `StreamChannel` of a FIFO sender and a
 * {@link FifoReceiver}): `close()` closes the sender (the other side's reader ends), then the receiver.
 */
export class FifoChannel<Out, In = Out> extends StreamChannel<Out, In> {
  /**
   * @param sender - the writing end
   * @param receiver - the reading end
   */
  constructor(
    sender: FrameSender<Out>,
    override readonly receiver: FifoReceiver<In>,
  ) {
    super(sender, receiver);
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
