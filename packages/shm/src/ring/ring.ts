import { IpcError } from '@ipc/core';
import { isProcessAlive, selfStartTime } from '@ipc/kit';

/**
 * One single-producer / single-consumer byte ring in shared memory, carrying variable-size records.
 *
 * Header (256 bytes; the hot words on their own cache lines), as Int32 indexes:
 * `[0]` write position, `[16]` read position (both byte counters modulo 2^32), `[32]` reader asleep,
 * `[33]` writer asleep, `[34]` writer closed, `[35]` reader closed, `[36]` capacity, `[38]` writer pid,
 * `[40]` reader pid; float64 at bytes 168/176: writer/reader start times; then the doorbells (see
 * `ring-sleep.ts`): `[46]` the reader's doorbell id (0: none yet), `[47]` the writer rings doorbells
 * (set by writers that know how: a reader sleeps by its doorbell only then, else on the futex), `[48]`
 * the writer could not ring it (the reader goes back to the futex); `[49]`–`[51]` the same for a
 * writer waiting for room. Then `capacity` bytes of data.
 *
 * A record is `[int32 length][int32 info][payload, padded to 8 bytes]`, never split at the end of the
 * ring: a length of -1 means "skip to the start". `info` is the whole message length on a message's
 * first record (equal to `length` for an unfragmented message) and -2 on the records that continue a
 * message bigger than one record.
 */
export const HEADER_BYTES = 256;
export const W_POS = 0;
export const R_POS = 16;
export const R_ASLEEP = 32;
export const W_ASLEEP = 33;
const W_CLOSED = 34;
const R_CLOSED = 35;
const CAPACITY = 36;
const W_PID = 38;
const R_PID = 40;
const W_START = 21; // float64 index (byte 168)
const R_START = 22; // float64 index (byte 176)
/** The reader's doorbell id (see `Doorbell`): 0 before it made one. */
export const R_BELL_ID = 46;
/** 1 once a writer that rings doorbells attached. */
export const W_RINGS_BELLS = 47;
/** 1 once the writer failed to ring the reader's doorbell (the reader then sleeps on the futex). */
export const W_BELL_FAILED = 48;
/** The writer's doorbell id (it sleeps by it while the ring is full): 0 before it made one. */
export const W_BELL_ID = 49;
/** 1 once a reader that rings doorbells attached. */
export const R_RINGS_BELLS = 50;
/** 1 once the reader failed to ring the writer's doorbell (the writer then sleeps on the futex). */
export const R_BELL_FAILED = 51;
/** `R_ASLEEP` values: the reader sleeps on the futex (`W_POS`), or by its doorbell. */
export const ASLEEP_FUTEX = 1;
export const ASLEEP_BELL = 2;
/** Record header bytes. */
export const RECORD_HEADER = 8;
const WRAP = -1;
/** `info` of a record that continues a fragmented message. */
export const CONTINUED = -2;

/** Which side of a ring this process plays. */
export type RingSide = 'writer' | 'reader';

/** A ring over mapped memory: the bookkeeping; waiting is the channel's business. */
export class Ring {
  /** The header words. */
  readonly h: Int32Array;
  private readonly f: Float64Array;
  /** The data bytes. */
  readonly data: Uint8Array;
  private readonly words: Int32Array;
  /** Data bytes. */
  readonly capacity: number;
  private readonly mask: number;

  constructor(buffer: ArrayBuffer, offset: number) {
    this.h = new Int32Array(buffer, offset, HEADER_BYTES / 4);
    this.f = new Float64Array(buffer, offset, HEADER_BYTES / 8);
    this.capacity = this.h[CAPACITY] ?? 0;
    if (this.capacity < 64 || (this.capacity & (this.capacity - 1)) !== 0) {
      throw new IpcError('ERR_INVALID_ARGUMENT', 'this memory does not hold an @ipc/shm ring');
    }
    this.mask = this.capacity - 1;
    this.data = new Uint8Array(buffer, offset + HEADER_BYTES, this.capacity);
    this.words = new Int32Array(buffer, offset + HEADER_BYTES, this.capacity / 4);
    this.readSeen = Atomics.load(this.h, R_POS) >>> 0;
    this.writeSeen = Atomics.load(this.h, W_POS) >>> 0;
  }

  /** Prepares a ring of `capacity` data bytes (a power of two, 64 to 2^30) at `offset`. */
  static init(buffer: ArrayBuffer, offset: number, capacity: number): void {
    const h = new Int32Array(buffer, offset, HEADER_BYTES / 4);
    h.fill(0);
    Atomics.store(h, CAPACITY, capacity);
  }

  /** Records this process as the `side` of the ring. */
  attach(side: RingSide): void {
    this.f[side === 'writer' ? W_START : R_START] = selfStartTime();
    Atomics.store(this.h, side === 'writer' ? W_PID : R_PID, process.pid);
    Atomics.store(this.h, side === 'writer' ? W_BELL_FAILED : R_BELL_FAILED, 0);
    Atomics.store(this.h, side === 'writer' ? W_RINGS_BELLS : R_RINGS_BELLS, 1);
  }

  /** The pid of the process on `side` (0 before it attached). */
  pid(side: RingSide): number {
    return Atomics.load(this.h, side === 'writer' ? W_PID : R_PID);
  }

  /**
   * Whether the `side` is known to be gone: closed, or (when `probe`, which reads `/proc`) its process
   * died. Not attached yet: not gone.
   */
  gone(side: RingSide, probe: boolean): 'closed' | 'dead' | undefined {
    if (Atomics.load(this.h, side === 'writer' ? W_CLOSED : R_CLOSED) !== 0) return 'closed';
    if (!probe) return undefined;
    const pid = this.pid(side);
    if (pid === 0 || pid === process.pid) return undefined;
    return isProcessAlive(pid, this.f[side === 'writer' ? W_START : R_START] ?? 0) ? undefined : 'dead';
  }

  /** Marks `side` closed (the other side sees it on its next look). */
  markClosed(side: RingSide): void {
    Atomics.store(this.h, side === 'writer' ? W_CLOSED : R_CLOSED, 1);
  }

  /**
   * The largest payload of one record: a quarter of the ring (its 8-byte header on top), so that
   * writer and reader overlap — and a message of exactly a quarter (1 MiB in a 4 MiB ring) travels
   * whole, not in two pieces (the second of 8 bytes), which measured 6 to 8 times slower.
   */
  get maxRecord(): number {
    return this.capacity / 4;
  }

  // ---- writer side ----

  /**
   * Reserves a record of `length` payload bytes if the ring has room; returns the payload's offset
   * in `data` (the caller writes there, then calls {@link Ring.publish}), or -1 when full.
   */
  reserve(length: number): number {
    const w = Atomics.load(this.h, W_POS) >>> 0;
    const need = RECORD_HEADER + ((length + 7) & ~7);
    const at = w & this.mask;
    const tail = this.capacity - at;
    const skip = need > tail ? tail : 0;
    if (this.used(w, skip + need) + skip + need > this.capacity) return -1;
    if (skip > 0) {
      this.words[at >> 2] = WRAP;
      this.pending = skip;
      return RECORD_HEADER;
    }
    this.pending = 0;
    return at + RECORD_HEADER;
  }

  /**
   * Reserves the contiguous room at the write position, for a writer that learns a record's size by
   * writing it: the payload's offset in `data`, with {@link Ring.room} the most payload bytes it may
   * take (at most {@link Ring.maxRecord}); -1 when fewer than `atLeast` bytes are there. Publish
   * with {@link Ring.publish}.
   */
  reserveRoom(atLeast: number): number {
    const w = Atomics.load(this.h, W_POS) >>> 0;
    const at = w & this.mask;
    const tail = this.capacity - at;
    const want = Math.min(tail, RECORD_HEADER + this.maxRecord);
    const room = Math.min(want, this.capacity - this.used(w, want)) - RECORD_HEADER;
    if (room < atLeast) return -1;
    this.room = room;
    this.pending = 0;
    return at + RECORD_HEADER;
  }

  /** Payload bytes the last {@link Ring.reserveRoom} made room for. */
  room = 0;

  /**
   * Bytes in use from the writer's view (write position `w`): from the read position it saw last,
   * looked up again only when that leaves less than `need` free — the reader's word is then read
   * once per lap of the ring rather than once per record.
   */
  private used(w: number, need: number): number {
    let used = (w - this.readSeen) >>> 0;
    if (used + need > this.capacity) {
      this.readSeen = Atomics.load(this.h, R_POS) >>> 0;
      used = (w - this.readSeen) >>> 0;
    }
    return used;
  }

  private readSeen: number; // the writer's last look at the read position
  private writeSeen: number; // the reader's last look at the write position

  private pending = 0;

  /** Publishes the record reserved last: `length` payload bytes, `info` as described in the class doc. */
  publish(payloadOffset: number, length: number, info: number): void {
    const at = payloadOffset - RECORD_HEADER;
    this.words[at >> 2] = length;
    this.words[(at >> 2) + 1] = info;
    const w = Atomics.load(this.h, W_POS);
    Atomics.store(this.h, W_POS, (w + this.pending + RECORD_HEADER + ((length + 7) & ~7)) | 0);
  }

  // ---- reader side ----

  /** Payload offset in `data` of the record found by the last successful {@link Ring.peek}. */
  recOffset = 0;
  /** Payload length of that record. */
  recLength = 0;
  /** `info` of that record (see the class doc). */
  recInfo = 0;
  /** What {@link Ring.consume} must release for that record, wrap skip included. */
  recSize = 0;
  /** Bytes skipped before that record (the unused end of the ring when it wrapped), else 0. */
  recSkip = 0;
  private recAvail = 0; // published bytes from that record's header on

  /**
   * Looks at the next record without taking it: false when the ring is empty; otherwise true, with
   * the record described by `recOffset`, `recLength`, `recInfo` and `recSize` (no allocation: this
   * runs once per message).
   */
  peek(): boolean {
    const r = Atomics.load(this.h, R_POS) >>> 0;
    let w = this.writeSeen;
    if (r === w) {
      w = this.writeSeen = Atomics.load(this.h, W_POS) >>> 0;
      if (r === w) return false;
    }
    let at = r & this.mask;
    let skip = 0;
    if (this.words[at >> 2] === WRAP) {
      skip = this.capacity - at;
      at = 0;
    }
    const length = this.words[at >> 2] ?? 0;
    this.recOffset = at + RECORD_HEADER;
    this.recLength = length;
    this.recInfo = this.words[(at >> 2) + 1] ?? 0;
    this.recSkip = skip;
    this.recSize = skip + RECORD_HEADER + ((length + 7) & ~7);
    this.recAvail = ((w - r) >>> 0) - skip;
    return true;
  }

  /**
   * Bytes from the header of the record found by the last {@link Ring.peek} (a whole message, which
   * this counts in any case) through the whole-message records published right after it, contiguous
   * in `data` and in all at most `maxBytes`: a run of messages to copy out at once.
   */
  wholeRun(maxBytes: number): number {
    const start = this.recOffset - RECORD_HEADER;
    const limit = start + Math.min(this.recAvail, this.capacity - start);
    let end = start + RECORD_HEADER + ((this.recLength + 7) & ~7);
    while (end + RECORD_HEADER <= limit) {
      const length = this.words[end >> 2] ?? -1;
      if (length < 0 || this.words[(end >> 2) + 1] !== length) break;
      const next = end + RECORD_HEADER + ((length + 7) & ~7);
      if (next > limit || next - start > maxBytes) break;
      end = next;
    }
    return end - start;
  }

  /** Releases `size` bytes (a record from {@link Ring.peek}) to the writer. */
  consume(size: number): void {
    Atomics.store(this.h, R_POS, (Atomics.load(this.h, R_POS) + size) | 0);
  }

  /** Whether the ring holds no record. */
  empty(): boolean {
    return Atomics.load(this.h, R_POS) === Atomics.load(this.h, W_POS);
  }
}
