import { IpcError, throwIfAborted, type Codec } from '@ipc/core';
import { closedError } from './closed-error.js';
import { PeerProbe } from './peer-probe.js';
import { CONTINUED, type Ring } from './ring.js';
import {
  READER_SLEEP,
  removeDeadPeerBell,
  RingSleep,
  ringSpinner,
  RingWake,
  SLEEP_SLICE_MS,
  WRITER_SLEEP,
} from './ring-sleep.js';
import { SerialQueue } from './serial-queue.js';
import { copyBytes } from '../copy-bytes.js';
import type { Spinner } from '../spinner.js';

/** Least free room at the write position worth encoding a message into in place. */
const IN_PLACE_MIN_ROOM = 64;

/**
 * The sending end of an `ShmChannel`: writes messages into its tx ring (in place when the codec can,
 * in pieces when bigger than a record), waits while the ring is full (spin, then sleep by its
 * doorbell or on the reader's position: {@link RingSleep}), and wakes the reader when it sleeps.
 * Sends that wait are queued in call order.
 */
export class RingSender<Out> {
  private readonly spinner: Spinner;
  private readonly reader: PeerProbe;
  private readonly sends = new SerialQueue(); // sends (and reservations) that wait, in order
  private pendingCommit: { at: number; length: number; done: () => void } | undefined;
  private readonly sleeper: RingSleep;
  private readonly readerWake: RingWake;

  constructor(
    private readonly tx: Ring,
    private readonly codec: Codec<unknown>,
    spinMicros: number,
    private readonly maxMessageBytes: number,
    /** Whether the channel was closed (no more sends). */
    private readonly isClosed: () => boolean,
    /** Called when a send woke the sleeping reader (the receiving end of this process waits for its answer). */
    private readonly onWokeReader: () => void,
    /** The permission bits of this sender's doorbell (the segment's). */
    bellMode: () => number,
  ) {
    this.spinner = ringSpinner(spinMicros);
    this.reader = new PeerProbe(tx, 'reader');
    this.sleeper = new RingSleep(tx, WRITER_SLEEP, bellMode, isClosed);
    this.readerWake = new RingWake(tx, READER_SLEEP);
  }

  /** See `ShmChannel.send`. */
  send(message: Out, signal: AbortSignal | undefined): Promise<void> {
    if (this.isClosed()) return Promise.reject(closedError());
    let bytes: Uint8Array;
    try {
      throwIfAborted(signal);
      if (this.sends.pending === 0 && this.tryWriteInPlace(message)) return Promise.resolve();
      bytes = this.encode(message);
      if (this.sends.pending === 0 && this.tryWriteWhole(bytes)) return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.sends.run(() => this.writeMessage(bytes, signal));
  }

  /** See `ShmChannel.trySend`. */
  trySend(message: Out): boolean {
    if (this.isClosed()) throw closedError();
    if (this.sends.pending !== 0) return false;
    return this.tryWriteInPlace(message) || this.tryWriteWhole(this.encode(message));
  }

  /** See `ShmChannel.reserve`. */
  reserve(length: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
    if (this.isClosed()) return Promise.reject(closedError());
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
          const at = await this.reserveRecord(length, signal);
          const committed = new Promise<void>((done) => (this.pendingCommit = { at, length, done }));
          resolve(this.tx.data.subarray(at, at + length));
          await committed;
        })
        .catch(reject);
    });
  }

  /** See `ShmChannel.commit`. */
  commit(length: number | undefined): void {
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

  /** Settles once the sends queued so far are out (a pending reservation: once committed). */
  async drain(): Promise<void> {
    await this.sends.idle;
  }

  /** Lets go of a reservation never committed (at close: its bytes are not sent). */
  dropReservation(): void {
    this.pendingCommit?.done();
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

  private tryWriteWhole(bytes: Uint8Array): boolean {
    if (bytes.byteLength > this.tx.maxRecord) return false;
    this.checkReader(false);
    const at = this.tx.reserve(bytes.byteLength);
    if (at < 0) return false;
    copyBytes(this.tx.data, bytes, at);
    this.tx.publish(at, bytes.byteLength, bytes.byteLength);
    this.wakeReader();
    return true;
  }

  private async writeMessage(bytes: Uint8Array, signal: AbortSignal | undefined): Promise<void> {
    const total = bytes.byteLength;
    const piece = this.tx.maxRecord;
    let sent = 0;
    do {
      const n = Math.min(piece, total - sent);
      // Abort counts only before the first piece is out: a message is never cut in the middle.
      const at = await this.reserveRecord(n, sent === 0 ? signal : undefined);
      copyBytes(this.tx.data, bytes.subarray(sent, sent + n), at);
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
        if (slept) this.spinner.arrived();
        return at;
      }
      if (this.spinner.enabled && this.reader.remote && this.spinner.spin(() => ring.reserve(length) >= 0))
        continue;
      this.checkReader(this.reader.due());
      await this.sleeper.sleep(() => ring.reserve(length) < 0, SLEEP_SLICE_MS, signal);
      slept = true;
    }
  }

  private checkReader(probe: boolean): void {
    const gone = this.tx.gone('reader', probe);
    if (gone === 'dead') removeDeadPeerBell(this.tx, READER_SLEEP);
    if (gone) throw new IpcError('ERR_PEER_GONE', `the receiving end ${gone === 'dead' ? 'died' : 'closed'}`);
  }

  /** Wakes the reader however it sleeps (at close: it then sees this side closed); closes the doorbells. */
  wakeReaderAtClose(): void {
    this.readerWake.wakeAtClose();
  }

  /** Closes and removes this sender's doorbell (at close, once no send waits). */
  closeBell(): void {
    this.sleeper.close();
  }

  private wakeReader(): void {
    if (this.readerWake.wake()) this.onWokeReader();
  }
}
