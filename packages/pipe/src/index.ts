/**
 * Two-way message pipes between a parent and the child it spawns — Python's `Pipe()` + `Process`
 * for any program. The parent starts the child with an extra inherited descriptor (fd 3, a Unix
 * socketpair) that carries length-prefixed messages (msgpack by default, JSON for other languages);
 * stdin, stdout and stderr stay the program's own. A Python child needs only its standard library:
 * `multiprocessing.connection.Connection(3)`.
 *
 * @example
 * ```ts
 * import { forkChannel } from '@ipc/pipe';
 *
 * // square.mjs: for await (const n of channel = parentChannel()) await channel.send(n * n);
 * const { channel, exited } = forkChannel<number, number>('./square.mjs');
 * await channel.send(7);
 * console.log(await channel.recv({ timeout: 5000 })); // 49
 * await channel.close();
 * console.log(await exited); // { code: 0, signal: null }
 * ```
 *
 * @packageDocumentation
 */
export {
  spawnChannel,
  PIPE_CLOSE_MARKER_ENV,
  PIPE_FD_ENV,
  type ChildChannel,
  type SpawnChannelOptions,
} from './spawn-channel.js';
export { forkChannel, type ForkChannelOptions } from './fork-channel.js';
export { parentChannel, type ParentChannelOptions } from './parent-channel.js';
export { channelFromStreams } from './channel-from-streams.js';
export type { ChildExit } from './child-exit.js';
export { DEFAULT_CHANNEL_FD, type StdioEntry, type StdioOption } from './stdio-layout.js';
export { streamChannel, type StreamChannel, type StreamChannelOptions } from '@ipc/kit';
