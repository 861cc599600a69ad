import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import {
  CLOSE_MARKER,
  compileValidator,
  IpcError,
  OPEN_MARKER,
  resolveCodec,
  resolveFraming,
  toIpcError,
  type Codec,
  type FrameDecoder,
  type Framing,
  type Receiver,
  type RecvOptions,
} from '@ipc/core';
import { type StreamChannelOptions } from '@ipc/kit';
import { bytesOnly, feedDecoder, Inbox, offerToDecoder, receiveInto } from '@ipc/kit';
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
 * writers (from the first writer opening to the last one closing) is decoded on its own: a session
 * that stops in the middle of a frame gives `ERR_PEER_GONE` — the end of a non-persistent receiver, a
 * single failed `recv` of a persistent one, which then goes on with the next writer. So does a session
 * in which an @ipc writer that announced itself (see `announce` in `openFifo`) went away without
 * closing — it died, even between two messages; writers that do not announce themselves (a shell's
 * `echo … > fifo`) end their session cleanly whenever they stop.
 */
export class FifoReceiver<T> implements Receiver<T> {
  private readonly inbox: Inbox<T>;
  private readonly codec: Codec<T>;
  private readonly framing: Framing;
  private readonly validate: ((value: unknown) => T) | undefined;
  private readonly recvIntoUnsupported: IpcError | undefined;
  /** Offers a `recvInto` buffer to the current session's decoder. */
  private readonly offerInto = (target: Uint8Array): boolean => offerToDecoder(this.decoder, target);
  private readonly pipeSize: number;
  private socket: Socket | undefined;
  private decoder: FrameDecoder | undefined;
  private discarding = false;
  /** @ipc writers of this session that announced themselves and have not closed yet. */
  private openWriters = 0;
  private paused = false;
  private keeper: number | undefined;
  private closing: Promise<void> | undefined;

  /**
   * @param path - the FIFO (reopened by path between writer sessions when persistent)
   * @param fd - a descriptor already open on it with `O_RDONLY | O_NONBLOCK`
   * @param options - codec, framing, limits, persistence
   */
  constructor(
    readonly path: string,
    fd: number,
    private readonly options: FifoReceiverOptions<T> = {},
  ) {
    this.codec = resolveCodec<T>(options.codec);
    this.framing = resolveFraming(options.framing);
    this.validate = options.validate === undefined ? undefined : compileValidator(options.validate);
    this.recvIntoUnsupported = bytesOnly(this.codec, this.validate !== undefined);
    this.pipeSize = checkPipeSize(options.pipeSize);
    this.inbox = new Inbox<T>({
      highWaterMessages: options.highWaterMessages,
      highWaterBytes: options.highWaterBytes,
      onFull: () => {
        this.paused = true;
        this.socket?.pause();
      },
      onRoom: () => {
        this.paused = false;
        if (!this.inbox.done) this.socket?.resume();
      },
    });
    if (options.persistent === true) {
      // A second read descriptor held for the receiver's life: between writer sessions the FIFO
      // keeps a reader, so writers can open it and nothing they write is dropped.
      this.keeper = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    }
    this.attach(fd);
  }

  /** {@inheritDoc Receiver.recv} */
  recv(options?: RecvOptions): Promise<T> {
    return this.inbox.recv(options);
  }

  /**
   * Receives the next message's bytes into `buffer` at `offset` and resolves with their count, like
   * Python's `Connection.recv_bytes_into` (see `StreamReceiver.recvInto` in @ipc/core): one buffer
   * for a stream of big messages, which the kernel reads straight into when this is the only receive
   * waiting and it has no `timeout` or `signal`. Needs the `raw` codec and no `validate`
   * (`ERR_UNSUPPORTED`); a message longer than the room rejects with `ERR_BUFFER_TOO_SMALL` and stays
   * queued.
   */
  recvInto(buffer: Uint8Array, offset = 0, options: RecvOptions = {}): Promise<number> {
    return receiveInto(this.inbox, this.offerInto, this.recvIntoUnsupported, buffer, offset, options);
  }

  /** Stops reading and closes the descriptors (idempotent). Buffered messages are dropped. */
  close(): Promise<void> {
    this.closing ??= this.shut();
    return this.closing;
  }

  /** Closes (see {@link FifoReceiver.close}). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Iterates messages until the last writer leaves (or forever when persistent); breaking out does not close. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.inbox[Symbol.asyncIterator]();
  }

  private attach(fd: number): void {
    growPipe(fd, this.pipeSize);
    const socket = new Socket({ fd, readable: true, writable: false });
    // Writers' open and close markers (see `announce`) are recognised, never delivered.
    const decoder = this.framing.createDecoder({
      maxFrameBytes: this.options.maxFrameBytes,
      closeMarker: true,
    });
    this.socket = socket;
    this.decoder = decoder;
    this.discarding = false;
    this.openWriters = 0;
    const take = (read: () => Uint8Array[]): void => {
      if (this.discarding || this.socket !== socket) return;
      let frames: Uint8Array[];
      try {
        frames = read();
      } catch (err) {
        this.sessionFailed(toIpcError(err, 'ERR_DECODE'));
        return;
      }
      for (let i = 0; i < frames.length; i++) this.deliver(frames[i] as Uint8Array);
    };
    // Big messages are read straight into their own buffer (no joining of 64 KiB pieces).
    feedDecoder(socket, decoder, take);
    socket.on('end', () => {
      if (this.socket === socket) this.sessionEnded(decoder);
    });
    socket.on('error', (err) => {
      if (this.socket !== socket) return;
      this.inbox.fail(toIpcError(err, 'ERR_PEER_GONE', `reading ${this.path} failed`));
      socket.destroy();
    });
    if (this.paused) socket.pause();
  }

  private deliver(frame: Uint8Array): void {
    if (frame === OPEN_MARKER) this.openWriters++;
    else if (frame === CLOSE_MARKER) this.openWriters = Math.max(0, this.openWriters - 1);
    else this.inbox.pushFrame(frame, this.codec, this.validate);
  }

  /** The stream of this writer session cannot be decoded any further (a frame too large, bad framing). */
  private sessionFailed(error: IpcError): void {
    if (this.options.persistent === true) {
      this.inbox.pushError(error);
      this.discarding = true; // skip the rest of this session; the next one starts clean
    } else {
      this.inbox.fail(error);
      this.socket?.destroy();
    }
  }

  /** The last writer closed the FIFO. */
  private sessionEnded(decoder: FrameDecoder): void {
    if (this.inbox.done) return;
    let failure: IpcError | undefined;
    if (!this.discarding) {
      try {
        for (const frame of decoder.end()) this.deliver(frame);
      } catch (err) {
        failure = toIpcError(err, 'ERR_PEER_GONE', 'a writer left in the middle of a message');
      }
      if (failure === undefined && this.openWriters > 0) {
        failure = new IpcError(
          'ERR_PEER_GONE',
          `${this.openWriters} @ipc writer(s) of ${this.path} went away without closing (died or killed)`,
        );
      }
    }
    if (this.options.persistent !== true) {
      if (failure) this.inbox.fail(failure);
      else this.inbox.end(new IpcError('ERR_CLOSED', `the last writer closed ${this.path}`));
      return;
    }
    if (failure) this.inbox.pushError(failure);
    // Reopen to wait for the next writer (the old descriptor would report end-of-file forever).
    let fd: number;
    try {
      fd = openSync(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      this.inbox.fail(toIpcError(err, 'ERR_INTERNAL', `cannot reopen ${this.path} for the next writer`));
      return;
    }
    this.attach(fd);
  }

  private async shut(): Promise<void> {
    this.inbox.close();
    const socket = this.socket;
    this.socket = undefined;
    if (socket && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      });
    }
    if (this.keeper !== undefined) {
      closeSync(this.keeper);
      this.keeper = undefined;
    }
  }
}
