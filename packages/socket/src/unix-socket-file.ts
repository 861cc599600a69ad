import { chmod, link, lstat, mkdtemp, rmdir, stat, unlink } from 'node:fs/promises';
import { unlinkSync, statSync } from 'node:fs';
import { connect, type Server } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { IpcError, toIpcError } from '@ipc/core';
import { SUN_PATH_BYTES } from './address.js';
import { bindFolderPrefix, reclaimDeadBindFolders } from './bind-folders.js';

/** How long a probe connect to an existing socket file may take before the file counts as live. */
const PROBE_TIMEOUT_MS = 2000;

/**
 * Binds `server` to the socket file `path`, safely:
 *
 * 1. An existing file at `path` that is not a socket is left alone: `ERR_EXISTS`.
 * 2. An existing socket is probed with a connect: if someone answers, `ERR_ADDRESS_IN_USE` (a live
 *    server is never stolen); if the connect is refused (`ECONNREFUSED`), the file is stale (its
 *    server died) and is removed.
 * 3. The socket is bound inside a fresh private folder (mode 0700, made by `mkdtemp` next to
 *    `path`, named after this process: see `bind-folders.ts`; such folders left by processes killed
 *    while listening are removed first), `chmod`-ed to `mode`, then hard-linked to `path` with `link(2)` — which fails with
 *    `EEXIST` rather than replacing a file that appeared meanwhile — and the temporary name removed.
 *    So no other user can ever connect between `bind` and `chmod`, whatever the umask. Only when
 *    that temporary path would be too long for `sun_path` is the socket bound at `path` directly and
 *    `chmod`-ed right after (a window of a few microseconds, limited by the umask).
 *
 * Returns a function that removes the socket file on close (only if it is still ours: same inode).
 */
export async function bindUnixSocketFile(
  server: Server,
  path: string,
  mode: number,
  backlog: number | undefined,
): Promise<() => void> {
  await clearStaleSocket(path);
  await reclaimDeadBindFolders(dirname(path));
  const tempDir = await mkdtemp(join(dirname(path), bindFolderPrefix())).catch((err: unknown) => {
    throw toIpcError(err, 'ERR_INTERNAL', `cannot create a private folder next to ${path}`);
  });
  const tempPath = join(tempDir, 's');
  const direct = Buffer.byteLength(tempPath) >= SUN_PATH_BYTES;
  try {
    const bindPath = direct ? path : tempPath;
    await listenOn(server, bindPath, backlog);
    await chmod(bindPath, mode);
    if (!direct) {
      try {
        await link(tempPath, path);
      } catch (err) {
        await new Promise((resolve) => server.close(resolve));
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new IpcError('ERR_ADDRESS_IN_USE', `another server bound ${path} while this one started`, {
            cause: err,
          });
        }
        throw toIpcError(err, 'ERR_INTERNAL', `cannot link the socket to ${path}`);
      }
      await unlink(tempPath);
    }
  } finally {
    await unlink(tempPath).catch(() => undefined);
    await rmdir(tempDir).catch(() => undefined);
  }
  const { ino, dev } = await stat(path);
  return () => {
    try {
      const now = statSync(path);
      if (now.ino === ino && now.dev === dev) unlinkSync(path);
    } catch {
      // already gone
    }
  };
}

/** Removes `path` when it is a socket nobody listens on; throws when it is live or not a socket. */
async function clearStaleSocket(path: string): Promise<void> {
  let info;
  try {
    info = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw toIpcError(err, 'ERR_INTERNAL', `cannot inspect ${path}`);
  }
  if (!info.isSocket()) {
    throw new IpcError('ERR_EXISTS', `${path} exists and is not a socket; not touching it`);
  }
  const verdict = await probe(path);
  if (verdict === 'live') {
    throw new IpcError('ERR_ADDRESS_IN_USE', `a server is already listening on ${path}`);
  }
  await unlink(path).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw toIpcError(err, 'ERR_INTERNAL', `cannot remove the stale socket ${basename(path)}`);
    }
  });
}

/** Connects to the socket file: `stale` only when the kernel refuses (nobody bound to it). */
function probe(path: string): Promise<'live' | 'stale'> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (verdict: 'live' | 'stale'): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(verdict);
    };
    const timer = setTimeout(() => done('live'), PROBE_TIMEOUT_MS);
    socket.once('connect', () => done('live'));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done(err.code === 'ECONNREFUSED' || err.code === 'ENOENT' ? 'stale' : 'live'),
    );
  });
}

/** `server.listen(path)` as a promise; EADDRINUSE becomes `ERR_ADDRESS_IN_USE`. */
export function listenOn(server: Server, path: string, backlog: number | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(toIpcError(err, 'ERR_INTERNAL', `cannot listen on ${JSON.stringify(path)}`));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ path, backlog });
  });
}
