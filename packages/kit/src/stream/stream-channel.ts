import {
  compileValidator,
  DuplexChannel,
  IpcError,
  resolveCodec,
  resolveFraming,
  type RecvOptions,
} from '@ipc/core';
import { Duplex, type Readable, type Writable } from 'node:stream';
import { StreamReceiver, type StreamReceiverOptions } from './stream-receiver.js';
import type { FrameSender } from './frame-sender.js';
import type { StreamChannelOptions } from './stream-channel-options.js';
import { StreamSender } from './stream-sender.js';

/**
 * A {@link Channel} over a pair of Node byte streams, or over one `Duplex` (a socket): a
 * {@link FrameSender} (a {@link StreamSender} from {@link streamChannel}, a transport's own write
 * path otherwise) and a {@link StreamReceiver}, plus `recvInto`. `close()` flushes and ends the
 * writable, then destroys the readable.
 */
export class StreamChannel<Out, In = Out> extends DuplexChannel<Out, In> {
  /**
   * @param sender - the sending half
   * @param receiver - the receiving half
   */
  constructor(
    override readonly sender: FrameSender<Out>,
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
