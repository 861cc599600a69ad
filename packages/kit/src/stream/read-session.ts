import type { Readable } from 'node:stream';
import { CLOSE_MARKER, IpcError, OPEN_MARKER, toIpcError, type FrameDecoder } from '@ipc/core';
import { feedDecoder } from './direct-reads.js';

/** OS errors that mean "the other side went away" rather than a failure of this side. */
const PEER_GONE_ERRNOS = new Set(['ECONNRESET', 'EPIPE']);

/** What a {@link ReadSession} tells its receiver. */
export interface ReadSessionSink {
  /** Whether frames are still wanted (false once the receiver has ended or closed). */
  wanted(): boolean;
  /** One decoded message frame (markers are counted, never passed on). */
  frame(frame: Uint8Array): void;
  /** The readable cannot be decoded any further (bad framing, a frame too large). */
  broken(session: ReadSession, error: IpcError): void;
  /**
   * The readable ended (or failed), called once: `error` is why it counts as a failure, `undefined`
   * for a clean end; `reported` when that error was already given to {@link ReadSessionSink.broken}.
   */
  over(session: ReadSession, error: IpcError | undefined, reported: boolean): void;
}

/** How a {@link ReadSession} judges the end of its readable. */
export interface ReadSessionEnd {
  /** An end without the close marker is a peer that died (`ERR_PEER_GONE`). */
  expectCloseMarker: boolean;
  /** Asked about a clean end without a close marker (see `StreamReceiverOptions.endCheck`). */
  endCheck: (() => Promise<IpcError | undefined>) | undefined;
}

/**
 * One readable's turn in a `StreamReceiver`: a fresh decoder fed by it (through direct reads where
 * possible), the open and close markers its writers sent, and the verdict when it ends — a frame cut
 * off (`ERR_PEER_GONE`), an @ipc writer that announced itself and did not close, a missing expected
 * close marker, or the owner's `endCheck`. Bytes after a decoding failure are read and dropped.
 */
export class ReadSession {
  /** Writers that sent the open marker and not yet the close marker. */
  private announced = 0;
  private sawCloseMarker = false;
  /** The decoding failure already reported: the rest of the readable is dropped. */
  private failure: IpcError | undefined;
  private finished = false;

  /**
   * @param readable - the byte stream of this session
   * @param decoder - a decoder for it alone (never shared with another session)
   * @param end - how its end is judged
   * @param sink - where frames, failures and the end go
   */
  constructor(
    readonly readable: Readable,
    readonly decoder: FrameDecoder,
    private readonly end: ReadSessionEnd,
    private readonly sink: ReadSessionSink,
  ) {
    feedDecoder(readable, decoder, (read) => this.take(read));
    readable.on('end', () => this.finish());
    readable.on('close', () => this.finish());
    readable.on('error', (err: NodeJS.ErrnoException) => {
      if (decoder.partial || !PEER_GONE_ERRNOS.has(err.code ?? '')) {
        this.conclude(toIpcError(err, 'ERR_PEER_GONE', 'read failed'));
      } else {
        this.finish();
      }
    });
  }

  /** Whether the readable has ended and its verdict was given (or is being asked for). */
  get done(): boolean {
    return this.finished;
  }

  private take(read: () => Uint8Array[]): void {
    if (this.failure !== undefined || this.finished || !this.sink.wanted()) return;
    let frames: Uint8Array[];
    try {
      frames = read();
    } catch (err) {
      this.failure = toIpcError(err, 'ERR_DECODE');
      this.sink.broken(this, this.failure);
      return;
    }
    for (let i = 0; i < frames.length; i++) this.deliver(frames[i] as Uint8Array);
    // Whole frames then a bad header in one read: the frames went out first, now the failure.
    const failed = this.decoder.failed;
    if (failed !== undefined && this.failure === undefined) {
      this.failure = failed;
      this.sink.broken(this, failed);
    }
  }

  private deliver(frame: Uint8Array): void {
    if (frame === OPEN_MARKER) {
      this.announced++;
    } else if (frame === CLOSE_MARKER) {
      this.sawCloseMarker = true;
      this.announced = Math.max(0, this.announced - 1);
    } else {
      this.sink.frame(frame);
    }
  }

  /** The readable ended: the last frames, then the verdict. */
  private finish(): void {
    if (this.finished) return;
    if (this.failure !== undefined || !this.sink.wanted()) return this.conclude(undefined);
    try {
      for (const frame of this.decoder.end()) this.deliver(frame);
    } catch (err) {
      return this.conclude(toIpcError(err, 'ERR_PEER_GONE', 'the stream ended in the middle of a message'));
    }
    if (this.announced > 0) {
      return this.conclude(
        new IpcError(
          'ERR_PEER_GONE',
          `${this.announced} @ipc writer(s) went away without closing (died or killed)`,
        ),
      );
    }
    if (this.sawCloseMarker) return this.conclude(undefined);
    if (this.end.expectCloseMarker) {
      return this.conclude(
        new IpcError(
          'ERR_PEER_GONE',
          'the peer went away without closing the channel (it died or was killed)',
        ),
      );
    }
    const check = this.end.endCheck;
    if (check === undefined) return this.conclude(undefined);
    this.finished = true;
    check().then(
      (error) => this.sink.over(this, error, false),
      (err: unknown) => this.sink.over(this, toIpcError(err, 'ERR_PEER_GONE'), false),
    );
  }

  private conclude(error: IpcError | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.sink.over(this, this.failure ?? error, this.failure !== undefined);
  }
}
