import type { Readable, Writable } from 'node:stream';
import { IpcError } from '@ipc/core';
import { streamChannel, type StreamChannel, type StreamChannelOptions } from '@ipc/kit';

/**
 * A channel over two existing streams — typically a child's stdout and stdin
 * (`channelFromStreams(child.stdout, child.stdin)`), or, in a child, `process.stdin` and
 * `process.stdout`. Use it when the other program can only talk on its standard streams; prefer
 * {@link spawnChannel} otherwise (stdout stays free for logs, and fd 3 is one socket for both ways).
 * It is the kit's `streamChannel(readable, writable, options)`, with a clear error for a missing stream
 * (a `child.stdout` that is `null` because `stdio` was not `'pipe'`). `close()` ends the writable
 * and destroys the readable.
 *
 * @throws IpcError `ERR_INVALID_ARGUMENT` when a stream is missing or is not a stream
 */
export function channelFromStreams<Out = unknown, In = Out>(
  readable: Readable | null | undefined,
  writable: Writable | null | undefined,
  options: StreamChannelOptions<In> = {},
): StreamChannel<Out, In> {
  if (readable === null || readable === undefined || typeof readable.on !== 'function') {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      'channelFromStreams: the readable stream is missing (spawn the child with stdio "pipe")',
    );
  }
  if (writable === null || writable === undefined || typeof writable.write !== 'function') {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      'channelFromStreams: the writable stream is missing (spawn the child with stdio "pipe")',
    );
  }
  return streamChannel<Out, In>(readable, writable, options);
}
