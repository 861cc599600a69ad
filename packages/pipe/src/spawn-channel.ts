import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { IpcError } from '@ipc/core';
import {
  splitStreamChannelOptions,
  streamChannel,
  type StreamChannel,
  type StreamChannelOptions,
} from '@ipc/kit';
import { watchExit, type ChildExit } from './child-exit.js';
import { exitVerdict } from './exit-verdict.js';
import { checkChannelFd, stdioWithChannel, type StdioOption } from './stdio-layout.js';

/** The environment variable that tells the child which descriptor is the channel (read by {@link parentChannel}). */
export const PIPE_FD_ENV = 'IPC_PIPE_FD';

/**
 * Set to `1` in the child's environment when the parent ends a graceful close with the close marker
 * (`sendCloseMarker`, which {@link forkChannel} turns on): {@link parentChannel} then reports an end
 * without it (the parent died) as `ERR_PEER_GONE`.
 */
export const PIPE_CLOSE_MARKER_ENV = 'IPC_PIPE_CLOSE_MARKER';

/**
 * Options of {@link spawnChannel}: Node's `spawn` options (`cwd`, `env`, `signal`, `killSignal`,
 * `detached`, `uid`, `gid`, `timeout`…, named and behaving as in `child_process.spawn`) plus the
 * channel's own (`codec`, `framing`, `maxFrameBytes`, `validate`, high-water marks) and `fd`.
 *
 * @see https://nodejs.org/api/child_process.html#child_processspawncommand-args-options
 */
export interface SpawnChannelOptions<In = unknown>
  extends Omit<SpawnOptions, 'stdio'>, StreamChannelOptions<In> {
  /**
   * The descriptor number of the channel in the child (an integer ≥ 3). Default 3 — what Python's
   * `multiprocessing.connection.Connection(3)` and {@link parentChannel} open. The child also gets
   * it in the environment variable `IPC_PIPE_FD`.
   */
  fd?: number | undefined;
  /**
   * Node's `stdio` for the child's other descriptors (stdin, stdout, stderr, more): a string for
   * 0-2 or an array. Default `'inherit'` for 0-2, like `child_process.fork`. The entry at `fd` must be
   * left out: it is the channel.
   */
  stdio?: StdioOption | undefined;
}

/** A started child with a message channel to it. */
export interface ChildChannel<Out, In = Out> {
  /** The child process (Node's `ChildProcess`: `pid`, `kill()`, `stdout`…). */
  readonly child: ChildProcess;
  /**
   * The channel to the child. A child that closes its end, or exits with code 0, ends it (the
   * iteration ends, `recv` rejects with `ERR_CLOSED`); a child killed by a signal or exiting with
   * another code fails it with `ERR_PEER_GONE`, between messages too (told by its exit status);
   * `send` then fails with `ERR_PEER_GONE`. A command that cannot be
   * started fails it with the start error (`ERR_NOT_FOUND`…). Closing it ends the child's side of
   * the pipe (the child reads end-of-file) — it does not kill the child.
   */
  readonly channel: StreamChannel<Out, In>;
  /**
   * Resolves with the exit code or signal once the child has exited; rejects only when the command
   * could not be started (the rejection is handled for you when you ignore the promise).
   */
  readonly exited: Promise<ChildExit>;
}

/**
 * Starts `command` with a two-way message channel on an inherited descriptor (default fd 3, a Unix
 * socketpair). stdin, stdout and stderr stay the program's own. Like Python's `Pipe()` + `Process`,
 * for any program: a Node child opens its end with {@link parentChannel}, a Python child with
 * `multiprocessing.connection.Connection(3)` (`send_bytes`/`recv_bytes`, codec `'json'`).
 *
 * @param command - the program to run (looked up in `PATH`, as by `child_process.spawn`), or a
 *   `file:` URL of it (`new URL('./worker.py', import.meta.url)` for a file next to your module)
 * @param args - its arguments
 * @param options - spawn options and channel options
 * @throws IpcError `ERR_INVALID_ARGUMENT` for a bad `fd`, `stdio`, codec or framing
 *
 * @example
 * ```ts
 * const { channel, exited } = spawnChannel<Job, Result>('python3', ['worker.py'], { codec: 'json' });
 * await channel.send({ id: 1 });
 * console.log(await channel.recv({ timeout: 5000 }));
 * await channel.close();
 * console.log(await exited); // { code: 0, signal: null }
 * ```
 */
export function spawnChannel<Out = unknown, In = Out>(
  command: string | URL,
  args: readonly string[] = [],
  options: SpawnChannelOptions<In> = {},
): ChildChannel<Out, In> {
  const file = commandPath(command, 'command');
  const { fd: fdOption, stdio, ...others } = options;
  const fd = checkChannelFd(fdOption);
  // The parent judges the end of the child's side by the child's exit (endCheck), not by markers.
  const split = splitStreamChannelOptions<In, typeof others>(others);
  const { expectCloseMarker: _expect, endCheck: _check, ...channelOptions } = split.channel;
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), [PIPE_FD_ENV]: String(fd) };
  delete env[PIPE_CLOSE_MARKER_ENV];
  if (channelOptions.sendCloseMarker === true) env[PIPE_CLOSE_MARKER_ENV] = '1';
  const spawnOptions: SpawnOptions = { ...split.rest, stdio: stdioWithChannel(stdio, fd), env };

  const child = spawn(file, [...args], spawnOptions);
  const socket = child.stdio[fd] as Socket | null | undefined;
  if (socket === null || socket === undefined) {
    child.kill('SIGKILL');
    throw new IpcError('ERR_INTERNAL', `the child was started without a pipe on fd ${fd}`);
  }
  const exited = watchExit(child, (err) => socket.destroy(err));
  const channel = streamChannel<Out, In>(socket, { ...channelOptions, endCheck: exitVerdict(child, exited) });
  return { child, channel, exited };
}

/**
 * The file system path of a command, module or folder given as a path or a `file:` URL. Throws
 * `ERR_INVALID_ARGUMENT` for an empty string, another type or another URL scheme.
 */
export function commandPath(value: string | URL, name: string): string {
  if (value instanceof URL) {
    if (value.protocol !== 'file:') {
      throw new IpcError('ERR_INVALID_ARGUMENT', `${name} must be a path or a file: URL, got ${value.href}`);
    }
    return fileURLToPath(value);
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw new IpcError('ERR_INVALID_ARGUMENT', `${name} must be a non-empty string or a file: URL`);
  }
  return value;
}
