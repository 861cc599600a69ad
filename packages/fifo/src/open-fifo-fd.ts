import { close, constants, fstat, open } from 'node:fs';
import { IpcError, toIpcError, waitWith, type WaitOptions } from '@ipc/core';

const { O_RDONLY, O_WRONLY, O_NONBLOCK } = constants;

/** First and largest pause between attempts to open a FIFO for writing while it has no reader (ms). */
const RETRY_FIRST_MS = 2;
const RETRY_MAX_MS = 100;

function openFd(path: string, flags: number): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, (err, fd) => (err ? reject(err) : resolve(fd))));
}

function closeQuietly(fd: number): void {
  close(fd, () => {});
}

/** Closes `fd` unless it is a FIFO; resolves when it is one. */
function checkIsFifo(fd: number, path: string): Promise<void> {
  return new Promise((resolve, reject) =>
    fstat(fd, (err, stat) => {
      if (err) {
        closeQuietly(fd);
        reject(toIpcError(err, 'ERR_INTERNAL', `cannot inspect ${path}`));
      } else if (!stat.isFIFO()) {
        closeQuietly(fd);
        reject(new IpcError('ERR_INVALID_ARGUMENT', `${path} is not a FIFO (make one with createFifo)`));
      } else {
        resolve();
      }
    }),
  );
}

/**
 * Opens the FIFO for reading with `O_RDONLY | O_NONBLOCK`: returns at once, writer or not (a blocking
 * open would hold one of libuv's four pool threads until a writer came).
 */
export async function openReadFd(path: string): Promise<number> {
  let fd: number;
  try {
    fd = await openFd(path, O_RDONLY | O_NONBLOCK);
  } catch (err) {
    throw toIpcError(err, 'ERR_INTERNAL', `cannot open ${path} for reading`);
  }
  await checkIsFifo(fd, path);
  return fd;
}

/**
 * Opens the FIFO for writing with `O_WRONLY | O_NONBLOCK`. While no process has it open for reading
 * the kernel answers `ENXIO`; this then retries with a growing pause (2 ms up to 100 ms) until a
 * reader appears, `signal` aborts (`ERR_ABORTED`) or `timeout` ms pass (`ERR_TIMEOUT`). No pool
 * thread is held while waiting.
 */
export function openWriteFd(path: string, options: WaitOptions): Promise<number> {
  return waitWith<number>(options, (resolve, reject) => {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let pause = RETRY_FIRST_MS;
    const attempt = (): void => {
      openFd(path, O_WRONLY | O_NONBLOCK).then(
        (fd) => {
          if (stopped) return closeQuietly(fd);
          checkIsFifo(fd, path).then(() => {
            if (stopped) closeQuietly(fd);
            else resolve(fd);
          }, reject);
        },
        (err: NodeJS.ErrnoException) => {
          if (stopped) return;
          if (err.code !== 'ENXIO') {
            reject(toIpcError(err, 'ERR_INTERNAL', `cannot open ${path} for writing`));
            return;
          }
          timer = setTimeout(attempt, pause);
          pause = Math.min(RETRY_MAX_MS, pause * 2);
        },
      );
    };
    attempt();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  });
}

export { closeQuietly };
