import type { IpcError } from '@ipc/core';
import type { StreamReceiver } from '@ipc/kit';
import type { Duplex } from 'node:stream';
import type { SocketLink } from './socket-link.js';

/** What {@link LinkSessions} asks of its channel. */
export interface LinkSessionsHost {
  /** Whether the channel's pump waits on an empty receiver (has taken everything it held). */
  idle(): boolean;
  /** Whether the channel is still open. */
  open(): boolean;
  /** The current link's socket ended (`error`: how; `undefined` cleanly) and all it brought was taken. */
  ended(error: IpcError | undefined): void;
}

/**
 * The connections of one channel, read one after the other by the channel's one receiver: which
 * link is current, when the receiver is done with it, and when its end counts — only once the pump
 * has taken every message the link brought before it (a failure also arrives in order, through the
 * receiver; a clean end does not).
 */
export class LinkSessions {
  /** The current connection; `undefined` while a reconnecting client is disconnected. */
  current: SocketLink | undefined;
  /** Resolves once the receiver is done with the socket attached last. */
  private read: Promise<unknown> = Promise.resolve();
  /** The link whose socket ended, and how, until the pump has taken what came before its end. */
  private ending: { link: SocketLink; error: IpcError | undefined } | undefined;
  /** A socket the handshake left paused, resumed once the receiver is empty. */
  private paused: Duplex | undefined;

  /**
   * @param receiver - the channel's receiver
   * @param host - the channel
   */
  constructor(
    private readonly receiver: StreamReceiver<unknown>,
    private readonly host: LinkSessionsHost,
  ) {}

  /** Makes `link` current: the receiver reads its socket from now on. */
  start(link: SocketLink): void {
    this.current = link;
    this.read = this.receiver.attach(link.socket).then((error) => {
      if (this.current !== link || !this.host.open()) return;
      this.ending = { link, error };
      if (this.host.idle()) this.settle();
    });
    // The authkey handshake left the socket paused: resumed only while the receiver is empty, so
    // that a receiver paused for backpressure is never overridden.
    if (this.host.idle()) link.socket.resume();
    else this.paused = link.socket;
  }

  /** Waits until the receiver is done with the link before (to attach the next one). */
  async previousRead(): Promise<void> {
    await this.read.catch(() => undefined);
  }

  /** The pump has taken everything received: resumes a paused socket, and lets an end count. */
  drained(): void {
    const paused = this.paused;
    this.paused = undefined;
    paused?.resume();
    if (this.ending !== undefined) this.settle();
  }

  /**
   * The current link is lost and another may come: its socket is destroyed (one that sent a bad
   * frame is still open, and the receiver reads no more of it).
   */
  drop(): void {
    const link = this.current;
    this.current = undefined;
    this.ending = undefined;
    link?.socket.destroy();
  }

  /** Flushes and ends the current socket (with the close marker towards @ipc), then closes the receiver. */
  async close(): Promise<void> {
    await this.current?.sender.close().catch(() => undefined);
    await this.receiver.close().catch(() => undefined);
  }

  private settle(): void {
    const ending = this.ending;
    this.ending = undefined;
    if (ending !== undefined && ending.link === this.current && this.host.open())
      this.host.ended(ending.error);
  }
}
