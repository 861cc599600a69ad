import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import { IpcError } from '@ipc/core';
import { streamChannel, type StreamChannel, type StreamChannelOptions } from '@ipc/kit';
import { checkChannelFd, DEFAULT_CHANNEL_FD } from './stdio-layout.js';
import { PIPE_CLOSE_MARKER_ENV, PIPE_FD_ENV } from './spawn-channel.js';

/** Options of {@link parentChannel}. */
export interface ParentChannelOptions<In = unknown> extends StreamChannelOptions<In> {
  /**
   * The inherited descriptor. Default: the `IPC_PIPE_FD` environment variable that
   * {@link spawnChannel} sets, else 3.
   */
  fd?: number | undefined;
}

/**
 * The child's end of the channel its parent made with {@link spawnChannel} or {@link forkChannel}
 * (or any parent that passed a socket or pipe as fd 3, such as Python's `subprocess` with
 * `pass_fds`). Closing the channel (or the parent closing its end) ends the pipe; an open channel
 * keeps the child's event loop alive, so close it when done. Under {@link forkChannel} (which sets
 * `IPC_PIPE_CLOSE_MARKER=1`) a parent that dies, even between messages, fails the channel with
 * `ERR_PEER_GONE`; a parent that closes ends it cleanly.
 *
 * @throws IpcError `ERR_NOT_FOUND` when the descriptor is not open, or is open but is not a socket or
 *   a pipe (in a plain `node child.mjs`, fd 3 is libuv's own epoll descriptor) — this process was not
 *   started with a channel; `ERR_INVALID_ARGUMENT` for a bad `fd` option
 *
 * @example
 * ```ts
 * // worker.mjs, started with forkChannel('./worker.mjs')
 * import { parentChannel } from '@ipc/pipe';
 * const channel = parentChannel();
 * for await (const n of channel) await channel.send(n * n);
 * await channel.close();
 * ```
 */
export function parentChannel<Out = unknown, In = Out>(
  options: ParentChannelOptions<In> = {},
): StreamChannel<Out, In> {
  const { fd: fdOption, ...channelOptions } = options;
  const fromEnv = process.env[PIPE_FD_ENV];
  const fd = checkChannelFd(
    fdOption ?? (fromEnv !== undefined && /^\d+$/.test(fromEnv) ? Number(fromEnv) : DEFAULT_CHANNEL_FD),
  );
  let kind: string;
  try {
    const stat = fstatSync(fd);
    kind = stat.isSocket() ? 'socket' : stat.isFIFO() ? 'pipe' : stat.isFile() ? 'file' : 'other';
  } catch (err) {
    throw new IpcError(
      'ERR_NOT_FOUND',
      `parentChannel: fd ${fd} is not open — this process was not started with a message channel ` +
        `(start it with spawnChannel or forkChannel from @ipc/pipe)`,
      { cause: err, errno: (err as NodeJS.ErrnoException).code, syscall: 'fstat' },
    );
  }
  if (kind !== 'socket' && kind !== 'pipe') {
    throw new IpcError(
      'ERR_NOT_FOUND',
      `parentChannel: fd ${fd} is a ${kind === 'file' ? 'regular file' : 'descriptor of another kind'}, ` +
        `not a socket or a pipe — this process was not started with a message channel on it`,
    );
  }
  // A net.Socket on the descriptor: with the length-prefixed framing, reads land in the messages' own buffers.
  return streamChannel<Out, In>(new Socket({ fd, readable: true, writable: true }), {
    expectCloseMarker: process.env[PIPE_CLOSE_MARKER_ENV] === '1',
    ...channelOptions,
  });
}
