import type { Readable } from 'node:stream';
import type { RecvOptions, Receiver } from '../channel.js';
import type { Codec } from '../codec.js';
import { IpcError, toIpcError } from '../errors.js';
import type { FrameDecoder } from '../framing/framing.js';
import { Inbox } from '../internal/inbox.js';
import { feedDecoder } from './direct-reads.js';

/** Options of {@link StreamReceiver}. */
export interface StreamReceiverOptions<T> {
  /** Checks (and may transform) each decoded message; a rejected one becomes `ERR_INVALID_MESSAGE`. */
  validate?: ((value: unknown) => T) | undefined;
  /** Decoded messages buffered before reading pauses (default 1024). */
  highWaterMessages?: number | undefined;
  /** Decoded bytes buffered before reading pauses (default 16 MiB). */
  highWaterBytes?: number | undefined;
}

/** OS errors that mean "the other side went away" rather than a failure of this side. */
const PEER_GONE_ERRNOS = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Receives framed, encoded messages from a Node `Readable`. Reading pauses while more than the
 * high-water marks are buffered, so a slow receiver pushes back on the sender through the OS.
 *
 * On a plain `net.Socket` (Unix or TCP sockets, child stdio, a socket on a file descriptor) with the
 * length-prefixed framing, the decoder chooses where each read lands (see
 * `LengthPrefixedDecoder.readBuffer`): big messages are read straight into their own buffer,
 * with no second copy and no 64 KiB read size. Other streams are read through `'data'` events.
 */
export class StreamReceiver<T> implements Receiver<T> {
  private readonly inbox: Inbox<T>;
  private closing: Promise<void> | undefined;

  /**
   * @param readable - the byte stream to read (destroyed on close)
   * @param codec - decodes each message
   * @param decoder - splits the stream into frames
   * @param options - validation and flow control
   */
  constructor(
    private readonly readable: Readable,
    private readonly codec: Codec<T>,
    private readonly decoder: FrameDecoder,
    options: StreamReceiverOptions<T> = {},
  ) {
    this.inbox = new Inbox<T>({
      highWaterMessages: options.highWaterMessages,
      highWaterBytes: options.highWaterBytes,
      onFull: () => readable.pause(),
      onRoom: () => {
        if (!this.inbox.done) readable.resume();
      },
    });
    const validate = options.validate;
    const deliver = (frame: Uint8Array): void => this.inbox.pushFrame(frame, codec, validate);
    const take = (read: () => Uint8Array[]): void => {
      if (this.inbox.done) return;
      let frames: Uint8Array[];
      try {
        frames = read();
      } catch (err) {
        this.inbox.fail(toIpcError(err, 'ERR_DECODE'));
        readable.destroy();
        return;
      }
      for (let i = 0; i < frames.length; i++) deliver(frames[i] as Uint8Array);
    };
    feedDecoder(readable, decoder, take);
    readable.on('end', () => this.ended(deliver));
    readable.on('close', () => this.ended(deliver));
    readable.on('error', (err: NodeJS.ErrnoException) => {
      if (this.decoder.partial || !PEER_GONE_ERRNOS.has(err.code ?? '')) {
        this.inbox.fail(toIpcError(err, 'ERR_PEER_GONE', 'read failed'));
      } else {
        this.ended(deliver);
      }
    });
  }

  /** {@inheritDoc Receiver.recv} */
  recv(options?: RecvOptions): Promise<T> {
    return this.inbox.recv(options);
  }

  /**
   * Takes the next message if one is already received and decoded: `{ value }`, or `undefined`
   * (nothing yet). Throws what {@link recv} would reject with. For pumps that drain a stream
   * without a promise per message.
   */
  poll(): { value: T } | undefined {
    return this.inbox.poll();
  }

  /** {@inheritDoc Receiver.close} */
  close(): Promise<void> {
    this.closing ??= this.shut();
    return this.closing;
  }

  /** Closes (see {@link StreamReceiver.close}). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** {@inheritDoc Inbox.[Symbol.asyncIterator]} */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.inbox[Symbol.asyncIterator]();
  }

  private async shut(): Promise<void> {
    this.inbox.close();
    const r = this.readable;
    if (r.destroyed) return;
    await new Promise<void>((resolve) => {
      r.once('close', () => resolve());
      r.destroy();
    });
  }

  private ended(deliver: (frame: Uint8Array) => void): void {
    if (this.inbox.done) return;
    try {
      for (const frame of this.decoder.end()) deliver(frame);
    } catch (err) {
      this.inbox.fail(toIpcError(err, 'ERR_PEER_GONE'));
      return;
    }
    this.inbox.end(new IpcError('ERR_CLOSED', 'the peer ended the stream'));
  }
}
