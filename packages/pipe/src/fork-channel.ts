import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { IpcError } from '@ipc/core';
import { commandPath, spawnChannel, type ChildChannel, type SpawnChannelOptions } from './spawn-channel.js';

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
 * @param modulePath - the module to run (`.js`/`.mjs`/`.cjs`): a `file:` URL, best
 *   `new URL('./worker.mjs', import.meta.url)` (found from any working directory), or a path
 *   (a relative one is resolved against `options.cwd`, default the working directory, like
 *   `child_process.fork`)
 * @param args - arguments for the module (`process.argv.slice(2)` in the child)
 * @param options - spawn, channel and Node options
 * @throws IpcError `ERR_NOT_FOUND` when the module file does not exist, `ERR_INVALID_ARGUMENT`
 *   for a URL that is not a `file:` URL
 *
 * @example
 * ```ts
 * const { channel, exited } = forkChannel<number, number>(new URL('./square.mjs', import.meta.url));
 * await channel.send(7);
 * console.log(await channel.recv()); // 49
 * await channel.close();
 * await exited;
 * ```
 */
export function forkChannel<Out = unknown, In = Out>(
  modulePath: string | URL,
  args: readonly string[] = [],
  options: ForkChannelOptions<In> = {},
): ChildChannel<Out, In> {
  const path = commandPath(modulePath, 'modulePath');
  const cwd = options.cwd === undefined ? process.cwd() : commandPath(options.cwd, 'cwd');
  if (!existsSync(resolve(cwd, path))) {
    throw new IpcError(
      'ERR_NOT_FOUND',
      `cannot find the module ${resolve(cwd, path)}` +
        (modulePath instanceof URL
          ? ''
          : ` (a relative path is resolved against the working directory ${cwd}; ` +
            "new URL('./worker.mjs', import.meta.url) finds a file next to your module)"),
    );
  }
  const { execPath = process.execPath, execArgv = process.execArgv, ...rest } = options;
  // The child is @ipc (parentChannel): a graceful close says so on the wire, a dead parent does not.
  return spawnChannel<Out, In>(execPath, [...execArgv, path, ...args], {
    sendCloseMarker: true,
    ...rest,
  });
}
