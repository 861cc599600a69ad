import { Socket } from 'node:net';
import { IpcError, OPEN_MARKER_BYTES, resolveCodec, resolveFraming, throwIfAborted } from '@ipc/core';
import { streamSender, type FrameSender } from '@ipc/kit';
import { AtomicFrameSender } from './atomic-frame-sender.js';
import { checkPath } from './fifo-path.js';
import { FifoReceiver, type FifoReceiverOptions } from './fifo-receiver.js';
import { closeQuietly, openReadFd, openWriteFd } from './open-fifo-fd.js';
import { checkPipeSize, growPipe } from './pipe-size.js';

/** Options of {@link openFifo}. */
export interface OpenFifoOptions<T = unknown> extends FifoReceiverOptions<T> {
  /**
   * Cancels the wait for a reader when opening for writing (`ERR_ABORTED`). Opening for reading never
   * waits; an aborted signal still fails it.
   */
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait for a reader when opening for writing (`ERR_TIMEOUT`). Default: no limit. */
  timeout?: number | undefined;
  /**
   * Writing: this sender is the FIFO's only writer. `false` (default): safe with other writers —
   * every `write(2)` holds whole frames and at most `PIPE_BUF` (4096) bytes, which the kernel writes
   * atomically, and a bigger frame is refused with `ERR_FRAME_TOO_LARGE`. `true`: frames of any size,
   * and coalesced writes of up to 32 KiB (faster), which other writers could interleave with.
   */
  exclusive?: boolean | undefined;
  /**
   * Writing, length-prefixed framing: the sender announces itself — an open marker first, a close
   * marker on `close()` (12 bytes each, see `OPEN_MARKER_BYTES` in @ipc/core) — so that an @ipc
   * reader tells a writer that died, even between two messages (`ERR_PEER_GONE`), from one that
   * closed. Default `false`, so that any reader of Python's framing (`multiprocessing.connection`
   * over the FIFO's fd, or another language) sees only your messages: set `true` when the reader is
   * @ipc. Never with the `lines` framing (shell tools).
   */
  announce?: boolean | undefined;
}

/**
 * Opens a FIFO as a message {@link FifoReceiver} (`'r'`) or `Sender` (`'w'`: the kit's `FrameSender`).
 *
 * - `'r'` opens at once (`O_RDONLY | O_NONBLOCK`), writer or not, and reads through the event loop;
 *   `recv` waits for writers. See `persistent` for what the last writer closing does.
 * - `'w'` waits until a reader has the FIFO open (retrying `O_WRONLY | O_NONBLOCK`, which fails
 *   with `ENXIO` until then), bounded by `signal`/`timeout`. A reader that goes away later makes
 *   `send` fail with `ERR_PEER_GONE`. See `exclusive` for several writers.
 *
 * With `framing: 'lines'` and `codec: 'json'` a FIFO speaks newline-delimited JSON, for shell tools:
 * `echo '{"a":1}' > fifo` reaches the receiver, `cat fifo` prints what a sender sends.
 *
 * @throws IpcError `ERR_NOT_FOUND` when nothing is at `path`; `ERR_INVALID_ARGUMENT` when it is not a
 *   FIFO, or for bad options; `ERR_PERMISSION`; `ERR_TIMEOUT`/`ERR_ABORTED` while waiting for a reader
 */
export function openFifo<T = unknown>(
  path: string,
  mode: 'r',
  options?: OpenFifoOptions<T>,
): Promise<FifoReceiver<T>>;
export function openFifo<T = unknown>(
  path: string,
  mode: 'w',
  options?: OpenFifoOptions<T>,
): Promise<FrameSender<T>>;
export async function openFifo<T = unknown>(
  path: string,
  mode: 'r' | 'w',
  options: OpenFifoOptions<T> = {},
): Promise<FifoReceiver<T> | FrameSender<T>> {
  checkPath(path);
  throwIfAborted(options.signal);
  const codec = resolveCodec<T>(options.codec);
  const framing = resolveFraming(options.framing);
  if (mode === 'r') {
    framing.createDecoder({ maxFrameBytes: options.maxFrameBytes }); // checks the limit
    const fd = await openReadFd(path);
    try {
      return new FifoReceiver<T>(path, fd, options);
    } catch (err) {
      closeQuietly(fd);
      throw err;
    }
  }
  if (mode !== 'w') {
    throw new IpcError('ERR_INVALID_ARGUMENT', `mode must be 'r' or 'w', got ${JSON.stringify(mode)}`);
  }
  const pipeSize = checkPipeSize(options.pipeSize); // the receiver checks its own
  const fd = await openWriteFd(path, { signal: options.signal, timeout: options.timeout });
  growPipe(fd, pipeSize);
  const socket = new Socket({ fd, readable: false, writable: true });
  const announce = options.announce === true && framing.name === 'length-prefixed';
  if (options.exclusive === true) {
    if (announce) socket.write(Buffer.from(OPEN_MARKER_BYTES));
    return streamSender<T>(socket, { codec, framing, sendCloseMarker: announce });
  }
  return new AtomicFrameSender<T>(socket, codec, framing, announce);
}
