import {
  abortError,
  DEFAULT_MAX_FRAME_BYTES,
  IpcError,
  receiveUntilClosed,
  resolveCodec,
  throwIfAborted,
  type Channel,
  type Codec,
  type CodecOption,
  type RecvOptions,
  type SendOptions,
  type WaitOptions,
  type WaitResult,
} from '@ipc/core';
import { bufferTooSmall, recvIntoTarget } from '@ipc/kit';
import { futexWaitAsync, futexWake } from '../futex.js';
import { SharedMemory } from '../shared-memory.js';
import { RecordBatch } from './record-batch.js';
import { SerialQueue } from './serial-queue.js';
import { Spinner } from './spinner.js';
import { CONTINUED, HEADER_BYTES, R_ASLEEP, R_POS, RECORD_HEADER, Ring, W_ASLEEP, W_POS } from './ring.js';

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
   * latency: a round trip takes ~3 µs while it catches the reply, ~15–100 µs after sleeping. The
   * budget adapts: failed spins shrink it (to 1/32), successful ones grow it back; a receive right
   * after waking a sleeping peer spins 4 times longer (the peer's wake-up takes that long), unless
   * that peer has been answering slowly (over 1 ms).
   */
  spinMicros?: number | undefined;
  /** Largest message `send` accepts, in bytes (default 64 MiB); bigger ones fail with `ERR_FRAME_TOO_LARGE`. */
  maxMessageBytes?: number | undefined;
}

const DEFAULT_CAPACITY = 1 << 20;
/** How long one sleep lasts before the sleeper re-checks its peer's liveness, in ms. */
const SLEEP_SLICE_MS = 100;
/**
 * A receiver that keeps waiting doubles its sleeps up to this (ms): an idle receiver wakes up about
 * once a second to check on its peer, and a peer that dies meanwhile is noticed within that.
 */
const MAX_SLEEP_SLICE_MS = 1000;
/** Least time between two liveness checks of the peer (reads of `/proc`), in ms. */
const PROBE_EVERY_MS = 20;
/** Most bytes of small messages one receive copies out of the ring at once. */
const BATCH_BYTES = 32 * 1024;
/** Least free room at the write position worth encoding a message into in place. */
const IN_PLACE_MIN_ROOM = 64;
/**
 * How a receive takes a message: `'decode'` (recv), `'view'` (recvView: the bytes in place), or a
 * buffer to copy the bytes into (recvInto).
 */
type Take = 'decode' | 'view' | Uint8Array;
/** "No message": what the receive steps return when there is nothing to take yet. */
const NONE: unique symbol = Symbol('no message');

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
  private readonly recvSpin: Spinner;
  private readonly sendSpin: Spinner;
  private readonly maxMessageBytes: number;
  private readonly sends = new SerialQueue(); // sends (and reservations) that wait, in order
  private readonly receives = new SerialQueue(); // receives that wait, in order
  private held = 0; // bytes of the record recvView handed out, released on the next receive
  private readonly batch = new RecordBatch(); // messages copied out of the ring, not yet received
  private wokePeer = false; // a send woke the peer since the last receive spin (its answer comes after a wake-up)
  private assembling: { bytes: Uint8Array; filled: number } | undefined;
  private ready: Uint8Array | undefined; // a whole message a recvInto found too big for its buffer
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
    this.recvSpin = new Spinner(spin);
    this.sendSpin = new Spinner(spin);
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
    // Populated: the rings are written round and round, so every page is soon touched anyway.
    const segment = SharedMemory.create(name, 2 * ringBytes, { mode: options.mode, populate: true });
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
    const segment = SharedMemory.open(name, { populate: true });
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
      if (this.sends.pending === 0 && this.tryWriteInPlace(message)) return Promise.resolve();
      bytes = this.encode(message);
      if (this.sends.pending === 0 && this.tryWriteWhole(bytes)) return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.sends.run(() => this.writeMessage(bytes, options.signal));
  }

  /**
   * Sends one message now if it fits in the ring as it is (and no earlier send of this channel still
   * waits): true when it was sent; false when sending would have to wait — then nothing was sent, and
   * {@link ShmChannel.send} does it. Saves the promise of `send` on the fast path (as `tryPut` in
   * `@ipc/queue`). Throws what `send` rejects with: `ERR_CLOSED`, `ERR_ENCODE`, `ERR_FRAME_TOO_LARGE`,
   * `ERR_PEER_GONE`.
   */
  trySend(message: Out): boolean {
    if (this.closedFlag) throw closedError();
    if (this.sends.pending !== 0) return false;
    return this.tryWriteInPlace(message) || this.tryWriteWhole(this.encode(message));
  }

  /**
   * The codec's `encodeInto` straight into the ring's free room at the write position, when it has
   * one and a small message fits there: no copy, no allocation. False when that cannot be done now
   * (then nothing was sent).
   */
  private tryWriteInPlace(message: Out): boolean {
    const codec = this.codec;
    if (codec.encodeInto === undefined) return false;
    this.checkReader(false);
    const ring = this.tx;
    const at = ring.reserveRoom(IN_PLACE_MIN_ROOM);
    if (at < 0) return false;
    const end = codec.encodeInto(message, ring.data, at, at + Math.min(ring.room, this.maxMessageBytes));
    if (end < 0) return false;
    ring.publish(at, end - at, end - at);
    this.wakeReader();
    return true;
  }

  private encode(message: Out): Uint8Array {
    const bytes = this.codec.encode(message);
    if (bytes.byteLength > this.maxMessageBytes) {
      throw new IpcError(
        'ERR_FRAME_TOO_LARGE',
        `a message of ${bytes.byteLength} bytes exceeds maxMessageBytes (${this.maxMessageBytes})`,
      );
    }
    return bytes;
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
      this.sends
        .run(async () => {
          const at = await this.reserveRecord(length, options.signal);
          const committed = new Promise<void>((done) => (this.pendingCommit = { at, length, done }));
          resolve(this.tx.data.subarray(at, at + length));
          await committed;
        })
        .catch(reject);
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
    let slept = false;
    for (;;) {
      throwIfAborted(signal);
      this.checkReader(false);
      const at = ring.reserve(length);
      if (at >= 0) {
        if (slept) this.sendSpin.arrived();
        return at;
      }
      if (
        this.sendSpin.enabled &&
        this.peerIsRemote(ring, 'reader') &&
        this.sendSpin.spin(() => ring.reserve(length) >= 0)
      )
        continue;
      this.checkReader(this.probeDue('reader'));
      const seen = Atomics.load(ring.h, R_POS);
      Atomics.store(ring.h, W_ASLEEP, 1);
      if (ring.reserve(length) < 0) await sleep(ring.h, R_POS, seen, SLEEP_SLICE_MS, signal);
      Atomics.store(ring.h, W_ASLEEP, 0);
      slept = true;
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
      this.wokePeer = true;
    }
  }

  // ---------------------------------------------------------------- receiving

  /**
   * Receives the next message (copied out of the ring). See `Receiver.recv` in `@ipc/core`. Small
   * messages waiting together are copied out in one piece, so with the `raw` codec a message may be a
   * view into a larger buffer (as with the stream transports): it is yours, but mind `byteOffset`.
   */
  recv(options: RecvOptions = {}): Promise<In> {
    return this.receive(options, 'decode') as Promise<In>;
  }

  /**
   * Zero-copy receive: the next message's raw bytes as a view into the ring, valid until the next
   * `recv`/`recvView`/`close` (copy what you keep). A message bigger than one ring record is
   * assembled into a new buffer instead.
   */
  recvView(options: RecvOptions = {}): Promise<Uint8Array> {
    return this.receive(options, 'view') as Promise<Uint8Array>;
  }

  /**
   * Receives the next message's bytes into `buffer` from `offset` (Python's `recv_bytes_into`) and
   * resolves their count: copied straight from the ring into memory the caller keeps, no allocation.
   * Like {@link ShmChannel.recvView} it hands over the bytes as sent (with the `raw` codec: what the
   * sender passed). A message longer than the room rejects with `ERR_BUFFER_TOO_SMALL` and stays queued.
   */
  recvInto(buffer: Uint8Array, offset = 0, options: RecvOptions = {}): Promise<number> {
    let target: Uint8Array;
    try {
      target = recvIntoTarget(buffer, offset);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.receive(options, target) as Promise<number>;
  }

  /** A received message, taken as `how` says (see {@link Take}). */
  private receive(options: RecvOptions, how: Take): Promise<unknown> {
    const spun = this.receives.pending === 0;
    if (spun) {
      // Fast path, no receive queued: take a message now (or after a short spin) without a promise hop.
      try {
        const got = this.receiveNow(options, how, true);
        if (got !== NONE) return Promise.resolve(got);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.receives.run(() => this.receiveLater(options, how, spun));
  }

  /**
   * The synchronous part of a receive: checks, then a message if one is there or arrives while
   * spinning; {@link NONE} when the caller must sleep. Throws what the receive must reject with.
   */
  private receiveNow(options: WaitOptions, how: Take, spin: boolean): unknown {
    if (this.closedFlag) throw closedError();
    const timeout = options.timeout;
    if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= 0 && Number.isFinite(timeout))) {
      throw new IpcError(
        'ERR_INVALID_ARGUMENT',
        `timeout must be a non-negative number of ms, got ${String(timeout)}`,
      );
    }
    throwIfAborted(options.signal);
    this.releaseHeld();
    return this.readOrSpin(how, spin && timeout !== 0);
  }

  /** A whole message if there is one, spinning (when `spin`) while records keep arriving. */
  private readOrSpin(how: Take, spin: boolean): unknown {
    const ring = this.rx;
    for (;;) {
      const closed = ring.gone('writer', false);
      const got = this.tryRead(how);
      if (got !== NONE) return got;
      if (closed) throw new IpcError('ERR_CLOSED', 'the peer closed the channel');
      if (!spin || !this.recvSpin.enabled || !this.peerIsRemote(ring, 'writer')) return NONE;
      const woke = this.wokePeer;
      this.wokePeer = false;
      if (!this.recvSpin.spin(() => !ring.empty(), woke)) return NONE;
    }
  }

  /** A receive that may wait; `spun`: the caller just ran {@link receiveNow} (do not spin again at once). */
  private async receiveLater(options: WaitOptions, how: Take, spun: boolean): Promise<unknown> {
    const { signal, timeout } = options;
    let got = this.receiveNow(options, how, !spun);
    const deadline = timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeout;
    const ring = this.rx;
    let slice = SLEEP_SLICE_MS;
    while (got === NONE) {
      const gone = ring.gone('writer', this.probeDue('writer'));
      if (gone !== undefined) {
        // What the writer published before it closed or died is still delivered.
        got = this.readOrSpin(how, false);
        if (got !== NONE) break;
        if (gone === 'closed') throw new IpcError('ERR_CLOSED', 'the peer closed the channel');
        throw new IpcError('ERR_PEER_GONE', 'the sending process died');
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new IpcError('ERR_TIMEOUT', `timed out after ${String(timeout)} ms`);
      const seen = Atomics.load(ring.h, W_POS);
      Atomics.store(ring.h, R_ASLEEP, 1);
      let woken = true;
      if (ring.empty() && !this.closedFlag) {
        woken = (await sleep(ring.h, W_POS, seen, Math.min(left, slice), signal)) !== 'timed-out';
        slice = woken ? SLEEP_SLICE_MS : Math.min(2 * slice, MAX_SLEEP_SLICE_MS);
      }
      Atomics.store(ring.h, R_ASLEEP, 0);
      if (this.closedFlag) throw closedError();
      throwIfAborted(signal);
      // Spin again only when woken by the writer (more may follow), never after an idle time-out.
      got = this.readOrSpin(how, woken);
    }
    this.recvSpin.arrived();
    return got;
  }

  private lastProbe = { reader: Number.NEGATIVE_INFINITY, writer: Number.NEGATIVE_INFINITY };

  /**
   * Whether to check the liveness of the peer on `side` in `/proc` now (a few system calls): only
   * before sleeping, and at most once per {@link PROBE_EVERY_MS}, so that a busy channel never pays
   * for it per message.
   */
  private probeDue(side: 'reader' | 'writer'): boolean {
    const now = performance.now();
    if (now - this.lastProbe[side] < PROBE_EVERY_MS) return false;
    this.lastProbe[side] = now;
    return true;
  }

  /**
   * One whole message from the rx ring if there is one (assembling pieces as they come), taken as
   * `how` says; {@link NONE} when there is none. A decoding error consumes the message; a message too
   * big for a `recvInto` buffer stays.
   */
  private tryRead(how: Take): unknown {
    const ring = this.rx;
    if (this.ready !== undefined) {
      const bytes = this.ready;
      checkRoom(how, bytes.byteLength);
      this.ready = undefined;
      return this.finish(bytes, how);
    }
    if (this.batch.pending) {
      checkRoom(how, this.batch.nextLength());
      return this.finish(this.batch.next(), how);
    }
    for (;;) {
      if (!ring.peek()) return NONE;
      const offset = ring.recOffset;
      const length = ring.recLength;
      const info = ring.recInfo;
      const size = ring.recSize;
      if (length < 0 || offset + length > ring.capacity)
        throw new IpcError('ERR_DECODE', 'corrupt ring record');
      if (this.assembling === undefined) {
        if (info === length) {
          if (how === 'view') {
            this.held = size;
            return ring.data.subarray(offset, offset + length);
          }
          if (typeof how === 'object') {
            checkRoom(how, length);
            how.set(ring.data.subarray(offset, offset + length));
            this.release(size);
            return length;
          }
          const codec = this.codec;
          if (codec.decodeFrom !== undefined) {
            // The codec decodes in place (its value shares no memory with the ring): no copy at all.
            try {
              return codec.decodeFrom(ring.data, offset, offset + length);
            } finally {
              this.release(size);
            }
          }
          const run = ring.wholeRun(BATCH_BYTES);
          if (run === size - ring.recSkip) {
            const copy = ring.data.slice(offset, offset + length);
            this.release(size);
            return this.finish(copy, how);
          }
          // Several whole messages are waiting: copy them out at once (one allocation, one release).
          this.batch.take(ring.data.slice(offset - RECORD_HEADER, offset - RECORD_HEADER + run));
          this.release(ring.recSkip + run);
          return this.finish(this.batch.next(), how);
        }
        if (info < length || info > 0x7fffffff) throw new IpcError('ERR_DECODE', 'corrupt ring record');
        checkRoom(how, info); // before the first piece is taken
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
        return this.finish(a.bytes, how);
      }
    }
  }

  /** A whole message's bytes (the receiver's own memory) taken as `how` says. */
  private finish(bytes: Uint8Array, how: Take): unknown {
    if (how === 'view') return bytes;
    if (how === 'decode') return this.codec.decode(bytes);
    if (bytes.byteLength > how.byteLength) {
      this.ready = bytes; // assembled while an earlier receive waited: it stays first in line
      throw bufferTooSmall(bytes.byteLength, how.byteLength);
    }
    how.set(bytes);
    return bytes.byteLength;
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
  [Symbol.asyncIterator](): AsyncIterator<In> {
    return receiveUntilClosed(() => this.recv());
  }

  // ---------------------------------------------------------------- shared

  private peerIsRemote(ring: Ring, side: 'reader' | 'writer'): boolean {
    const pid = ring.pid(side);
    return pid !== 0 && pid !== process.pid;
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
    await this.sends.idle;
    this.closedFlag = true;
    this.pendingCommit?.done();
    this.releaseHeld();
    this.tx.markClosed('writer');
    this.rx.markClosed('reader');
    futexWake(this.tx.h, W_POS);
    futexWake(this.rx.h, R_POS);
    futexWake(this.rx.h, W_POS); // our own pending recv
    await this.receives.idle;
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
): Promise<WaitResult> {
  if (!signal) return futexWaitAsync(words, index, seen, ms);
  let onAbort!: () => void;
  const aborted = new Promise<WaitResult>((resolve) => (onAbort = () => resolve('ok')));
  signal.addEventListener('abort', onAbort, { once: true });
  let result: WaitResult;
  try {
    result = await Promise.race([futexWaitAsync(words, index, seen, ms), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (signal.aborted) throw abortError(signal);
  return result;
}

/** For a `recvInto` (`how` a buffer): throws `ERR_BUFFER_TOO_SMALL` when `length` bytes do not fit. */
function checkRoom(how: Take, length: number): void {
  if (typeof how === 'object' && length > how.byteLength) throw bufferTooSmall(length, how.byteLength);
}

function closedError(): IpcError {
  return new IpcError('ERR_CLOSED', 'the channel is closed');
}
