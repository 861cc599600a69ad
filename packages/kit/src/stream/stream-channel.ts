import {
  compileValidator,
  DuplexChannel,
  IpcError,
  resolveCodec,
  resolveFraming,
  type CodecOption,
  type FramingOption,
  type MessageValidator,
  type RecvOptions,
} from '@ipc/core';
import { Duplex, type Readable, type Writable } from 'node:stream';
import { StreamReceiver, type StreamReceiverOptions } from './stream-receiver.js';
import { StreamSender } from './stream-sender.js';

/** Options of {@link streamChannel}, {@link streamSender} and {@link streamReceiver}. */
export interface StreamChannelOptions<In = unknown> {
  /** The codec, or a built-in codec's name. Default `'msgpack'`. */
  codec?: CodecOption<any> | undefined;
  /** `'length-prefixed'` (default; Python `multiprocessing.connection` compatible) or `'lines'`. */
  framing?: FramingOption | undefined;
  /** The largest incoming frame in bytes; a bigger one fails the channel with `ERR_FRAME_TOO_LARGE`. Default 64 MiB. */
  maxFrameBytes?: number | undefined;
  /** Checks each incoming message; see {@link MessageValidator}. */
  validate?: MessageValidator<In> | undefined;
  /** Decoded messages buffered before reading pauses (default 1024). */
  highWaterMessages?: number | undefined;
  /** Decoded bytes buffered before reading pauses (default 16 MiB). */
  highWaterBytes?: number | undefined;
  /**
   * @ipc-to-@ipc only: `close()` ends the stream with the close marker, so that the receiver can
   * tell it from a crash (see `CLOSE_MARKER_BYTES`). Never set it towards a peer that is not @ipc
   * (Python would receive an empty message); the transports set it where both ends are known to be
   * @ipc. Length-prefixed framing only. Default false.
   */
  sendCloseMarker?: boolean | undefined;
  /** See `StreamReceiverOptions.expectCloseMarker` (length-prefixed framing only). Default false. */
  expectCloseMarker?: boolean | undefined;
  /** See `StreamReceiverOptions.endCheck`. */
  endCheck?: (() => Promise<IpcError | undefined>) | undefined;
}

/**
 * A {@link Channel} over a pair of Node byte streams, or over one `Duplex` (a socket).
 * `close()` flushes and ends the writable, then destroys the readable.
 */
export class StreamChannel<Out, In = Out> extends DuplexChannel<Out, In> {
  /**
   * @param sender - the sending half
   * @param receiver - the receiving half
   */
  constructor(
    override readonly sender: StreamSender<Out>,
    override readonly receiver: StreamReceiver<In>,
  ) {
    super(sender, receiver);
  }

  /** {@inheritDoc StreamReceiver.recvInto} */
  recvInto(buffer: Uint8Array, offset?: number, options?: RecvOptions): Promise<number> {
    return this.receiver.recvInto(buffer, offset, options);
  }
}

/**
 * Makes a {@link Channel} of any Node byte stream pair, or of one `Duplex` such as a `net.Socket`:
 * each message is encoded with `codec` and framed with `framing`. Small messages are coalesced into
 * one write per tick; `send` waits while the writable is above its `highWaterMark`.
 *
 * @example
 * ```ts
 * const socket = net.connect('/run/app.sock');
 * await using ch = streamChannel<Job, Result>(socket, { codec: 'json' });
 * await ch.send({ id: 1 });
 * const result = await ch.recv({ timeout: 1000 });
 * ```
 */
export function streamChannel<Out = unknown, In = Out>(
  duplex: Duplex,
  options?: StreamChannelOptions<In>,
): StreamChannel<Out, In>;
export function streamChannel<Out = unknown, In = Out>(
  readable: Readable,
  writable: Writable,
  options?: StreamChannelOptions<In>,
): StreamChannel<Out, In>;
export function streamChannel<Out = unknown, In = Out>(
  first: Readable | Duplex,
  second?: Writable | StreamChannelOptions<In>,
  third?: StreamChannelOptions<In>,
): StreamChannel<Out, In> {
  const isWritable = (s: unknown): s is Writable =>
    typeof s === 'object' && s !== null && typeof (s as Writable).write === 'function';
  let writable: Writable;
  let options: StreamChannelOptions<In>;
  if (isWritable(second)) {
    writable = second;
    options = third ?? {};
  } else {
    if (!(first instanceof Duplex) && !isWritable(first)) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        'streamChannel needs a Duplex, or a Readable and a Writable',
      );
    }
    writable = first;
    options = second ?? {};
  }
  return new StreamChannel<Out, In>(streamSender<Out>(writable, options), streamReceiver<In>(first, options));
}

/** The sending half alone: a {@link Sender} on a `Writable` (a FIFO opened for writing, a child's stdin). */
export function streamSender<T = unknown>(
  writable: Writable,
  options: StreamChannelOptions = {},
): StreamSender<T> {
  if (!isStream(writable, 'write'))
    throw new IpcError('ERR_INVALID_ARGUMENT', 'streamSender needs a Writable');
  const framing = resolveFraming(options.framing);
  const marker = options.sendCloseMarker === true && framing.name === 'length-prefixed';
  return new StreamSender<T>(writable, resolveCodec<T>(options.codec), framing, marker);
}

/**
 * The receiving half alone: a {@link Receiver} on a `Readable`, or, with `readable` undefined, one that
 * waits for {@link StreamReceiver.attach} (with `sessions: true`, for a sequence of readables).
 */
export function streamReceiver<T = unknown>(
  readable: Readable | undefined,
  options: StreamChannelOptions<T> & Pick<StreamReceiverOptions<T>, 'sessions'> = {},
): StreamReceiver<T> {
  if (readable !== undefined && !isStream(readable, 'on'))
    throw new IpcError('ERR_INVALID_ARGUMENT', 'streamReceiver needs a Readable');
  const framing = resolveFraming(options.framing);
  const marker = options.expectCloseMarker === true && framing.name === 'length-prefixed';
  const decoderOptions = { maxFrameBytes: options.maxFrameBytes, closeMarker: marker };
  return new StreamReceiver<T>(
    readable,
    resolveCodec<T>(options.codec),
    () => framing.createDecoder(decoderOptions),
    {
      validate: options.validate === undefined ? undefined : compileValidator(options.validate),
      highWaterMessages: options.highWaterMessages,
      highWaterBytes: options.highWaterBytes,
      expectCloseMarker: marker,
      endCheck: options.endCheck,
      sessions: options.sessions,
    },
  );
}

function isStream(value: unknown, method: 'write' | 'on'): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>)[method] === 'function'
  );
}
