import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { LengthPrefixedDecoder, type FrameDecoder } from '@ipc/core';

/** Where a read should land, and what to do with the bytes it read (Node's `onread` pair). */
export interface DirectReads {
  /** The buffer the next `read(2)` fills. */
  buffer(): Uint8Array;
  /** Called with the byte count after each read into the last buffer. */
  callback(n: number): void;
}

interface StreamHandle {
  useUserBuffer?: (buffer: Uint8Array) => void;
}

type SocketInternals = Record<symbol, unknown> & { _handle?: StreamHandle | null };

/**
 * Switches an existing `net.Socket` to Node's `onread` mode, where `reads` chooses the buffer of
 * every read (what `net.connect({ onread })` does for sockets it creates, for any socket: accepted
 * ones, child stdio, sockets on a file descriptor). Bytes the socket already buffered must be taken
 * out by the caller first (`readable.read()`); this refuses when some are left.
 *
 * It sets the three fields that Node's own `onread` option sets (found by their symbol names) and
 * hands the handle its first buffer, as Node does. Returns false, changing nothing, where that is not
 * possible: not a plain `net.Socket` (TLS decrypts in JavaScript), no open handle, an ended stream,
 * or a Node whose internals differ; the caller then reads the usual way, through `'data'`.
 */
export function useDirectReads(readable: Readable, reads: DirectReads): boolean {
  if (!(readable instanceof Socket) || readable instanceof TLSSocket) return false;
  const socket = readable as unknown as SocketInternals;
  const handle = socket._handle;
  if (
    handle === null ||
    handle === undefined ||
    typeof handle.useUserBuffer !== 'function' ||
    readable.destroyed ||
    readable.readableEnded ||
    readable.readableLength > 0
  ) {
    return false;
  }
  const symbols = Object.getOwnPropertySymbols(socket);
  const find = (name: string): symbol | undefined => symbols.find((s) => s.description === name);
  const kBuffer = find('kBuffer');
  const kBufferCb = find('kBufferCb');
  const kBufferGen = find('kBufferGen');
  if (kBuffer === undefined || kBufferCb === undefined || kBufferGen === undefined) return false;
  if (socket[kBuffer] !== null || socket[kBufferGen] !== null || socket[kBufferCb] !== null) return false;
  const first = reads.buffer();
  socket[kBufferGen] = () => reads.buffer();
  socket[kBufferCb] = (n: number) => {
    reads.callback(n);
    return true;
  };
  socket[kBuffer] = first;
  handle.useUserBuffer(first);
  return true;
}

/**
 * Feeds everything `readable` yields to `decoder`: through `'data'`, and for a length-prefixed decoder
 * on a plain `net.Socket` straight into the decoder's buffers ({@link useDirectReads}), after the bytes
 * the stream already holds (left by a handshake, say). `take` runs each decoder step (which may throw)
 * and delivers the frames it returns.
 */
export function feedDecoder(
  readable: Readable,
  decoder: FrameDecoder,
  take: (step: () => Uint8Array[]) => void,
): void {
  readable.on('data', (chunk: Uint8Array) => take(() => decoder.push(chunk)));
  if (!(decoder instanceof LengthPrefixedDecoder)) return;
  if (readable.readableLength > 0 && !readable.readableEnded) readable.read(); // emits 'data'
  useDirectReads(readable, {
    buffer: () => {
      const buffer = decoder.readBuffer();
      // An allocation that failed there (out of memory) fails the stream now, not at its next read.
      if (decoder.failed !== undefined) process.nextTick(() => take(() => decoder.pushRead(0)));
      return buffer;
    },
    callback: (n) => take(() => decoder.pushRead(n)),
  });
}
