import {
  DEFAULT_MAX_FRAME_BYTES,
  IpcError,
  receiveUntilClosed,
  resolveCodec,
  type Channel,
  type CodecOption,
  type RecvOptions,
  type SendOptions,
} from '@ipc/core';
import { recvIntoTarget } from '@ipc/kit';
import { SharedMemory } from '../shared-memory.js';
import { HEADER_BYTES, Ring } from './ring.js';
import { RingReceiver } from './ring-receiver.js';
import { RingSender } from './ring-sender.js';
import { READER_SLEEP, removeDeadPeerBell, WRITER_SLEEP } from './ring-sleep.js';

/** Options of {@link ShmChannel.create} and {@link ShmChannel.open}. */
export interface ShmChannelOptions<T = unknown> {
  /** How messages become bytes (default `'msgpack'`); both ends must agree. */
  codec?: CodecOption<T> | undefined;
  /** Ring bytes per direction, a power of two from 4 KiB to 1 GiB (create only; default 1 MiB). */
  capacity?: number | undefined;
  /** Permission bits of the segment (create only; default `0o600`). */
  mode?: number | undefined;
  /**
   * Microseconds a receiver (or a sender facing a full ring) busy-polls the ring before it sleeps (by
   * its doorbell, or on the futex), when the peer is another process (default 50; 0 never spins).
   * After 3 failed spins on an oversubscribed machine (more runnable threads than CPUs) it sleeps at
   * once for 10 ms, then tries again. Spinning trades CPU for latency: a round trip takes ~3 µs
   * while it catches the reply, ~12–30 µs after sleeping. The budget adapts: failed spins shrink it
   * (to 1/32), successful ones grow it back; a receive right after waking a sleeping peer spins 4
   * times longer (the peer's wake-up takes that long), unless that peer has been answering slowly
   * (over 1 ms).
   */
  spinMicros?: number | undefined;
  /** Largest message `send` accepts, in bytes (default 64 MiB); bigger ones fail with `ERR_FRAME_TOO_LARGE`. */
  maxMessageBytes?: number | undefined;
}

const DEFAULT_CAPACITY = 1 << 20;

/**
 * A duplex message channel over two single-producer / single-consumer rings in one named segment
 * (one per direction): the fastest @ipc transport between two processes of one machine. Messages of
 * any size (bigger than a ring: sent in pieces); the sender waits while the ring is full
 * (backpressure); the receiver spins briefly, then sleeps by its doorbell (a FIFO its event loop
 * polls) and wakes at once.
 *
 * One process creates the channel by name, one other opens it: a single sender and a single receiver
 * per direction (concurrent `send` calls of one process are queued in order). The creator unlinks the
 * segment on close. Zero-copy paths: {@link ShmChannel.reserve} / {@link ShmChannel.commit} write in
 * place; {@link ShmChannel.recvView} reads in place.
 *
 * Breaking out of `for await (const m of channel)` does not close it.
 */
export class ShmChannel<Out = unknown, In = Out> implements Channel<Out, In> {
  private readonly sender: RingSender<Out>;
  private readonly receiver: RingReceiver;
  private closing: Promise<void> | undefined;
  private closedFlag = false;

  private constructor(
    /** The segment holding both rings. */
    readonly segment: SharedMemory,
    private readonly tx: Ring,
    private readonly rx: Ring,
    options: ShmChannelOptions<never>,
  ) {
    const codec = resolveCodec(options.codec as CodecOption<unknown> | undefined);
    const spin = options.spinMicros ?? 50;
    if (!(spin >= 0 && Number.isFinite(spin))) {
      throw new IpcError('ERR_INVALID_ARGUMENT', `spinMicros must be >= 0, got ${String(spin)}`);
    }
    const isClosed = (): boolean => this.closedFlag;
    const receiver = new RingReceiver(rx, codec, spin, isClosed, () => segment.mode);
    this.receiver = receiver;
    this.sender = new RingSender<Out>(
      tx,
      codec,
      spin,
      options.maxMessageBytes ?? DEFAULT_MAX_FRAME_BYTES,
      isClosed,
      () => receiver.notePeerWoken(),
      () => segment.mode,
    );
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

  /** The largest buffer {@link ShmChannel.reserve} hands out: a quarter of the ring. */
  get maxReserve(): number {
    return this.tx.maxRecord;
  }

  /** Sends one message (copied into the ring). See `Sender.send` in `@ipc/core`. */
  send(message: Out, options: SendOptions = {}): Promise<void> {
    return this.sender.send(message, options.signal);
  }

  /**
   * Sends one message now if it fits in the ring as it is (and no earlier send of this channel still
   * waits): true when it was sent; false when sending would have to wait — then nothing was sent, and
   * {@link ShmChannel.send} does it. Saves the promise of `send` on the fast path (as `tryPut` in
   * `@ipc/queue`). Throws what `send` rejects with: `ERR_CLOSED`, `ERR_ENCODE`, `ERR_FRAME_TOO_LARGE`,
   * `ERR_PEER_GONE`.
   */
  trySend(message: Out): boolean {
    return this.sender.trySend(message);
  }

  /**
   * Zero-copy send: waits for `length` contiguous bytes in the ring (at most {@link ShmChannel.maxReserve})
   * and returns them to be written in place; {@link ShmChannel.commit} sends them as one raw message
   * (the receiver gets exactly those bytes; pair it with the `raw` codec or `recvView`).
   */
  reserve(length: number, options: SendOptions = {}): Promise<Uint8Array> {
    return this.sender.reserve(length, options.signal);
  }

  /** Sends the buffer from the last {@link ShmChannel.reserve}, the first `length` bytes of it (default all). */
  commit(length?: number): void {
    this.sender.commit(length);
  }

  /**
   * Receives the next message (copied out of the ring). See `Receiver.recv` in `@ipc/core`. Small
   * messages waiting together are copied out in one piece, so with the `raw` codec a message may be a
   * view into a larger buffer (as with the stream transports): it is yours, but mind `byteOffset`.
   */
  recv(options: RecvOptions = {}): Promise<In> {
    return this.receiver.receive(options, 'decode') as Promise<In>;
  }

  /**
   * Zero-copy receive: the next message's raw bytes as a view into the ring, valid until the next
   * `recv`/`recvView`/`close` (copy what you keep). A message bigger than one ring record is
   * assembled into a new buffer instead.
   */
  recvView(options: RecvOptions = {}): Promise<Uint8Array> {
    return this.receiver.receive(options, 'view') as Promise<Uint8Array>;
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
    return this.receiver.receive(options, target) as Promise<number>;
  }

  /** Iterates received messages until the peer closes (or this side does). */
  [Symbol.asyncIterator](): AsyncIterator<In> {
    return receiveUntilClosed(() => this.recv());
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
    await this.sender.drain();
    this.closedFlag = true;
    this.sender.dropReservation();
    this.receiver.releaseHeld();
    this.tx.markClosed('writer');
    this.rx.markClosed('reader');
    this.sender.closeBell();
    this.sender.wakeReaderAtClose();
    this.receiver.wakeWriterAtClose();
    this.receiver.interrupt(); // our own pending recv, however it sleeps
    await this.receiver.drain();
    this.receiver.closeBell();
    // A peer that died could not remove its doorbells: this end does.
    removeDeadPeerBell(this.tx, READER_SLEEP);
    removeDeadPeerBell(this.rx, WRITER_SLEEP);
    this.segment.close();
  }

  /** Same as {@link ShmChannel.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
