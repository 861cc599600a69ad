import type { Writable } from 'node:stream';

/**
 * Reply backpressure of one connection: reading requests waits while a reply waits for the socket
 * to drain, or (with a request handler) while the socket holds `maxUnwrittenBytes` or more that the
 * peer has not read — so a peer that sends requests and never reads the replies costs bounded memory.
 */
export class ReplyBackpressure {
  /** The byte stream the current link writes to (its socket). */
  private output: Writable | undefined;
  /** Replies handed to the link whose `send` has not resolved yet (waiting for the socket to drain). */
  private unsent = 0;
  private watchingDrain = false;

  /**
   * @param maxUnwrittenBytes - unwritten bytes at which a connection with a handler stops reading
   * @param wake - resumes reading (called when the socket drained or the last unsent reply went)
   */
  constructor(
    private readonly maxUnwrittenBytes: number,
    private readonly wake: () => void,
  ) {}

  /** Watches `output`, the socket of a new link. */
  watch(output: Writable | undefined): void {
    this.output = output;
  }

  /** The socket's `writableLength` (0 with no socket). */
  get unwrittenBytes(): number {
    return this.output?.writableLength ?? 0;
  }

  /** Counts `sending` (a reply's send, which never rejects) as unsent until it settles. */
  track(sending: Promise<void>): Promise<void> {
    this.unsent++;
    return sending.finally(() => {
      this.unsent--;
      if (this.unsent === 0) this.wake();
    });
  }

  /**
   * Whether reading must wait for the peer to read what was written to it: a reply is waiting for
   * room, or (`handled`: the connection has a request handler) the socket holds too much unwritten.
   */
  blocked(handled: boolean): boolean {
    if (this.unsent > 0) return true;
    const out = this.output;
    if (out === undefined || out.destroyed || !handled) return false;
    return out.writableLength >= this.maxUnwrittenBytes;
  }

  /** Before reading waits on a full socket (`blocked` by bytes alone): its `drain` (or `close`) wakes it. */
  wakeOnDrain(handled: boolean): void {
    const out = this.output;
    if (out === undefined || this.watchingDrain || this.unsent > 0 || !this.blocked(handled)) return;
    this.watchingDrain = true;
    const wake = (): void => {
      out.off('drain', wake);
      out.off('close', wake);
      this.watchingDrain = false;
      this.wake();
    };
    out.on('drain', wake);
    out.on('close', wake);
  }
}
