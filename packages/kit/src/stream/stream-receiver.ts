import type { Readable } from 'node:stream';
import {
  CLOSE_MARKER,
  IpcError,
  OPEN_MARKER,
  toIpcError,
  type Codec,
  type FrameDecoder,
  type Receiver,
  type RecvOptions,
} from '@ipc/core';
import { Inbox } from '../inbox.js';
import { feedDecoder } from './direct-reads.js';
import { bytesOnly, offerToDecoder, receiveInto } from './receive-into.js';

/** Options of {@link StreamReceiver}. */
export interface StreamReceiverOptions<T> {
  /** Checks (and may transform) each decoded message; a rejected one becomes `ERR_INVALID_MESSAGE`. */
  validate?: ((value: unknown) => T) | undefined;
  /** Decoded messages buffered before reading pauses (default 1024). */
  highWaterMessages?: number | undefined;
  /** Decoded bytes buffered before reading pauses (default 16 MiB). */
  highWaterBytes?: number | undefined;
  /**
   * The peer is @ipc and ends a graceful close with the close marker (its `sendCloseMarker`; the
   * decoder must be made with `closeMarker: true`): an end of the stream without it, even between
   * two messages, is a peer that died — `ERR_PEER_GONE` instead of the clean end (`ERR_CLOSED`).
   */
  expectCloseMarker?: boolean | undefined;
  /**
   * Asked when the stream ends cleanly between two messages (and no close marker was seen): resolves
   * with the error to fail with (`ERR_PEER_GONE`: the peer died, say by its exit status), or
   * `undefined` for a clean end. The iteration ends (or fails) once it has answered.
   */
  endCheck?: (() => Promise<IpcError | undefined>) | undefined;
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
  private readonly expectCloseMarker: boolean;
  private readonly endCheck: (() => Promise<IpcError | undefined>) | undefined;
  private sawCloseMarker = false;
  private ending = false;
  /**
   * Why {@link StreamReceiver.recvInto} cannot work on this receiver (`ERR_UNSUPPORTED`: not the raw
   * codec, or a validator), or `undefined` when it can.
   */
  readonly recvIntoUnsupported: IpcError | undefined;

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
    this.recvIntoUnsupported = bytesOnly(codec, options.validate !== undefined);
    this.inbox = new Inbox<T>({
      highWaterMessages: options.highWaterMessages,
      highWaterBytes: options.highWaterBytes,
      onFull: () => readable.pause(),
      onRoom: () => {
        if (!this.inbox.done) readable.resume();
      },
    });
    this.expectCloseMarker = options.expectCloseMarker === true;
    this.endCheck = options.endCheck;
    const validate = options.validate;
    const deliver = (frame: Uint8Array): void => {
      if (frame === CLOSE_MARKER) this.sawCloseMarker = true;
      else if (frame !== OPEN_MARKER) this.inbox.pushFrame(frame, codec, validate);
    };
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
   * Receives the next message's bytes into `buffer` at `offset` and resolves with their count, like
   * Python's `Connection.recv_bytes_into`: the receiver keeps one buffer for a stream of big messages
   * instead of a new allocation per message. With the length-prefixed framing on a plain
   * `net.Socket`, a big message (64 KiB or more) that arrives while this is the only receive waiting,
   * without `timeout` or `signal`, is read by the kernel straight into `buffer`; otherwise it is
   * copied there.
   *
   * Needs the `raw` codec and no `validate` (`ERR_UNSUPPORTED` otherwise). A message longer than the
   * room from `offset` rejects with `ERR_BUFFER_TOO_SMALL` and stays first in line for the next
   * receive. `buffer` must not be touched until the promise settles.
   *
   * @example
   * ```ts
   * const buffer = Buffer.allocUnsafe(1 << 20);
   * const n = await channel.recvInto(buffer);
   * process(buffer.subarray(0, n));
   * ```
   */
  recvInto(buffer: Uint8Array, offset = 0, options: RecvOptions = {}): Promise<number> {
    return receiveInto(this.inbox, this.offerInto, this.recvIntoUnsupported, buffer, offset, options);
  }

  /**
   * For a wrapper that forwards this receiver's messages in order (and has its own `recvInto`):
   * offers `target` for the payload of the next message to arrive, when none is buffered here;
   * returns whether it was offered. That message then arrives as a view of `target`.
   */
  readonly offerInto = (target: Uint8Array): boolean =>
    this.inbox.size === 0 && offerToDecoder(this.decoder, target);

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
    if (this.inbox.done || this.ending) return;
    this.ending = true;
    try {
      for (const frame of this.decoder.end()) deliver(frame);
    } catch (err) {
      this.inbox.fail(toIpcError(err, 'ERR_PEER_GONE'));
      return;
    }
    const clean = (): void => this.inbox.end(new IpcError('ERR_CLOSED', 'the peer ended the stream'));
    if (this.sawCloseMarker) {
      clean();
    } else if (this.expectCloseMarker) {
      this.inbox.fail(
        new IpcError(
          'ERR_PEER_GONE',
          'the peer went away without closing the channel (it died or was killed)',
        ),
      );
    } else if (this.endCheck !== undefined) {
      this.endCheck().then(
        (error) => (error === undefined ? clean() : this.inbox.fail(error)),
        (err: unknown) => this.inbox.fail(toIpcError(err, 'ERR_PEER_GONE')),
      );
    } else {
      clean();
    }
  }
}
