import {
  abortError,
  DEFAULT_MAX_FRAME_BYTES,
  IpcError,
  resolveCodec,
  throwIfAborted,
  type Channel,
  type Codec,
  type CodecOption,
  type RecvOptions,
  type SendOptions,
  type WaitOptions,
} from '@ipc/core';
import { futexWaitAsync, futexWake } from '../futex.js';
import { SharedMemory } from '../shared-memory.js';
import { CONTINUED, HEADER_BYTES, R_ASLEEP, R_POS, Ring, W_ASLEEP, W_POS } from './ring.js';

/** Options of {@link ShmChannel.create} and {@link ShmChannel.open}. */
export interface ShmChannelOptions<T = unknown> {
  /** How messages become bytes (default `'msgpack'`); both ends must agree. */
  codec?: CodecOption<T> | undefined;
  /** Ring bytes per direction, a power of two from 4 KiB to 1 GiB (create only; default 1 MiB). */
  capacity?: number | undefined;
  /** Permission bits of the segment (create only; default `0o600`). */
  mode?: number | undefined;
  /**
   * Microseconds a receiver (or a sender facing a full ring) busy-polls the ring before it sleeps on
   * the futex, when the peer is another process (default 50; 0 never spins). Spinning trades CPU for
   * latency: a round trip takes ~2–5 µs while it catches the reply, ~30–100 µs after sleeping. The
   * budget adapts: failed spins shrink it (to 1/32), successful ones grow it back.
   */
  spinMicros?: number | undefined;
  /** Largest message `send` accepts, in bytes (default 64 MiB); bigger ones fail with `ERR_FRAME_TOO_LARGE`. */
  maxMessageBytes?: number | undefined;
}

const DEFAULT_CAPACITY = 1 << 20;
/** How long one sleep lasts before the sleeper re-checks its peer's liveness, in ms. */
const SLEEP_SLICE_MS = 100;

/**
 * A duplex message channel over two single-producer / single-consumer rings in one named segment
 * (one per direction): the fastest @ipc transport between two processes of one machine. Messages of
 * any size (bigger than a ring: sent in pieces); the sender waits while the ring is full
 * (backpressure); the receiver spins briefly, then sleeps on a futex and wakes at once.
 *
 * One process creates the channel by name, one other opens it: a single sender and a single receiver
 * per direction (concurrent `send` calls of one process are queued in order). The creator unlinks the
 * segment on close. Zero-copy paths: {@link ShmChannel.reserve} / {@link ShmChannel.commit} write in
 * place; {@link ShmChannel.recvView} reads in place.
 *
 * Breaking out of `for await (const m of channel)` does not close it.
 */
export class ShmChannel<Out = unknown, In = Out> implements Channel<Out, In> {
  private readonly codec: Codec<unknown>;
  private readonly spinMs: number;
  private readonly maxMessageBytes: number;
  private sendChain: Promise<void> | undefined;
  private recvChain: Promise<unknown> = Promise.resolve();
  private held = 0; // bytes of the record recvView handed out, released on the next receive
  private assembling: { bytes: Uint8Array; filled: number } | undefined;
  private closing: Promise<void> | undefined;
  private closedFlag = false;

  private constructor(
    /** The segment holding both rings. */
    readonly segment: SharedMemory,
    private readonly tx: Ring,
    private readonly rx: Ring,
    options: ShmChannelOptions<never>,
  ) {
    this.codec = resolveCodec(options.codec as CodecOption<unknown> | undefined);
    const spin = options.spinMicros ?? 50;
    if (!(spin >= 0 && Number.isFinite(spin))) {
      throw new IpcError('ERR_INVALID_ARGUMENT', `spinMicros must be >= 0, got ${String(spin)}`);
    }
    this.spinMs = spin / 1000;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_FRAME_BYTES;
    tx.attach('writer');
    rx.attach('reader');
  }

  /** Creates the channel segment `name` (`ERR_EXISTS` when taken); the other process calls {@link ShmChannel.open}. */
  static create<Out = unknown, In = Out>(
    name: string,
    options: ShmChannelOptions<Out | In> = {},
  ): ShmChannel<Out, In> {
    const capacity = options.capacity ?? DEFAULT_CAPACITY;
    if (
      !Number.isInteger(capacity) ||
      capacity < 4096 ||
      capacity > 2 ** 30 ||
      (capacity & (capacity - 1)) !== 0
    ) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `capacity must be a power of two from 4096 to 2^30, got ${String(capacity)}`,
      );
    }
    const ringBytes = HEADER_BYTES + capacity;
    const segment = SharedMemory.create(name, 2 * ringBytes, { mode: options.mode });
    Ring.init(segment.buffer, 0, capacity);
    Ring.init(segment.buffer, ringBytes, capacity);
    return new ShmChannel(
      segment,
      new Ring(segment.buffer, 0),
      new Ring(segment.buffer, ringBytes),
      options as ShmChannelOptions<never>,
    );
  }

  /** Opens the channel `name` made by {@link ShmChannel.create} in another process (`ERR_NOT_FOUND` when missing). */
  static open<Out = unknown, In = Out>(
    name: string,
    options: ShmChannelOptions<Out | In> = {},
  ): ShmChannel<Out, In> {
    const segment = SharedMemory.open(name);
    try {
      const first = new Ring(segment.buffer, 0);
      const ringBytes = HEADER_BYTES + first.capacity;
      if (segment.size < 2 * ringBytes)
        throw new IpcError('ERR_INVALID_ARGUMENT', `${name} is not an ShmChannel`);
      return new ShmChannel(
        segment,
        new Ring(segment.buffer, ringBytes),
        first,
        options as ShmChannelOptions<never>,
      );
    } catch (err) {
      segment.close();
      throw err;
    }
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** The largest buffer {@link ShmChannel.reserve} hands out: a quarter of the ring, less 8 bytes. */
  get maxReserve(): number {
    return this.tx.maxRecord;
  }

  // ---------------------------------------------------------------- sending

  /** Sends one message (copied into the ring). See `Sender.send` in `@ipc/core`. */
  send(message: Out, options: SendOptions = {}): Promise<void> {
    if (this.closedFlag) return Promise.reject(closedError());
    let bytes: Uint8Array;
    try {
      throwIfAborted(options.signal);
      bytes = this.codec.encode(message);
      if (bytes.byteLength > this.maxMessageBytes) {
        throw new IpcError(
          'ERR_FRAME_TOO_LARGE',
          `a message of ${bytes.byteLength} bytes exceeds maxMessageBytes (${this.maxMessageBytes})`,
        );
      }
      if (this.sendChain === undefined && this.tryWriteWhole(bytes)) return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.enqueue(() => this.writeMessage(bytes, options.signal));
  }

  /**
   * Zero-copy send: waits for `length` contiguous bytes in the ring (at most {@link ShmChannel.maxReserve})
   * and returns them to be written in place; {@link ShmChannel.commit} sends them as one raw message
   * (the receiver gets exactly those bytes; pair it with the `raw` codec or `recvView`).
   */
  reserve(length: number, options: SendOptions = {}): Promise<Uint8Array> {
    if (this.closedFlag) return Promise.reject(closedError());
    if (!Number.isInteger(length) || length < 0 || length > this.tx.maxRecord) {
      return Promise.reject(
        new IpcError(
          'ERR_INVALID_ARGUMENT',
          `reserve takes 0 to ${this.tx.maxRecord} bytes, got ${String(length)}`,
        ),
      );
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      // The reservation holds the send queue until commit: later sends go after it.
      this.enqueue(async () => {
        const at = await this.reserveRecord(length, options.signal);
        const committed = new Promise<void>((done) => (this.pendingCommit = { at, length, done }));
        resolve(this.tx.data.subarray(at, at + length));
        await committed;
      }).catch(reject);
    });
  }

  private pendingCommit: { at: number; length: number; done: () => void } | undefined;

  /** Sends the buffer from the last {@link ShmChannel.reserve}, the first `length` bytes of it (default all). */
  commit(length?: number): void {
    const p = this.pendingCommit;
    if (!p) throw new IpcError('ERR_INVALID_ARGUMENT', 'commit without a reserve');
    const n = length ?? p.length;
    if (!Number.isInteger(n) || n < 0 || n > p.length) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `commit of ${String(length)} bytes, ${p.length} were reserved`,
      );
    }
    this.pendingCommit = undefined;
    this.tx.publish(p.at, n, n);
    this.wakeReader();
    p.done();
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = (this.sendChain ?? Promise.resolve()).then(task);
    const tail = run.catch(() => undefined);
    this.sendChain = tail;
    void tail.then(() => {
      if (this.sendChain === tail) this.sendChain = undefined;
    });
    return run;
  }

  private tryWriteWhole(bytes: Uint8Array): boolean {
    if (bytes.byteLength > this.tx.maxRecord) return false;
    this.checkReader(false);
    const at = this.tx.reserve(bytes.byteLength);
    if (at < 0) return false;
    this.tx.data.set(bytes, at);
    this.tx.publish(at, bytes.byteLength, bytes.byteLength);
    this.wakeReader();
    return true;
  }

  private async writeMessage(bytes: Uint8Array, signal: AbortSignal | undefined): Promise<void> {
    if (this.closedFlag && this.closing === undefined) throw closedError();
    const total = bytes.byteLength;
    const piece = this.tx.maxRecord;
    let sent = 0;
    do {
      const n = Math.min(piece, total - sent);
      // Abort counts only before the first piece is out: a message is never cut in the middle.
      const at = await this.reserveRecord(n, sent === 0 ? signal : undefined);
      this.tx.data.set(bytes.subarray(sent, sent + n), at);
      this.tx.publish(at, n, sent === 0 ? total : CONTINUED);
      this.wakeReader();
      sent += n;
    } while (sent < total);
  }

  /** Waits until the tx ring has room for a record of `length` bytes; returns its payload offset. */
  private async reserveRecord(length: number, signal: AbortSignal | undefined): Promise<number> {
    const ring = this.tx;
    for (;;) {
      throwIfAborted(signal);
      this.checkReader(false);
      const at = ring.reserve(length);
      if (at >= 0) return at;
      this.checkReader(true);
      if (this.spinMs > 0 && this.peerIsRemote(ring, 'reader') && this.spin(() => ring.reserve(length) >= 0))
        continue;
      const seen = Atomics.load(ring.h, R_POS);
      Atomics.store(ring.h, W_ASLEEP, 1);
      if (ring.reserve(length) < 0) await sleep(ring.h, R_POS, seen, SLEEP_SLICE_MS, signal);
      Atomics.store(ring.h, W_ASLEEP, 0);
    }
  }

  private checkReader(probe: boolean): void {
    const gone = this.tx.gone('reader', probe);
    if (gone) throw new IpcError('ERR_PEER_GONE', `the receiving end ${gone === 'dead' ? 'died' : 'closed'}`);
  }

  // The sleeper sets its flag; the first side to see it clears it and wakes it: one wake per sleep.
  private wakeReader(): void {
    if (Atomics.load(this.tx.h, R_ASLEEP) !== 0 && Atomics.compareExchange(this.tx.h, R_ASLEEP, 1, 0) === 1) {
      futexWake(this.tx.h, W_POS);
    }
  }

  // ---------------------------------------------------------------- receiving

  /** Receives the next message (copied out of the ring). See `Receiver.recv` in `@ipc/core`. */
  recv(options: RecvOptions = {}): Promise<In> {
    return this.serialReceive(async () => {
      const bytes = await this.receiveBytes(options, false);
      return this.codec.decode(bytes) as In;
    });
  }

  /**
   * Zero-copy receive: the next message's raw bytes as a view into the ring, valid until the next
   * `recv`/`recvView`/`close` (copy what you keep). A message bigger than one ring record is
   * assembled into a new buffer instead.
   */
  recvView(options: RecvOptions = {}): Promise<Uint8Array> {
    return this.serialReceive(() => this.receiveBytes(options, true));
  }

  private serialReceive<R>(task: () => Promise<R>): Promise<R> {
    const run = this.recvChain.then(task);
    this.recvChain = run.catch(() => undefined);
    return run;
  }

  private async receiveBytes(options: WaitOptions, view: boolean): Promise<Uint8Array> {
    const { signal, timeout } = options;
    if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= 0 && Number.isFinite(timeout))) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `timeout must be a non-negative number of ms, got ${String(timeout)}`,
      );
    }
    this.releaseHeld();
    const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeout;
    const ring = this.rx;
    for (;;) {
      if (this.closedFlag) throw closedError();
      throwIfAborted(signal);
      const closed = ring.gone('writer', false);
      const got = this.tryRead(view);
      if (got) return got;
      const gone = closed ?? ring.gone('writer', true);
      if (gone === 'closed') throw new IpcError('ERR_CLOSED', 'the peer closed the channel');
      if (gone === 'dead') throw new IpcError('ERR_PEER_GONE', 'the sending process died');
      const left = deadline - Date.now();
      if (left <= 0) throw new IpcError('ERR_TIMEOUT', `timed out after ${String(timeout)} ms`);
      if (this.spinMs > 0 && this.peerIsRemote(ring, 'writer') && this.spin(() => !ring.empty())) continue;
      const seen = Atomics.load(ring.h, W_POS);
      Atomics.store(ring.h, R_ASLEEP, 1);
      if (ring.empty() && !this.closedFlag)
        await sleep(ring.h, W_POS, seen, Math.min(left, SLEEP_SLICE_MS), signal);
      Atomics.store(ring.h, R_ASLEEP, 0);
    }
  }

  /** One whole message from the rx ring if there is one (assembling pieces as they come). */
  private tryRead(view: boolean): Uint8Array | undefined {
    const ring = this.rx;
    for (;;) {
      const rec = ring.peek();
      if (!rec) return undefined;
      const { offset, length, info, size } = rec;
      if (this.assembling === undefined) {
        if (info === length) {
          if (view) {
            this.held = size;
            return ring.data.subarray(offset, offset + length);
          }
          const copy = new Uint8Array(length);
          copy.set(ring.data.subarray(offset, offset + length));
          this.release(size);
          return copy;
        }
        if (info < length || info > 0x7fffffff) throw new IpcError('ERR_DECODE', 'corrupt ring record');
        this.assembling = { bytes: new Uint8Array(info), filled: 0 };
      } else if (info !== CONTINUED) {
        throw new IpcError('ERR_DECODE', 'corrupt ring record: a message piece is missing');
      }
      const a = this.assembling;
      if (a.filled + length > a.bytes.byteLength)
        throw new IpcError('ERR_DECODE', 'corrupt ring record: too many bytes');
      a.bytes.set(ring.data.subarray(offset, offset + length), a.filled);
      a.filled += length;
      this.release(size);
      if (a.filled === a.bytes.byteLength) {
        this.assembling = undefined;
        return a.bytes;
      }
    }
  }

  private release(size: number): void {
    this.rx.consume(size);
    const h = this.rx.h;
    if (Atomics.load(h, W_ASLEEP) !== 0 && Atomics.compareExchange(h, W_ASLEEP, 1, 0) === 1)
      futexWake(h, R_POS);
  }

  private releaseHeld(): void {
    if (this.held === 0) return;
    const size = this.held;
    this.held = 0;
    this.release(size);
  }

  /** Iterates received messages until the peer closes (or this side does). */
  async *[Symbol.asyncIterator](): AsyncIterator<In> {
    for (;;) {
      try {
        yield await this.recv();
      } catch (err) {
        if ((err as { code?: unknown }).code === 'ERR_CLOSED') return;
        throw err;
      }
    }
  }

  // ---------------------------------------------------------------- shared

  private peerIsRemote(ring: Ring, side: 'reader' | 'writer'): boolean {
    const pid = ring.pid(side);
    return pid !== 0 && pid !== process.pid;
  }

  private spinBudgetMs = Number.NaN;

  /**
   * Busy-polls `ready` for up to `spinMicros`; true when it became true. Adaptive: a spin that fails
   * halves the next budget (down to 1/32), one that succeeds doubles it back — on a machine where the
   * peer gets no core while we spin, spinning only steals its CPU.
   */
  private spin(ready: () => boolean): boolean {
    if (Number.isNaN(this.spinBudgetMs)) this.spinBudgetMs = this.spinMs;
    const end = performance.now() + this.spinBudgetMs;
    do {
      for (let i = 0; i < 64; i++) {
        if (ready()) {
          this.spinBudgetMs = Math.min(this.spinMs, this.spinBudgetMs * 2);
          return true;
        }
      }
    } while (performance.now() < end);
    this.spinBudgetMs = Math.max(this.spinMs / 32, this.spinBudgetMs / 2);
    return false;
  }

  /**
   * Sends what was queued, tells the peer (its receiver drains, then ends; its sender gets
   * `ERR_PEER_GONE`), and closes the segment (the creator unlinks it). Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await (this.sendChain ?? Promise.resolve());
    this.closedFlag = true;
    this.pendingCommit?.done();
    this.releaseHeld();
    this.tx.markClosed('writer');
    this.rx.markClosed('reader');
    futexWake(this.tx.h, W_POS);
    futexWake(this.rx.h, R_POS);
    futexWake(this.rx.h, W_POS); // our own pending recv
    await this.recvChain;
    this.segment.close();
  }

  /** Same as {@link ShmChannel.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

async function sleep(
  words: Int32Array,
  index: number,
  seen: number,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (!signal) {
    await futexWaitAsync(words, index, seen, ms);
    return;
  }
  let onAbort!: () => void;
  const aborted = new Promise<void>((resolve) => (onAbort = resolve));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.race([futexWaitAsync(words, index, seen, ms), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (signal.aborted) throw abortError(signal);
}

function closedError(): IpcError {
  return new IpcError('ERR_CLOSED', 'the channel is closed');
}
