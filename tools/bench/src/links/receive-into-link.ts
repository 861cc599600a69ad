/**
 * The W3 receiving side of a byte-stream channel that has `recvInto` (like Python's
 * `Connection.recv_bytes_into`): every message lands in one buffer the receiver keeps, and the
 * harness checks each as a view of it before asking for the next (SPEC.md: "a view it may keep until
 * it is done with it"). A message bigger than the buffer is received whole instead.
 */
import type { Link } from '../adapter.js';

/** What this needs of a channel: the channels of @ipc/pipe, @ipc/fifo, @ipc/socket (raw codec) and ShmChannel. */
export interface BytesChannel {
  send(message: Uint8Array): Promise<void>;
  recv(): Promise<Uint8Array>;
  recvInto(buffer: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

/** W3's message size (SPEC.md): the buffer every message is received into. */
const W3_BUFFER_BYTES = 1 << 20;

/** A link whose `recv` is `recvInto` one kept buffer. */
export function receivingInto(channel: BytesChannel): Link {
  const buffer = Buffer.allocUnsafe(W3_BUFFER_BYTES);
  return {
    send: (m) => channel.send(m as Uint8Array),
    recv: () =>
      channel.recvInto(buffer).then(
        (n) => buffer.subarray(0, n),
        (err: unknown) =>
          (err as { code?: unknown }).code === 'ERR_BUFFER_TOO_SMALL' ? channel.recv() : Promise.reject(err),
      ),
    close: () => channel.close(),
  };
}
