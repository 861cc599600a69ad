import { access, chmod, constants, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { IpcError, throwIfAborted, toIpcError } from '@ipc/core';
import { checkPath, describeKind, lstatOrNothing } from './fifo-path.js';
import { makeFifoNode } from './make-fifo-node.js';

/** Options of {@link createFifo}. */
export interface CreateFifoOptions {
  /** Permission bits of the new FIFO (not filtered by the umask). Default `0o600`: owner only. */
  mode?: number | undefined;
  /**
   * When a FIFO is already at `path` (for example one left by a process that died): `true` reuses it
   * as it is (its mode is not changed), `false` fails with `ERR_EXISTS`. Default `false`. Anything
   * else at `path` (a regular file…) is always `ERR_EXISTS`.
   */
  existOk?: boolean | undefined;
  /** Cancels the creation (`ERR_ABORTED`). */
  signal?: AbortSignal | undefined;
}

/** A FIFO on the file system, made by {@link createFifo}; `remove()` or `await using` deletes it. */
export interface Fifo extends AsyncDisposable {
  /** Where it is. */
  readonly path: string;
  /** Deletes the FIFO (see {@link removeFifo}); idempotent. */
  remove(): Promise<void>;
}

/**
 * Creates a named pipe at `path`, owner-only by default. Node has no `mkfifo(3)`: this runs the
 * `mkfifo` program once (falling back to `python3 -c 'os.mkfifo(...)'`), then checks that a FIFO
 * with the requested mode is really there. Messages never start a process.
 *
 * @throws IpcError `ERR_EXISTS` when something is at `path` (a FIFO, unless `existOk`); `ERR_NOT_FOUND`
 *   when its folder does not exist; `ERR_PERMISSION` when the folder is not writable;
 *   `ERR_INVALID_ARGUMENT` for a bad path or mode; `ERR_UNSUPPORTED` when no way to make a FIFO exists
 *
 * @example
 * ```ts
 * await using fifo = await createFifo('/tmp/jobs.fifo');
 * const rx = await openFifo<Job>(fifo.path, 'r', { framing: 'lines', codec: 'json' });
 * ```
 */
export async function createFifo(path: string, options: CreateFifoOptions = {}): Promise<Fifo> {
  checkPath(path);
  const { mode = 0o600, existOk = false, signal } = options;
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o777) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `mode must be permission bits from 0 to 0o777, got ${String(mode)}`,
    );
  }
  throwIfAborted(signal);
  const existing = await checkExisting(path, existOk);
  if (existing) return fifoHandle(path);

  const folder = dirname(path);
  try {
    await access(folder, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw toIpcError(err, 'ERR_PERMISSION', `cannot create a FIFO in ${folder}`);
  }
  let made: { made: boolean; detail: string };
  try {
    made = await makeFifoNode(path, mode, signal);
  } catch (err) {
    if (signal?.aborted === true) throwIfAborted(signal);
    throw err;
  }
  throwIfAborted(signal);
  if (!made.made) {
    // Lost a race, or the file system refused: say which.
    if (await checkExisting(path, existOk)) return fifoHandle(path);
    throw new IpcError('ERR_INTERNAL', `mkfifo ${path} failed: ${made.detail}`);
  }
  const created = await lstatOrNothing(path);
  if (created === undefined || !created.isFIFO()) {
    throw new IpcError('ERR_INTERNAL', `mkfifo reported success but no FIFO is at ${path}`);
  }
  // The python3 fallback applies the umask: set the exact bits (never wider than asked, before or after).
  if ((created.mode & 0o777) !== mode) await chmod(path, mode);
  return fifoHandle(path);
}

/** `true` when a reusable FIFO is there; throws `ERR_EXISTS` for anything else that is there. */
async function checkExisting(path: string, existOk: boolean): Promise<boolean> {
  const found = await lstatOrNothing(path);
  if (found === undefined) return false;
  if (!found.isFIFO()) {
    throw new IpcError('ERR_EXISTS', `${path} already exists and is ${describeKind(found)}, not a FIFO`);
  }
  if (!existOk)
    throw new IpcError('ERR_EXISTS', `a FIFO already exists at ${path} (pass existOk to reuse it)`);
  return true;
}

function fifoHandle(path: string): Fifo {
  let removing: Promise<void> | undefined;
  const remove = (): Promise<void> => (removing ??= removeFifo(path));
  return { path, remove, [Symbol.asyncDispose]: remove };
}

/**
 * Deletes the FIFO at `path`. Nothing there is fine (idempotent); anything that is not a FIFO is left
 * alone and refused. Readers and writers that have it open keep working until they close.
 *
 * @throws IpcError `ERR_INVALID_ARGUMENT` when `path` is not a FIFO; `ERR_PERMISSION` when it may not be deleted
 */
export async function removeFifo(path: string): Promise<void> {
  checkPath(path);
  const found = await lstatOrNothing(path);
  if (found === undefined) return;
  if (!found.isFIFO()) {
    throw new IpcError(
      'ERR_INVALID_ARGUMENT',
      `refusing to remove ${path}: it is ${describeKind(found)}, not a FIFO`,
    );
  }
  try {
    await unlink(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw toIpcError(err, 'ERR_INTERNAL', `cannot remove ${path}`);
  }
}

/** Whether `path` is a FIFO (following symbolic links). */
export async function isFifo(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFIFO();
  } catch {
    return false;
  }
}
