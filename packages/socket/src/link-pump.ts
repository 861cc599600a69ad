import { toIpcError, type IpcError } from '@ipc/core';
import type { StreamChannel } from '@ipc/kit';

/** What a {@link LinkPump} asks of its channel. */
export interface PumpHost {
  /** Whether `link` is still the channel's current link and the channel is open. */
  owns(link: StreamChannel<unknown, unknown>): boolean;
  /** Whether reading must wait (inbox full, too many requests running, replies blocked). */
  mustWait(): boolean;
  /** Reading is about to wait: arrange for {@link LinkPump.wake} (e.g. on the socket's `drain`). */
  waiting(): void;
  /** One message read, in order. */
  take(message: unknown): void;
  /** One message could not be decoded or validated; reading goes on. */
  badMessage(error: IpcError): void;
  /** The link ended (`undefined`: cleanly) or failed. */
  lost(error: IpcError | undefined): void;
}

/**
 * Moves one link's messages into its channel, in order, and stops reading while the channel says
 * so — the backpressure that reaches the peer through the socket.
 */
export class LinkPump {
  private resume: (() => void) | undefined;

  /** @param host - the channel */
  constructor(private readonly host: PumpHost) {}

  /** Resumes reading if it waits. */
  wake(): void {
    const resume = this.resume;
    this.resume = undefined;
    resume?.();
  }

  /** Reads `link` until it ends or fails, or is no longer the host's. */
  async run(link: StreamChannel<unknown, unknown>): Promise<void> {
    const host = this.host;
    // Start after the caller has finished setting the channel up (the server gives it the request
    // handler right after constructing it): messages the link already holds are taken synchronously.
    await Promise.resolve();
    if (!host.owns(link)) return;
    let last: unknown;
    for (;;) {
      while (host.mustWait()) {
        await new Promise<void>((resolve) => {
          this.resume = resolve;
          host.waiting();
        });
        if (!host.owns(link)) return;
      }
      let message: unknown;
      try {
        // Messages already decoded are taken at once; a promise only when the link has none.
        const ready = link.receiver.poll();
        message = ready !== undefined ? ready.value : await link.recv();
      } catch (err) {
        if (!host.owns(link)) return;
        const failure = toIpcError(err, 'ERR_PEER_GONE');
        if ((failure.code === 'ERR_DECODE' || failure.code === 'ERR_INVALID_MESSAGE') && err !== last) {
          last = err; // one bad message; a failed stream repeats the same error object
          host.badMessage(failure);
          continue;
        }
        host.lost(failure.code === 'ERR_CLOSED' ? undefined : failure);
        return;
      }
      host.take(message);
    }
  }
}
