import { copyBytes, futexWake, type OwnerIds } from '@ipc/shm';
import { sideOf, type QueueBells } from './queue-bells.js';
import {
  R_BYTES,
  R_LENGTH,
  R_OWNER,
  R_STATE,
  RECORD_HEADER,
  recordBytes,
  RING_OFFSET,
  S_DONE,
  S_IN_FLIGHT,
  S_CLAIMED,
  S_PAD,
  S_READY,
  S_TAKEN,
  S_WRITING,
  stateOf,
  stateWord,
  leaseOf,
  W_CONSUMERS_ARMED,
  W_COUNT,
  W_HEAD,
  W_HEAD_LOCK,
  W_HEAD_LOCK_ARMED,
  W_NOT_EMPTY,
  W_NOT_FULL,
  W_PRODUCERS_ARMED,
  W_RECLAIM,
  W_REQUEUED,
  W_REQUEUED_FROM,
  W_TAIL,
  W_TAIL_LOCK,
  W_TAIL_LOCK_ARMED,
} from './queue-layout.js';
import { RobustLock } from './robust-lock.js';
/** What {@link QueueRing.put} did. */
export type PutResult = 'ok' | 'full' | 'locked';

/**
 * The ring of records in a queue segment, its producer side and its shared state: reserve/commit
 * (put), reclaiming consumed space, the snapshots of what waits, marking a record done or ready
 * again, and the wake-ups of sleeping producers and consumers. Taking records is `QueueTaker`'s
 * (one per handle), settling deliveries `queue-settle.ts`'s, recovering what dead processes left
 * `queue-recovery.ts`'s.
 *
 * Producers reserve a record under the tail lock (a few stores), then copy the payload outside any
 * lock and commit by storing `READY` in the record's state word: a record is never delivered before
 * that store, so a producer killed while copying leaves a `WRITING` record, never a half message; a
 * consumer that finds such a record at the head with its owner dead marks it `DONE` and goes on.
 * Consumers take the head record under the head lock. Consumed space is reclaimed in order by
 * producers (under the tail lock) when they need room.
 */
export class QueueRing {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly u8: Uint8Array;
  readonly capacity: number;
  readonly mask: number;
  readonly maxMessages: number;
  readonly tailLock: RobustLock;
  readonly headLock: RobustLock;
  readonly ringI32: Int32Array;

  constructor(
    buffer: ArrayBuffer,
    /** The owner ids of the processes using the queue (this one's, and who is alive). */
    readonly ids: OwnerIds,
    /** Rings the doorbells of the sleepers a wake-up is for. */
    private readonly bells: QueueBells,
  ) {
    this.i32 = new Int32Array(buffer, 0, RING_OFFSET / 4);
    this.capacity = this.i32[2] ?? 0;
    this.maxMessages = this.i32[3] ?? 0;
    this.mask = this.capacity - 1;
    this.f64 = new Float64Array(buffer, RING_OFFSET, this.capacity / 8);
    this.u8 = new Uint8Array(buffer, RING_OFFSET, this.capacity);
    this.ringI32 = new Int32Array(buffer, RING_OFFSET, this.capacity / 4);
    this.tailLock = new RobustLock(this.i32, W_TAIL_LOCK, W_TAIL_LOCK_ARMED, ids, () => this.#recount());
    this.headLock = new RobustLock(this.i32, W_HEAD_LOCK, W_HEAD_LOCK_ARMED, ids, () => undefined);
  }

  /** The largest payload one message can have, in bytes. */
  get maxPayload(): number {
    return this.capacity - RECORD_HEADER;
  }

  // ---------------------------------------------------------------- producers

  /** Writes one message if there is room now. `'locked'`: the tail lock is contended, retry asynchronously. */
  put(payload: Uint8Array): PutResult {
    if (!this.tailLock.tryAcquire()) return 'locked';
    return this.putLocked(payload);
  }

  /** {@link put} with the tail lock already held (it is released here). */
  putLocked(payload: Uint8Array): PutResult {
    let at: number;
    try {
      at = this.#reserve(payload.byteLength);
    } finally {
      this.tailLock.release();
    }
    if (at < 0) return 'full';
    copyBytes(this.u8, payload, at + RECORD_HEADER);
    // Commit only a record still ours and still being written: if a consumer wrongly judged this
    // process dead and abandoned it, the message was not delivered — put it again.
    const w = at >> 2;
    const writing = stateWord(0, S_WRITING);
    if (
      Atomics.load(this.ringI32, w + R_OWNER) !== this.ids.selfId ||
      Atomics.compareExchange(this.ringI32, w + R_STATE, writing, stateWord(0, S_READY)) !== writing
    ) {
      return this.put(payload);
    }
    this.notifyConsumers();
    return 'ok';
  }

  /** Reserves a record (tail lock held): returns its offset, or -1 when there is no room. */
  #reserve(length: number): number {
    const { i32, ringI32 } = this;
    const need = recordBytes(length);
    let tail = Atomics.load(i32, W_TAIL);
    let off = tail & this.mask;
    const toEnd = this.capacity - off;
    if (need > toEnd) {
      // Fill up to the end with a pad record, then start again at offset 0.
      if (this.#free(tail) < toEnd) {
        this.reclaimLocked();
        if (this.#free(tail) < toEnd) return -1;
      }
      const w = off >> 2;
      Atomics.store(ringI32, w + R_OWNER, this.ids.selfId);
      Atomics.store(ringI32, w + R_LENGTH, toEnd - RECORD_HEADER);
      Atomics.store(ringI32, w + R_BYTES, toEnd);
      Atomics.store(ringI32, w + R_STATE, stateWord(0, S_PAD));
      tail = (tail + toEnd) | 0;
      Atomics.store(i32, W_TAIL, tail);
      off = 0;
    }
    if (this.#free(tail) < need || Atomics.load(i32, W_COUNT) >= this.maxMessages) {
      this.reclaimLocked();
      if (this.#free(tail) < need || Atomics.load(i32, W_COUNT) >= this.maxMessages) return -1;
    }
    const w = off >> 2;
    Atomics.store(ringI32, w + R_STATE, stateWord(0, S_WRITING));
    // Plain stores: readers see them through the atomic store of the tail below.
    ringI32[w + R_OWNER] = this.ids.selfId;
    ringI32[w + R_LENGTH] = length;
    ringI32[w + R_BYTES] = need;
    Atomics.store(i32, W_TAIL, (tail + need) | 0);
    Atomics.add(i32, W_COUNT, 1);
    return off;
  }

  #free(tail: number): number {
    return this.capacity - ((tail - Atomics.load(this.i32, W_RECLAIM)) >>> 0);
  }

  /** Moves `reclaim` over consumed records (tail lock held). */
  reclaimLocked(): void {
    const { i32, ringI32 } = this;
    let reclaim = Atomics.load(i32, W_RECLAIM);
    const head = Atomics.load(i32, W_HEAD);
    let freed = 0;
    while (reclaim !== head) {
      const w = (reclaim & this.mask) >> 2;
      const state = stateOf(Atomics.load(ringI32, w + R_STATE));
      if (state !== S_DONE && state !== S_PAD) break;
      if (state === S_DONE) freed++;
      reclaim = (reclaim + Atomics.load(ringI32, w + R_BYTES)) | 0;
    }
    Atomics.store(i32, W_RECLAIM, reclaim);
    if (freed > 0) Atomics.sub(i32, W_COUNT, freed);
  }

  /** After taking over the tail lock from a dead holder: recount the records between reclaim and tail. */
  #recount(): void {
    const { i32, ringI32 } = this;
    let at = Atomics.load(i32, W_RECLAIM);
    const tail = Atomics.load(i32, W_TAIL);
    let count = 0;
    while (at !== tail) {
      const w = (at & this.mask) >> 2;
      if (stateOf(Atomics.load(ringI32, w + R_STATE)) !== S_PAD) count++;
      at = (at + Atomics.load(ringI32, w + R_BYTES)) | 0;
    }
    Atomics.store(i32, W_COUNT, count);
  }

  /** Marks the record at word `w` done (from `expected`) and lets waiting producers know; false if it changed. */
  markDone(w: number, expected: number): boolean {
    if (
      Atomics.compareExchange(this.ringI32, w + R_STATE, expected, stateWord(leaseOf(expected), S_DONE)) !==
      expected
    ) {
      return false;
    }
    this.notifyProducers();
    return true;
  }

  /** Counts a record at `position` behind the head made ready again (head lock held), and moves the scan hint. */
  noteRequeued(position: number): void {
    const { i32 } = this;
    const head = Atomics.load(i32, W_HEAD);
    const first = Atomics.add(i32, W_REQUEUED, 1) <= 0;
    if (first || (head - position) >>> 0 > (head - Atomics.load(i32, W_REQUEUED_FROM)) >>> 0) {
      Atomics.store(i32, W_REQUEUED_FROM, position);
    }
  }

  // ---------------------------------------------------------------- state

  /** Whether a get could find something now (a cheap hint: no lock). */
  hasWork(): boolean {
    return (
      Atomics.load(this.i32, W_HEAD) !== Atomics.load(this.i32, W_TAIL) ||
      Atomics.load(this.i32, W_REQUEUED) > 0
    );
  }

  /**
   * Whether a get that found the head record at `position` being written could now find something
   * else: that record was committed or given up, the head moved, or a record was put back. (While it
   * is being written {@link hasWork} holds, so a wait on that would never end if its writer died.)
   */
  hasWorkPastWriting(position: number): boolean {
    if (Atomics.load(this.i32, W_REQUEUED) > 0) return true;
    if (Atomics.load(this.i32, W_HEAD) !== position) return this.hasWork();
    return stateOf(Atomics.load(this.ringI32, ((position & this.mask) >> 2) + R_STATE)) !== S_WRITING;
  }

  /** Messages waiting for a consumer (committed or being written), counted under the head lock. */
  waiting(): number {
    const { i32, ringI32 } = this;
    let n = Math.max(0, Atomics.load(i32, W_REQUEUED));
    let at = Atomics.load(i32, W_HEAD);
    const tail = Atomics.load(i32, W_TAIL);
    while (at !== tail) {
      const w = (at & this.mask) >> 2;
      const state = stateOf(Atomics.load(ringI32, w + R_STATE));
      if (state !== S_PAD && state !== S_DONE) n++;
      at = (at + Atomics.load(ringI32, w + R_BYTES)) | 0;
    }
    return n;
  }

  /** Whether a put of the smallest message would have to wait now. */
  full(): boolean {
    const tail = Atomics.load(this.i32, W_TAIL);
    return Atomics.load(this.i32, W_COUNT) >= this.maxMessages || this.#free(tail) < recordBytes(0);
  }

  /** The head record's state and owner (for liveness checks), or undefined when the ring is empty. */
  headRecord(): { position: number; state: number; owner: number } | undefined {
    const head = Atomics.load(this.i32, W_HEAD);
    if (head === Atomics.load(this.i32, W_TAIL)) return undefined;
    const w = (head & this.mask) >> 2;
    return {
      position: head,
      state: stateOf(Atomics.load(this.ringI32, w + R_STATE)),
      owner: Atomics.load(this.ringI32, w + R_OWNER),
    };
  }

  /** Whether the oldest unreclaimed record is held by a plain take or a delivery in flight. */
  stuckAtReclaim(): boolean {
    const reclaim = Atomics.load(this.i32, W_RECLAIM);
    if (reclaim === Atomics.load(this.i32, W_HEAD)) return false;
    const state = stateOf(Atomics.load(this.ringI32, ((reclaim & this.mask) >> 2) + R_STATE));
    return state === S_TAKEN || state === S_IN_FLIGHT || state === S_CLAIMED;
  }

  /**
   * A message became available: wakes the consumers that armed {@link W_CONSUMERS_ARMED} before
   * sleeping — one wake-up (a system call) per sleep, not one per message while they wake up. The
   * flag is cleared after the wake-up, and only if it still holds the arming seen (a consumer that
   * armed again meanwhile keeps its flag), so a notifier killed half-way leaves it for the next one.
   */
  notifyConsumers(): void {
    this.#notify(W_CONSUMERS_ARMED, W_NOT_EMPTY);
  }

  /** A record was freed: wakes the producers that armed {@link W_PRODUCERS_ARMED} (see {@link notifyConsumers}). */
  notifyProducers(): void {
    this.#notify(W_PRODUCERS_ARMED, W_NOT_FULL);
  }

  #notify(armedWord: number, counterWord: number): void {
    const armed = Atomics.load(this.i32, armedWord);
    if (armed === 0) return;
    this.#wake(counterWord);
    Atomics.compareExchange(this.i32, armedWord, armed, 0);
  }

  #wake(counterWord: number): void {
    Atomics.add(this.i32, counterWord, 1);
    futexWake(this.i32, counterWord);
    this.bells.ring(sideOf(counterWord));
  }

  /** Wakes every consumer sleeping on {@link W_NOT_EMPTY}, armed or not. */
  wakeConsumers(): void {
    this.#wake(W_NOT_EMPTY);
  }

  /** Wakes every producer sleeping on {@link W_NOT_FULL}, armed or not. */
  wakeProducers(): void {
    this.#wake(W_NOT_FULL);
  }
}
