import { Socket } from 'node:net';
import {
  compileValidator,
  DEFAULT_MAX_FRAME_BYTES,
  lengthPrefixed,
  resolveCodec,
  resolveFraming,
  streamChannel,
  streamSender,
  DuplexChannel,
  type Channel,
  type StreamChannelOptions,
} from '@ipc/core';
import { OnreadReceiver } from './onread-receiver.js';

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
  return new DuplexChannel<Out, In>(sender, receiver);
}
