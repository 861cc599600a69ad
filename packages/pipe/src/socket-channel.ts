import { Socket } from 'node:net';
import {
  compileValidator,
  DEFAULT_MAX_FRAME_BYTES,
  lengthPrefixed,
  resolveCodec,
  resolveFraming,
  streamChannel,
  streamSender,
  type Channel,
  type Receiver,
  type RecvOptions,
  type Sender,
  type SendOptions,
  type StreamChannelOptions,
} from '@ipc/core';
import { OnreadReceiver } from './onread-receiver.js';

/** A {@link Channel} made of a sender and a receiver on one socket. */
export class SocketChannel<Out, In = Out> implements Channel<Out, In> {
  private closing: Promise<void> | undefined;

  /**
   * @param sender - the sending half
   * @param receiver - the receiving half
   */
  constructor(
    readonly sender: Sender<Out>,
    readonly receiver: Receiver<In>,
  ) {}

  /** {@inheritDoc Sender.send} */
  send(message: Out, options?: SendOptions): Promise<void> {
    return this.sender.send(message, options);
  }

  /** {@inheritDoc Receiver.recv} */
  recv(options?: RecvOptions): Promise<In> {
    return this.receiver.recv(options);
  }

  /** Flushes and ends the sending half, then closes the socket. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.sender.close().then(() => this.receiver.close());
    return this.closing;
  }

  /** Closes (see {@link SocketChannel.close}). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Iterates incoming messages. */
  [Symbol.asyncIterator](): AsyncIterator<In> {
    return this.receiver[Symbol.asyncIterator]();
  }
}

/**
 * A channel on the socket or pipe at `fd`. With the length-prefixed framing (the default) it reads
 * through an {@link OnreadReceiver} (reads land in the messages' own buffers); with another framing
 * it is core's `streamChannel`.
 */
export function channelOnFd<Out, In>(fd: number, options: StreamChannelOptions<In>): Channel<Out, In> {
  const framing = resolveFraming(options.framing);
  const codec = resolveCodec<In>(options.codec);
  if (framing !== lengthPrefixed) {
    return streamChannel<Out, In>(new Socket({ fd, readable: true, writable: true }), options);
  }
  framing.createDecoder({ maxFrameBytes: options.maxFrameBytes }); // checks the option
  const receiver = new OnreadReceiver<In>({
    codec,
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    validate: options.validate === undefined ? undefined : compileValidator(options.validate),
    highWaterMessages: options.highWaterMessages,
    highWaterBytes: options.highWaterBytes,
  });
  // `onread` is accepted by the constructor since Node 12 (the @types only list it for connect()).
  const socketOptions = { fd, readable: true, writable: true, onread: receiver.onread };
  const socket = new Socket(socketOptions);
  receiver.attach(socket);
  const sender = streamSender<Out>(socket, { codec: options.codec, framing });
  return new SocketChannel<Out, In>(sender, receiver);
}
