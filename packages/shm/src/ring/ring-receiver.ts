import { checkTimeout, IpcError, throwIfAborted, type Codec, type WaitOptions } from '@ipc/core';
import { closedError } from './closed-error.js';
import { PeerProbe } from './peer-probe.js';
import { NONE, RecordReader, type Take } from './record-reader.js';
import { Ring } from './ring.js';
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
import type { Spinner } from '../spinner.js';

/**
 * A receiver that keeps waiting doubles its sleeps up to this (ms): an idle receiver wakes up about
 * once a second to check on its peer, and a peer that dies meanwhile is noticed within that.
 */
const MAX_SLEEP_SLICE_MS = 1000;

/**
 * The receiving end of an `ShmChannel`: a receive takes a message at once if one is there, else
 * spins briefly (see {@link Spinner}), else sleeps until the writer wakes it — by its doorbell when
 * the writer rings doorbells, else on the writer's position (futex): see {@link RingSleep} — checking
 * now and then that the writer still lives. Receives that wait are queued in call order.
 */
export class RingReceiver {
  private readonly spinner: Spinner;
  private readonly writer: PeerProbe;
  private readonly reader: RecordReader;
  private readonly receives = new SerialQueue(); // receives that wait, in order
  private wokePeer = false; // a send woke the peer since the last receive spin (its answer comes after a wake-up)
  private readonly sleeper: RingSleep;
  private readonly writerWake: RingWake;

  constructor(
    private readonly rx: Ring,
    codec: Codec<unknown>,
    spinMicros: number,
    /** Whether the channel was closed (receives end with `ERR_CLOSED`). */
    private readonly isClosed: () => boolean,
    /** The permission bits of this receiver's doorbell (the segment's). */
    bellMode: () => number,
  ) {
    this.spinner = ringSpinner(spinMicros);
    this.writer = new PeerProbe(rx, 'writer');
    this.sleeper = new RingSleep(rx, READER_SLEEP, bellMode, isClosed);
    this.writerWake = new RingWake(rx, WRITER_SLEEP);
    this.reader = new RecordReader(rx, codec, () => this.writerWake.wake());
  }

  /** A send of this channel woke the sleeping peer: the next spin waits out its wake-up. */
  notePeerWoken(): void {
    this.wokePeer = true;
  }

  /** A received message, taken as `how` says (see {@link Take}). */
  receive(options: WaitOptions, how: Take): Promise<unknown> {
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

  /** Settles once every receive queued so far has settled (at close, after the sleepers were woken). */
  async drain(): Promise<void> {
    await this.receives.idle;
  }

  /** Ends the sleep of a waiting receive now (at close: it then sees the channel closed). */
  interrupt(): void {
    this.sleeper.interrupt();
  }

  /** Wakes the peer's sender however it waits for room (at close: it then sees this side closed). */
  wakeWriterAtClose(): void {
    this.writerWake.wakeAtClose();
  }

  /** Closes and removes the doorbell (at close, once no receive waits). */
  closeBell(): void {
    this.sleeper.close();
  }

  /** Releases the record a `recvView` still holds (at close). */
  releaseHeld(): void {
    this.reader.releaseHeld();
  }

  /**
   * The synchronous part of a receive: checks, then a message if one is there or arrives while
   * spinning; {@link NONE} when the caller must sleep. Throws what the receive must reject with.
   */
  private receiveNow(options: WaitOptions, how: Take, spin: boolean): unknown {
    if (this.isClosed()) throw closedError();
    checkTimeout(options.timeout);
    throwIfAborted(options.signal);
    this.reader.releaseHeld();
    return this.readOrSpin(how, spin && options.timeout !== 0);
  }

  /** A whole message if there is one, spinning (when `spin`) while records keep arriving. */
  private readOrSpin(how: Take, spin: boolean): unknown {
    const ring = this.rx;
    for (;;) {
      const closed = ring.gone('writer', false);
      const got = this.reader.tryRead(how);
      if (got !== NONE) return got;
      if (closed) throw new IpcError('ERR_CLOSED', 'the peer closed the channel');
      if (!spin || !this.spinner.enabled || !this.writer.remote) return NONE;
      const woke = this.wokePeer;
      this.wokePeer = false;
      if (!this.spinner.spin(() => !ring.empty(), woke)) return NONE;
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
      const gone = ring.gone('writer', this.writer.due());
      if (gone !== undefined) {
        // What the writer published before it closed or died is still delivered.
        got = this.readOrSpin(how, false);
        if (got !== NONE) break;
        if (gone === 'closed') throw new IpcError('ERR_CLOSED', 'the peer closed the channel');
        removeDeadPeerBell(ring, WRITER_SLEEP);
        throw new IpcError('ERR_PEER_GONE', 'the sending process died');
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new IpcError('ERR_TIMEOUT', `timed out after ${String(timeout)} ms`);
      const result = await this.sleeper.sleep(
        () => ring.empty() && !this.isClosed(),
        Math.min(left, slice),
        signal,
      );
      const woken = result !== 'timed-out';
      slice = woken ? SLEEP_SLICE_MS : Math.min(2 * slice, MAX_SLEEP_SLICE_MS);
      if (this.isClosed()) throw closedError();
      throwIfAborted(signal);
      // Spin again only when woken by the writer (more may follow), never after an idle time-out.
      got = this.readOrSpin(how, woken);
    }
    this.spinner.arrived();
    return got;
  }
}
