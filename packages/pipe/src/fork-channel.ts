import { IpcError } from '@ipc/core';
import { spawnChannel, type ChildChannel, type SpawnChannelOptions } from './spawn-channel.js';

/** Options of {@link forkChannel}: those of {@link spawnChannel} plus Node's `execPath` and `execArgv`. */
export interface ForkChannelOptions<In = unknown> extends SpawnChannelOptions<In> {
  /** The Node executable. Default `process.execPath`. */
  execPath?: string | undefined;
  /** Options for that Node (`--max-old-space-size=…`). Default `process.execArgv`, like `child_process.fork`. */
  execArgv?: readonly string[] | undefined;
}

/**
 * Runs the Node module `modulePath` in a child process with a message channel on fd 3 (see
 * {@link spawnChannel}); the child opens it with {@link parentChannel}. Unlike `child_process.fork`
 * there is no Node IPC channel: messages go through this package's framing and codec (msgpack by
 * default), which is much faster for many small messages and for big binary ones. The parent's
 * `close()` ends with the close marker, so the child's `parentChannel` tells a parent that died
 * (`ERR_PEER_GONE`) from one that closed (`sendCloseMarker: false` turns that off).
 *
 * @param modulePath - the module to run (`.js`/`.mjs`/`.cjs`)
 * @param args - arguments for the module (`process.argv.slice(2)` in the child)
 * @param options - spawn, channel and Node options
 *
 * @example
 * ```ts
 * const { channel, exited } = forkChannel<number, number>('./square.mjs');
 * await channel.send(7);
 * console.log(await channel.recv()); // 49
 * await channel.close();
 * await exited;
 * ```
 */
export function forkChannel<Out = unknown, In = Out>(
  modulePath: string,
  args: readonly string[] = [],
  options: ForkChannelOptions<In> = {},
): ChildChannel<Out, In> {
  if (typeof modulePath !== 'string' || modulePath.length === 0) {
    throw new IpcError('ERR_INVALID_ARGUMENT', 'modulePath must be a non-empty string');
  }
  const { execPath = process.execPath, execArgv = process.execArgv, ...rest } = options;
  // The child is @ipc (parentChannel): a graceful close says so on the wire, a dead parent does not.
  return spawnChannel<Out, In>(execPath, [...execArgv, modulePath, ...args], {
    sendCloseMarker: true,
    ...rest,
  });
}
