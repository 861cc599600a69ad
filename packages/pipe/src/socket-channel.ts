import { Socket } from 'node:net';
import { streamChannel, type StreamChannel, type StreamChannelOptions } from '@ipc/kit';

/**
 * A channel on the socket or pipe at `fd`: core's `streamChannel` over a `net.Socket` on it (with the
 * default length-prefixed framing, reads land straight in the messages' own buffers).
 */
export function channelOnFd<Out, In>(fd: number, options: StreamChannelOptions<In>): StreamChannel<Out, In> {
  return streamChannel<Out, In>(new Socket({ fd, readable: true, writable: true }), options);
}
