import type { Readable } from 'node:stream';
import { IpcError, type Codec, type FrameDecoder, type Receiver, type RecvOptions } from '@ipc/core';
import { Inbox } from '../inbox.js';
import { ReadSession, type ReadSessionEnd, type ReadSessionSink } from './read-session.js';
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
  /**
   * What the end of a readable means. `false` (default): the receiver ends with it (the iteration
   * ends, `recv` rejects with `ERR_CLOSED`, or with the failure). `true`: each readable is one
   * session, and its end leaves the receiver waiting for the next {@link StreamReceiver.attach} — a
   * FIFO whose writers went away and that a new writer opens, a socket that reconnects; waiting
   * `recv`s wait across the gap. A session that fails (a frame cut off, bytes that cannot be
   * decoded, an @ipc peer that died) then gives one failed `recv` in its place, not the end. Only
   * {@link StreamReceiver.close} or {@link StreamReceiver.end} ends the receiver.
   */
  sessions?: boolean | undefined;
}

/**
 * Receives framed, encoded messages from a Node `Readable`, or from a sequence of them (see
 * {@link StreamReceiver.attach}). Reading pauses while more than the high-water marks are buffered,
 * so a slow receiver pushes back on the sender through the OS.
 *
 * On a plain `net.Socket` (Unix or TCP sockets, child stdio, a socket on a file descriptor, a FIFO)
 * with the length-prefixed framing, the decoder chooses where each read lands (see
 * `LengthPrefixedDecoder.readBuffer`): big messages are read straight into their own buffer,
 * with no second copy and no 64 KiB read size. Other streams are read through `'data'` events.
 */
export class StreamReceiver<T> implements Receiver<T> {
  private readonly inbox: Inbox<T>;
  private closing: Promise<void> | undefined;
  private readonly sessions: boolean;
  private readonly endRules: ReadSessionEnd;
  private readonly sink: ReadSessionSink;
  /** The readable being read, until its end was judged. */
  private session: ReadSession | undefined;
  /** Resolves the current session's `attach` promise. */
  private settle: ((error: IpcError | undefined) => void) | undefined;
  /** The decoder for the next readable, made ahead (so bad decoder settings throw at construction). */
  private spare: FrameDecoder | undefined;
  private paused = false;
  /**
   * Why {@link StreamReceiver.recvInto} cannot work on this receiver (`ERR_UNSUPPORTED`: not the raw
   * codec, or a validator), or `undefined` when it can.
   */
  readonly recvIntoUnsupported: IpcError | undefined;

  /**
   * @param readable - the byte stream to read (destroyed on close), or `undefined` to
   *   {@link StreamReceiver.attach} one later
   * @param codec - decodes each message
   * @param newDecoder - makes the decoder that splits one readable into frames (one per readable)
   * @param options - validation, flow control, the end of a readable
   */
  constructor(
    readable: Readable | undefined,
    codec: Codec<T>,
    private readonly newDecoder: () => FrameDecoder,
    options: StreamReceiverOptions<T> = {},
  ) {
    this.recvIntoUnsupported = bytesOnly(codec, options.validate !== undefined);
    this.sessions = options.sessions === true;
    this.endRules = { expectCloseMarker: options.expectCloseMarker === true, endCheck: options.endCheck };
    this.spare = newDecoder();
    this.inbox = new Inbox<T>({
      highWaterMessages: options.highWaterMessages,
      highWaterBytes: options.highWaterBytes,
      onFull: () => {
        this.paused = true;
        this.session?.readable.pause();
      },
      onRoom: () => {
        this.paused = false;
        if (!this.inbox.done) this.session?.readable.resume();
      },
    });
    const validate = options.validate;
    this.sink = {
      wanted: () => !this.inbox.done,
      frame: (frame) => this.inbox.pushFrame(frame, codec, validate),
      broken: (session, error) => {
        if (this.sessions) {
          this.inbox.pushError(error); // the rest of this readable is dropped; the next one starts clean
        } else {
          this.inbox.fail(error);
          session.readable.destroy();
        }
      },
      over: (session, error, reported) => this.over(session, error, reported),
    };
    if (readable !== undefined) void this.attach(readable);
  }

  /**
   * Starts reading `readable`, the next byte stream of the same message stream: the inbox, the
   * waiting `recv`s, `recvInto` and the flow control carry over; the decoding starts afresh (a frame
   * is never joined from the bytes of two readables). With `sessions: false` (the default) a receiver
   * reads one readable, given here or to the constructor; with `sessions: true` one after another,
   * each attached once the promise of the one before has resolved (after its `endCheck`, if any).
   *
   * Resolves (never rejects) once the receiver is done with `readable`: with the error its end
   * counted as (`ERR_PEER_GONE`: cut off in the middle of a frame, or an @ipc peer that died;
   * `ERR_DECODE`, `ERR_FRAME_TOO_LARGE`…), also delivered to `recv`; with `undefined` for a clean
   * end, or when the receiver was closed.
   *
   * @throws IpcError `ERR_CLOSED` when the receiver is closed or has ended; `ERR_INVALID_STATE` while
   *   the readable before is still being read (or its end judged); `ERR_INVALID_ARGUMENT` for
   *   something not readable
   *
   * @example
   * ```ts
   * const rx = new StreamReceiver(undefined, codec, () => framing.createDecoder(), { sessions: true });
   * for (;;) await rx.attach(await nextConnection()); // a reconnecting client
   * ```
   */
  attach(readable: Readable): Promise<IpcError | undefined> {
    if (typeof (readable as Partial<Readable> | null)?.on !== 'function') {
      throw new IpcError('ERR_INVALID_ARGUMENT', 'attach needs a Readable');
    }
    if (this.closing !== undefined || this.inbox.done) {
      throw new IpcError('ERR_CLOSED', 'the receiver is closed or has ended: it reads no more streams');
    }
    if (this.session !== undefined) {
      throw new IpcError(
        'ERR_INVALID_STATE',
        'the receiver is still reading another stream: attach the next one once its attach() has resolved',
      );
    }
    const decoder = this.spare ?? this.newDecoder();
    this.spare = undefined;
    return new Promise<IpcError | undefined>((resolve) => {
      this.settle = resolve;
      this.session = new ReadSession(readable, decoder, this.endRules, this.sink);
      if (this.paused) readable.pause();
    });
  }

  /**
   * Ends the receiver for good, as the end of its last readable would (for `sessions: true`, where
   * the end of a readable does not): buffered messages are still received, then `recv` rejects
   * with `error`, or, without one, with `ERR_CLOSED` as the iteration ends. A readable being read is
   * destroyed. Does nothing once ended or closed.
   */
  end(error?: IpcError): void {
    if (this.closing !== undefined || this.inbox.done) return;
    if (error === undefined) this.inbox.end(new IpcError('ERR_CLOSED', 'the stream of messages has ended'));
    else this.inbox.fail(error);
    this.session?.readable.destroy();
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
    this.inbox.size === 0 &&
    this.session !== undefined &&
    !this.session.done &&
    offerToDecoder(this.session.decoder, target);

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

  /** Closes the inbox and destroys the readable being read (a subclass may add its own clean-up). */
  protected async shut(): Promise<void> {
    this.inbox.close();
    const r = this.session?.readable;
    if (r === undefined || r.destroyed) return;
    await new Promise<void>((resolve) => {
      r.once('close', () => resolve());
      r.destroy();
    });
  }

  /** The end of `session` was judged: `error` (unless already `reported`) goes to the inbox. */
  private over(session: ReadSession, error: IpcError | undefined, reported: boolean): void {
    if (this.session === session) {
      this.session = undefined;
      this.settle?.(error);
      this.settle = undefined;
    }
    if (reported) return;
    if (this.sessions) {
      if (error !== undefined) this.inbox.pushError(error);
    } else if (error !== undefined) {
      this.inbox.fail(error);
    } else {
      this.inbox.end(new IpcError('ERR_CLOSED', 'the peer ended the stream'));
    }
  }
}
