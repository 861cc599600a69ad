import { futexWake, type OwnerIds } from '@ipc/shm';
import {
  R_BYTES,
  R_DEADLINE_F64,
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
  W_IN_FLIGHT,
  W_JOIN,
  W_NOT_EMPTY,
  W_NOT_FULL,
  W_ORPHANED_CLAIMS,
  W_PRODUCERS_ARMED,
  W_RECLAIM,
  W_REQUEUED,
  W_REQUEUED_FROM,
  W_TAIL,
  W_TAIL_LOCK,
  W_TAIL_LOCK_ARMED,
  W_TAKES,
} from './queue-layout.js';
import { RobustLock } from './robust-lock.js';

/** What {@link QueueRing.take} found. */
export type TakeResult =
  | {
      readonly kind: 'message';
      /**
       * The payload: the first `length` bytes — of the buffer the handle reuses, valid until its next
       * take; or, without `reuseCopy`, of a buffer of exactly `length` bytes that is the caller's.
       */
      readonly bytes: Uint8Array;
      readonly length: number;
      readonly position: number;
      readonly lease: number;
    }
  | { readonly kind: 'empty' }
  | { readonly kind: 'writing'; readonly owner: number; readonly position: number }
  | { readonly kind: 'locked' };

/** What {@link QueueRing.put} did. */
export type PutResult = 'ok' | 'full' | 'locked';

/** The most records one plain take hands out and claims at once. */
export const MAX_CLAIM = 16;
/** A handle whose next get comes within this many ms of its last delivery claims ahead. */
const FAST_LOOP_MS = 0.05;

const EMPTY: TakeResult = { kind: 'empty' };
const LOCKED: TakeResult = { kind: 'locked' };

/**
 * The ring of records in a queue segment and every synchronous step on it: reserve/commit (put),
 * take (get), ack/nack, reclaiming consumed space, and the recovery of what dead processes left.
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

  /** This handle's claimed records, oldest first: ring positions and leases, `#claimAt` to `#claimEnd`. */
  readonly #claimPos = new Int32Array(MAX_CLAIM);
  readonly #claimLease = new Int32Array(MAX_CLAIM);
  #claimAt = 0;
  #claimEnd = 0;
  /** The tail as last read: records before it exist (the head is compared with it before `W_TAIL` is read again). */
  #tailSeen = 0;
  /** When this handle last handed out a message without a local one left (`performance.now()`), or -Infinity. */
  #drainedAt = Number.NEGATIVE_INFINITY;

  constructor(
    buffer: ArrayBuffer,
    private readonly ids: OwnerIds,
    private readonly onTake: () => void,
    private readonly onClaims: (delta: number) => void = () => undefined,
    /**
     * Whether a take may copy its payload into one buffer this handle reuses (the caller decodes it
     * before the next take) — else each take copies into a `Buffer` of its own, which the caller may keep.
     */
    private readonly reuseCopy = true,
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
    this.u8.set(payload, at + RECORD_HEADER);
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

  // ---------------------------------------------------------------- consumers

  /**
   * Takes the next message if there is one now: plain (`visibility` undefined: at-most-once, the
   * record is done once copied) or with ack (`visibility` ms: in flight until acked or redelivered).
   * A plain take returns this handle's oldest claimed record first, without any lock.
   */
  take(visibility: number | undefined): TakeResult {
    if (this.#claimAt < this.#claimEnd && visibility === undefined) {
      const claimed = this.#returnClaim();
      if (claimed !== undefined) return claimed;
    }
    if (!this.headLock.tryAcquire()) return LOCKED;
    return this.takeLocked(visibility);
  }

  /** Records claimed by this handle and not handed out yet. */
  get claimed(): number {
    return this.#claimEnd - this.#claimAt;
  }

  /**
   * {@link take} with the head lock already held (it is released here). A plain take by a consumer
   * that keeps coming back at once (a loop of gets) also claims up to {@link MAX_CLAIM} - 1 more
   * ready records behind the one it returns — at most half of what waits — so that its next gets
   * need no lock; claimed records stay in the ring, undelivered, until returned (see `S_CLAIMED`).
   */
  takeLocked(visibility: number | undefined): TakeResult {
    if (this.#claimAt < this.#claimEnd && visibility === undefined) {
      this.headLock.release();
      return this.take(undefined);
    }
    const { i32, ringI32 } = this;
    // Nothing is allocated while the lock is held (a garbage collection there would make the other
    // consumers wait for it): what is found is kept in locals, the result built after the release.
    let at = -1;
    let position = 0;
    let lease = 0;
    let writing = false; // the head record is being written (by `writer`)
    let writer = 0;
    try {
      let rare: { at: number; position: number; lease: number } | undefined;
      if (this.#claimAt < this.#claimEnd && visibility !== undefined) rare = this.#convertClaim(visibility);
      if (rare === undefined && Atomics.load(i32, W_REQUEUED) > 0) {
        rare = this.#takeRequeued(visibility);
        if (rare === LOCKED_MARK) return LOCKED;
      }
      if (rare !== undefined) ({ at, position, lease } = rare);
      else {
        let head = Atomics.load(i32, W_HEAD);
        for (;;) {
          if (((this.#tailSeen - head) | 0) <= 0) {
            this.#tailSeen = Atomics.load(i32, W_TAIL);
            if (head === this.#tailSeen) break;
          }
          const offset = head & this.mask;
          const w = offset >> 2;
          const word = Atomics.load(ringI32, w + R_STATE);
          const state = stateOf(word);
          const bytes = ringI32[w + R_BYTES] ?? 0;
          if (state === S_PAD || state === S_DONE) {
            head = (head + bytes) | 0;
            Atomics.store(i32, W_HEAD, head);
            continue;
          }
          if (state === S_WRITING) {
            writing = true;
            writer = Atomics.load(ringI32, w + R_OWNER);
            position = head;
            break;
          }
          // READY — or TAKEN/IN_FLIGHT/CLAIMED left at the head by a consumer that died before moving
          // the head: it never returned that message, so it is delivered now.
          lease = this.#mark(w, word, visibility);
          at = offset;
          position = head;
          head = (head + bytes) | 0;
          Atomics.store(i32, W_HEAD, head);
          if (visibility === undefined && ((this.#tailSeen - head) | 0) >= bytes * 2) {
            this.#claimMore(head, bytes);
          }
          break;
        }
      }
    } finally {
      this.headLock.release();
    }
    if (writing) return { kind: 'writing', owner: writer, position };
    if (at < 0) return EMPTY;
    const length = this.#copyOut(at);
    if (visibility === undefined) {
      this.#done(at >> 2, stateWord(lease, S_TAKEN));
      if (this.#claimAt === this.#claimEnd) this.#drainedAt = performance.now();
    }
    return { kind: 'message', bytes: this.#copy, length, position, lease };
  }

  /**
   * Copies the payload of the record at byte offset `at` into {@link QueueRing.#copy}: the buffer this
   * handle reuses (see `reuseCopy`), else a new `Buffer` from Node's pool; returns its length.
   */
  #copyOut(at: number): number {
    const length = this.ringI32[(at >> 2) + R_LENGTH] ?? 0;
    const start = at + RECORD_HEADER;
    if (!this.reuseCopy) this.#copy = Buffer.allocUnsafe(length);
    else if (length > this.#copy.length) this.#copy = new Uint8Array(Math.max(length, 2 * this.#copy.length));
    this.#copy.set(this.u8.subarray(start, start + length));
    return length;
  }

  #copy = new Uint8Array(4096);

  /**
   * Claims ready records from `head` on (head lock held), when this handle's gets come back to back:
   * at most {@link MAX_CLAIM} - 1 and half of what waits (estimated from the bytes up to the tail
   * seen, in records the size of the one just taken), so that other consumers keep their share.
   */
  #claimMore(head: number, bytes: number): void {
    if (performance.now() - this.#drainedAt >= FAST_LOOP_MS) return;
    const waiting = ((this.#tailSeen - head) | 0) / bytes;
    const want = Math.min(MAX_CLAIM - 1, waiting >> 1);
    if (want <= 0) return;
    const { i32, ringI32 } = this;
    // Counted before the records become claimed (never fewer than there are), corrected after.
    this.onClaims(want);
    let n = 0;
    while (n < want && ((this.#tailSeen - head) | 0) > 0) {
      const w = (head & this.mask) >> 2;
      const word = Atomics.load(ringI32, w + R_STATE);
      if (stateOf(word) !== S_READY) break;
      const lease = Atomics.add(i32, W_TAKES, 1) + 1;
      ringI32[w + R_OWNER] = this.ids.selfId;
      Atomics.compareExchange(ringI32, w + R_STATE, word, stateWord(lease, S_CLAIMED));
      this.#claimPos[n] = head;
      this.#claimLease[n] = lease & 0x0fffffff;
      n++;
      head = (head + (ringI32[w + R_BYTES] ?? 0)) | 0;
      Atomics.store(i32, W_HEAD, head);
    }
    if (n < want) this.onClaims(n - want);
    this.#claimAt = 0;
    this.#claimEnd = n;
  }

  /** Returns this handle's oldest claimed record as a plain delivery (no lock: it is this handle's). */
  #returnClaim(): TakeResult | undefined {
    while (this.#claimAt < this.#claimEnd) {
      const position = this.#claimPos[this.#claimAt] ?? 0;
      const lease = this.#claimLease[this.#claimAt] ?? 0;
      this.#claimAt++;
      const at = position & this.mask;
      const length = this.#copyOut(at);
      const claimed = stateWord(lease, S_CLAIMED);
      const ok =
        Atomics.compareExchange(this.ringI32, (at >> 2) + R_STATE, claimed, stateWord(lease, S_DONE)) ===
        claimed;
      if (ok) this.onTake();
      this.onClaims(-1);
      if (this.#claimAt === this.#claimEnd) this.#drainedAt = performance.now();
      if (!ok) continue; // put back by a recovery that judged this process dead: not ours any more
      this.notifyProducers();
      return { kind: 'message', bytes: this.#copy, length, position, lease };
    }
    return undefined;
  }

  /** Turns this handle's oldest claimed record into a delivery with ack (head lock held). */
  #convertClaim(visibility: number): { at: number; position: number; lease: number } | undefined {
    while (this.#claimAt < this.#claimEnd) {
      const position = this.#claimPos[this.#claimAt] ?? 0;
      const lease = this.#claimLease[this.#claimAt] ?? 0;
      this.#claimAt++;
      const w = (position & this.mask) >> 2;
      this.f64[(w >> 1) + R_DEADLINE_F64] = Date.now() + visibility;
      const claimed = stateWord(lease, S_CLAIMED);
      const ok =
        Atomics.compareExchange(this.ringI32, w + R_STATE, claimed, stateWord(lease, S_IN_FLIGHT)) ===
        claimed;
      if (ok) {
        Atomics.add(this.i32, W_IN_FLIGHT, 1);
        this.onTake();
      }
      this.onClaims(-1);
      if (ok) return { at: position & this.mask, position, lease };
    }
    return undefined;
  }

  /**
   * Puts this handle's claimed records back (head lock held): ready again, delivered before newer
   * ones, to any consumer. Used on close, and when the handle stops getting while it holds some.
   */
  releaseClaimsLocked(): void {
    let released = 0;
    const n = this.#claimEnd - this.#claimAt;
    while (this.#claimAt < this.#claimEnd) {
      const position = this.#claimPos[this.#claimAt] ?? 0;
      const lease = this.#claimLease[this.#claimAt] ?? 0;
      this.#claimAt++;
      const claimed = stateWord(lease, S_CLAIMED);
      const w = (position & this.mask) >> 2;
      if (
        Atomics.compareExchange(this.ringI32, w + R_STATE, claimed, stateWord(lease, S_READY)) === claimed
      ) {
        this.#noteRequeued(position);
        released++;
      }
    }
    if (n > 0) this.onClaims(-n);
    if (released > 0) this.wakeConsumers();
  }

  /** Marks the record at word `w` taken (head lock held) and counts the task; returns the new lease. */
  #mark(w: number, word: number, visibility: number | undefined): number {
    const lease = Atomics.add(this.i32, W_TAKES, 1) + 1;
    Atomics.store(this.ringI32, w + R_OWNER, this.ids.selfId);
    if (visibility !== undefined) {
      this.f64[(w >> 1) + R_DEADLINE_F64] = Date.now() + visibility;
      Atomics.add(this.i32, W_IN_FLIGHT, 1);
    }
    this.onTake();
    Atomics.compareExchange(
      this.ringI32,
      w + R_STATE,
      word,
      stateWord(lease, visibility === undefined ? S_TAKEN : S_IN_FLIGHT),
    );
    return lease & 0x0fffffff;
  }

  /** Counts a record at `position` behind the head made ready again (head lock held), and moves the scan hint. */
  #noteRequeued(position: number): void {
    const { i32 } = this;
    const head = Atomics.load(i32, W_HEAD);
    const first = Atomics.add(i32, W_REQUEUED, 1) <= 0;
    if (first || (head - position) >>> 0 > (head - Atomics.load(i32, W_REQUEUED_FROM)) >>> 0) {
      Atomics.store(i32, W_REQUEUED_FROM, position);
    }
  }

  /**
   * Takes a redelivered record from behind the head (head lock held; takes the tail lock to scan,
   * from the hint `W_REQUEUED_FROM` when it lies between `reclaim` and the head).
   */
  #takeRequeued(visibility: number | undefined): { at: number; position: number; lease: number } | undefined {
    if (!this.tailLock.tryAcquire()) return LOCKED_MARK;
    try {
      const { i32, ringI32 } = this;
      const head = Atomics.load(i32, W_HEAD);
      const reclaim = Atomics.load(i32, W_RECLAIM);
      const from = Atomics.load(i32, W_REQUEUED_FROM);
      let at = (head - from) >>> 0 <= (head - reclaim) >>> 0 ? from : reclaim;
      while (at !== head) {
        const w = (at & this.mask) >> 2;
        const word = Atomics.load(ringI32, w + R_STATE);
        const bytes = Atomics.load(ringI32, w + R_BYTES);
        if (stateOf(word) === S_READY) {
          Atomics.sub(i32, W_REQUEUED, 1);
          Atomics.store(i32, W_REQUEUED_FROM, (at + bytes) | 0);
          return { at: at & this.mask, position: at, lease: this.#mark(w, word, visibility) };
        }
        at = (at + bytes) | 0;
      }
      Atomics.store(i32, W_REQUEUED, 0);
      return undefined;
    } finally {
      this.tailLock.release();
    }
  }

  /** Marks a record done (from `expected`) and lets waiting producers know. */
  #done(w: number, expected: number): boolean {
    if (
      Atomics.compareExchange(this.ringI32, w + R_STATE, expected, stateWord(leaseOf(expected), S_DONE)) !==
      expected
    ) {
      return false;
    }
    this.notifyProducers();
    return true;
  }

  /** Acknowledges a delivery made with ack; false when it was redelivered meanwhile (timeout, nack). */
  ack(position: number, lease: number): boolean {
    const w = (position & this.mask) >> 2;
    if (Atomics.load(this.ringI32, w + R_OWNER) !== this.ids.selfId) return false;
    if (!this.#done(w, stateWord(lease, S_IN_FLIGHT))) return false;
    Atomics.sub(this.i32, W_IN_FLIGHT, 1);
    return true;
  }

  /** Puts a delivery made with ack back for redelivery (head lock held); false when it was not in flight. */
  nackLocked(position: number, lease: number): boolean {
    const w = (position & this.mask) >> 2;
    const expected = stateWord(lease, S_IN_FLIGHT);
    if (Atomics.load(this.ringI32, w + R_OWNER) !== this.ids.selfId) return false;
    if (
      Atomics.compareExchange(this.ringI32, w + R_STATE, expected, stateWord(lease, S_READY)) !== expected
    ) {
      return false;
    }
    Atomics.sub(this.i32, W_IN_FLIGHT, 1);
    this.#noteRequeued(position);
    this.wakeConsumers();
    return true;
  }

  /**
   * Keeps a delivery made with ack in flight for `delay` more ms (head lock held): the recovery of a
   * waiting consumer redelivers it once that deadline passed. False when it was not in flight.
   */
  nackLaterLocked(position: number, lease: number, delay: number): boolean {
    const w = (position & this.mask) >> 2;
    if (Atomics.load(this.ringI32, w + R_OWNER) !== this.ids.selfId) return false;
    if (Atomics.load(this.ringI32, w + R_STATE) !== stateWord(lease, S_IN_FLIGHT)) return false;
    this.f64[(w >> 1) + R_DEADLINE_F64] = Date.now() + delay;
    return true;
  }

  // ---------------------------------------------------------------- recovery

  /**
   * The head record is being written by `owner`, which died: marks it done (it is never delivered)
   * and moves the head past it. Takes the head lock; false if it could not or the record changed.
   */
  abandon(position: number, owner: number): boolean {
    if (!this.headLock.tryAcquire()) return false;
    try {
      if (Atomics.load(this.i32, W_HEAD) !== position) return false;
      const w = (position & this.mask) >> 2;
      const word = Atomics.load(this.ringI32, w + R_STATE);
      if (stateOf(word) !== S_WRITING || Atomics.load(this.ringI32, w + R_OWNER) !== owner) return false;
      if (!this.#done(w, word)) return false;
      Atomics.store(this.i32, W_HEAD, (position + Atomics.load(this.ringI32, w + R_BYTES)) | 0);
    } finally {
      this.headLock.release();
    }
    this.wakeConsumers();
    Atomics.add(this.i32, W_JOIN, 1);
    futexWake(this.i32, W_JOIN);
    return true;
  }

  /**
   * Scans the records behind the head (both locks taken here): a delivery in flight whose consumer
   * died or whose visibility deadline passed goes back for redelivery, and so does a record claimed
   * by a consumer that died (it never returned it); a plain take whose consumer died while copying is
   * done (at-most-once). Recounts the hints. False when a lock was busy.
   */
  recover(): boolean {
    if (!this.headLock.tryAcquire()) return false;
    let requeued = 0;
    try {
      if (!this.tailLock.tryAcquire()) return false;
      try {
        const { i32, ringI32 } = this;
        const head = Atomics.load(i32, W_HEAD);
        const now = Date.now();
        const alive = new Map<number, boolean>();
        const isAlive = (id: number): boolean => {
          let yes = alive.get(id);
          if (yes === undefined) alive.set(id, (yes = this.ids.isAlive(id)));
          return yes;
        };
        let ready = 0;
        let inFlight = 0;
        let firstReady = head;
        let at = Atomics.load(i32, W_RECLAIM);
        while (at !== head) {
          const w = (at & this.mask) >> 2;
          const word = Atomics.load(ringI32, w + R_STATE);
          const state = stateOf(word);
          const owner = Atomics.load(ringI32, w + R_OWNER);
          if (state === S_IN_FLIGHT) {
            const expired = (this.f64[(w >> 1) + R_DEADLINE_F64] ?? 0) <= now;
            if (
              (expired || !isAlive(owner)) &&
              Atomics.compareExchange(ringI32, w + R_STATE, word, stateWord(leaseOf(word), S_READY)) === word
            ) {
              requeued++;
              ready++;
            } else inFlight++;
          } else if (state === S_CLAIMED) {
            if (
              !isAlive(owner) &&
              Atomics.compareExchange(ringI32, w + R_STATE, word, stateWord(leaseOf(word), S_READY)) === word
            ) {
              requeued++;
              ready++;
            }
          } else if (state === S_TAKEN && !isAlive(owner)) {
            this.#done(w, word);
          } else if (state === S_READY) ready++;
          if (ready === 1 && firstReady === head) firstReady = at;
          at = (at + Atomics.load(ringI32, w + R_BYTES)) | 0;
        }
        Atomics.store(i32, W_REQUEUED_FROM, firstReady);
        Atomics.store(i32, W_REQUEUED, ready);
        Atomics.store(i32, W_IN_FLIGHT, inFlight);
        Atomics.store(i32, W_ORPHANED_CLAIMS, 0);
        this.reclaimLocked();
      } finally {
        this.tailLock.release();
      }
    } finally {
      this.headLock.release();
    }
    if (requeued > 0) this.wakeConsumers();
    return true;
  }

  // ---------------------------------------------------------------- state

  /** Whether a get could find something now (a cheap hint: no lock). */
  hasWork(): boolean {
    return (
      Atomics.load(this.i32, W_HEAD) !== Atomics.load(this.i32, W_TAIL) ||
      Atomics.load(this.i32, W_REQUEUED) > 0
    );
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

const LOCKED_MARK = { at: -1, position: -1, lease: -1 };
