import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { compileValidator, resolveCodec, resolveFraming, toIpcError } from '@ipc/core';
import { StreamReceiver, type StreamChannelOptions } from '@ipc/kit';
import { checkPipeSize, growPipe } from './pipe-size.js';

/** Options of a FIFO {@link FifoReceiver}. */
export interface FifoReceiverOptions<T> extends StreamChannelOptions<T> {
  /**
   * What happens when the last writer closes the FIFO. `false` (default): the receiver ends, like
   * `cat fifo` (the iteration ends, `recv` rejects with `ERR_CLOSED`). `true`: it keeps waiting for
   * the next writer, like a daemon's control FIFO; only `close()` ends it.
   */
  persistent?: boolean | undefined;
  /**
   * Bytes of kernel buffer to give the FIFO (Linux `F_SETPIPE_SZ`; never shrunk), by a reader and by
   * `openFifo`'s writers. Default 1 MiB, or `/proc/sys/fs/pipe-max-size` when lower: big messages then
   * cross in a few wake-ups instead of one per 64 KiB (the kernel's default). `0` keeps the kernel's
   * size. Best effort: without the native addon the FIFO keeps its size.
   */
  pipeSize?: number | undefined;
}

/**
 * Receives messages from a FIFO, reading through the event loop (the descriptor is non-blocking and
 * watched by epoll as a libuv pipe handle), so no pool thread waits for writers. Each "session" of
 * writers (from the first writer opening to the last one closing) is one readable attached to the
 * kit's `StreamReceiver` and decoded on its own: a session that stops in the middle of a frame gives
 * `ERR_PEER_GONE` — the end of a non-persistent receiver, a single failed `recv` of a persistent one,
 * which then goes on with the next writer. So does a session in which an @ipc writer that announced
 * itself (see `announce` in `openFifo`) went away without closing — it died, even between two
 * messages; writers that do not announce themselves (a shell's `echo … > fifo`) end their session
 * cleanly whenever they stop.
 */
export class FifoReceiver<T> extends StreamReceiver<T> {
  private readonly pipeSize: number;
  private readonly persistent: boolean;
  private keeper: number | undefined;
  private shutting = false;

  /**
   * @param path - the FIFO (reopened by path between writer sessions when persistent)
   * @param fd - a descriptor already open on it with `O_RDONLY | O_NONBLOCK`
   * @param options - codec, framing, limits, persistence
   */
  constructor(
    readonly path: string,
    fd: number,
    options: FifoReceiverOptions<T> = {},
  ) {
    const framing = resolveFraming(options.framing);
    // Writers' open and close markers (see `announce`) are recognised, never delivered.
    const decoderOptions = { maxFrameBytes: options.maxFrameBytes, closeMarker: true };
    super(undefined, resolveCodec<T>(options.codec), () => framing.createDecoder(decoderOptions), {
      validate: options.validate === undefined ? undefined : compileValidator(options.validate),
      highWaterMessages: options.highWaterMessages,
      highWaterBytes: options.highWaterBytes,
      sessions: options.persistent === true,
    });
    this.pipeSize = checkPipeSize(options.pipeSize);
    this.persistent = options.persistent === true;
    if (this.persistent) {
      // A second read descriptor held for the receiver's life: between writer sessions the FIFO
      // keeps a reader, so writers can open it and nothing they write is dropped.
      this.keeper = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    }
    this.read(fd);
  }

  /** Iterates messages until the last writer leaves (or forever when persistent); breaking out does not close. */
  override [Symbol.asyncIterator](): AsyncIterator<T> {
    return super[Symbol.asyncIterator]();
  }

  /** Stops reading and closes the descriptors (idempotent). Buffered messages are dropped. */
  override close(): Promise<void> {
    return super.close();
  }

  protected override async shut(): Promise<void> {
    this.shutting = true;
    await super.shut();
    if (this.keeper !== undefined) {
      closeSync(this.keeper);
      this.keeper = undefined;
    }
  }

  /** Reads the writer session on `fd`; when persistent, reopens the FIFO for the next one after it. */
  private read(fd: number): void {
    growPipe(fd, this.pipeSize);
    const session = this.attach(new Socket({ fd, readable: true, writable: false }));
    if (!this.persistent) return;
    void session.then(() => {
      if (this.shutting) return;
      // Reopen to wait for the next writer (the old descriptor would report end-of-file forever).
      let next: number;
      try {
        next = openSync(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
      } catch (err) {
        this.end(toIpcError(err, 'ERR_INTERNAL', `cannot reopen ${this.path} for the next writer`));
        return;
      }
      this.read(next);
    });
  }
}
