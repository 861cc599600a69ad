import { toIpcError, type IpcError } from '@ipc/core';
import type { StreamReceiver } from '@ipc/kit';

/** What a {@link ReceivePump} asks of its channel. */
export interface PumpHost {
  /** Whether the channel is still open (the pump stops once it is not). */
  open(): boolean;
  /** Whether reading must wait (inbox full, too many requests running, replies blocked). */
  mustWait(): boolean;
  /** Reading is about to wait: arrange for {@link ReceivePump.wake} (e.g. on the socket's `drain`). */
  waiting(): void;
  /**
   * Everything received so far was taken and the pump waits for more (`receiver` holds nothing):
   * the moment to act on a connection's clean end, in order after its messages.
   */
  drained(): void;
  /** One message received, in order. */
  take(message: unknown): void;
  /** One message could not be decoded or validated; reading goes on. */
  badMessage(error: IpcError): void;
  /** The connection ended (`undefined`: cleanly) or failed. */
  lost(error: IpcError | undefined): void;
}

/**
 * Moves the messages of a channel's one receiver (across the connections of a reconnecting client)
 * into the channel, in order, and stops reading while the channel says so — the backpressure that
 * reaches the peer through the socket.
 */
export class ReceivePump {
  private resume: (() => void) | undefined;
  private parked = false;

  /** @param host - the channel */
  constructor(private readonly host: PumpHost) {}

  /** Whether the pump waits for the receiver, having taken everything it held. */
  get idle(): boolean {
    return this.parked;
  }

  /** Resumes reading if it waits for room. */
  wake(): void {
    const resume = this.resume;
    this.resume = undefined;
    resume?.();
  }

  /** Reads `receiver` until the channel closes (or the receiver ends and the channel with it). */
  async run(receiver: StreamReceiver<unknown>): Promise<void> {
    const host = this.host;
    // Start after the caller has finished setting the channel up (the server gives it the request
    // handler right after constructing it): messages the receiver already holds are taken synchronously.
    await Promise.resolve();
    let last: unknown;
    while (host.open()) {
      while (host.mustWait()) {
        await new Promise<void>((resolve) => {
          this.resume = resolve;
          host.waiting();
        });
        if (!host.open()) return;
      }
      let message: unknown;
      try {
        // Messages already decoded are taken at once; a promise only when the receiver has none.
        const ready = receiver.poll();
        if (ready !== undefined) {
          message = ready.value;
        } else {
          this.parked = true;
          host.drained();
          if (!host.open()) return;
          message = await receiver.recv();
        }
      } catch (err) {
        if (!host.open()) return;
        const failure = toIpcError(err, 'ERR_PEER_GONE');
        if ((failure.code === 'ERR_DECODE' || failure.code === 'ERR_INVALID_MESSAGE') && err !== last) {
          last = err; // one bad message; a failed receiver repeats the same error object
          host.badMessage(failure);
          continue;
        }
        host.lost(failure.code === 'ERR_CLOSED' ? undefined : failure);
        continue;
      } finally {
        this.parked = false;
      }
      host.take(message);
    }
  }
}
