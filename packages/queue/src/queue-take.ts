import {
  R_BYTES,
  R_DEADLINE_F64,
  R_LENGTH,
  R_OWNER,
  R_STATE,
  RECORD_HEADER,
  S_DONE,
  S_IN_FLIGHT,
  S_CLAIMED,
  S_PAD,
  S_READY,
  S_TAKEN,
  S_WRITING,
  stateOf,
  stateWord,
  W_HEAD,
  W_IN_FLIGHT,
  W_RECLAIM,
  W_REQUEUED,
  W_REQUEUED_FROM,
  W_TAIL,
  W_TAKES,
} from './queue-layout.js';
import type { QueueRing } from './queue-ring.js';
import { copyBytes } from '@ipc/shm';

/** What {@link QueueTaker.take} found. */
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

/** The most records one plain take hands out and claims at once. */
export const MAX_CLAIM = 16;
/** A handle whose next get comes within this many ms of its last delivery claims ahead. */
const FAST_LOOP_MS = 0.05;

const EMPTY: TakeResult = { kind: 'empty' };
const LOCKED: TakeResult = { kind: 'locked' };

/**
 * The consumer side of a queue handle: takes the head record (under the head lock) as a plain
 * delivery (at-most-once: done once copied) or one with ack (in flight until acked), takes records
 * put back for redelivery first, and — for a handle whose gets come back to back — claims a few
 * records ahead so that its next gets need no lock (see `S_CLAIMED`). One per handle.
 */
export class QueueTaker {
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
    private readonly ring: QueueRing,
    private readonly onTake: () => void,
    private readonly onClaims: (delta: number) => void = () => undefined,
    /**
     * Whether a take may copy its payload into one buffer this handle reuses (the caller decodes it
     * before the next take) — else each take copies into a `Buffer` of its own, which the caller may keep.
     */
    private readonly reuseCopy = true,
  ) {}

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
    if (!this.ring.headLock.tryAcquire()) return LOCKED;
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
      this.ring.headLock.release();
      return this.take(undefined);
    }
    const { i32, ringI32 } = this.ring;
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
          const offset = head & this.ring.mask;
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
      this.ring.headLock.release();
    }
    if (writing) return { kind: 'writing', owner: writer, position };
    if (at < 0) return EMPTY;
    const length = this.#copyOut(at);
    if (visibility === undefined) {
      this.ring.markDone(at >> 2, stateWord(lease, S_TAKEN));
      if (this.#claimAt === this.#claimEnd) this.#drainedAt = performance.now();
    }
    return { kind: 'message', bytes: this.#copy, length, position, lease };
  }

  /**
   * Copies the payload of the record at byte offset `at` into {@link QueueRing.#copy}: the buffer this
   * handle reuses (see `reuseCopy`), else a new `Buffer` from Node's pool; returns its length.
   */
  #copyOut(at: number): number {
    const length = this.ring.ringI32[(at >> 2) + R_LENGTH] ?? 0;
    const start = at + RECORD_HEADER;
    if (!this.reuseCopy) this.#copy = Buffer.allocUnsafe(length);
    else if (length > this.#copy.length) this.#copy = new Uint8Array(Math.max(length, 2 * this.#copy.length));
    copyBytes(this.#copy, this.ring.u8.subarray(start, start + length), 0);
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
    const { i32, ringI32 } = this.ring;
    // Counted before the records become claimed (never fewer than there are), corrected after.
    this.onClaims(want);
    let n = 0;
    while (n < want && ((this.#tailSeen - head) | 0) > 0) {
      const w = (head & this.ring.mask) >> 2;
      const word = Atomics.load(ringI32, w + R_STATE);
      if (stateOf(word) !== S_READY) break;
      const lease = Atomics.add(i32, W_TAKES, 1) + 1;
      ringI32[w + R_OWNER] = this.ring.ids.selfId;
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
      const at = position & this.ring.mask;
      const length = this.#copyOut(at);
      const claimed = stateWord(lease, S_CLAIMED);
      const ok =
        Atomics.compareExchange(this.ring.ringI32, (at >> 2) + R_STATE, claimed, stateWord(lease, S_DONE)) ===
        claimed;
      if (ok) this.onTake();
      this.onClaims(-1);
      if (this.#claimAt === this.#claimEnd) this.#drainedAt = performance.now();
      if (!ok) continue; // put back by a recovery that judged this process dead: not ours any more
      this.ring.notifyProducers();
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
      const w = (position & this.ring.mask) >> 2;
      this.ring.f64[(w >> 1) + R_DEADLINE_F64] = Date.now() + visibility;
      const claimed = stateWord(lease, S_CLAIMED);
      const ok =
        Atomics.compareExchange(this.ring.ringI32, w + R_STATE, claimed, stateWord(lease, S_IN_FLIGHT)) ===
        claimed;
      if (ok) {
        Atomics.add(this.ring.i32, W_IN_FLIGHT, 1);
        this.onTake();
      }
      this.onClaims(-1);
      if (ok) return { at: position & this.ring.mask, position, lease };
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
      const w = (position & this.ring.mask) >> 2;
      if (
        Atomics.compareExchange(this.ring.ringI32, w + R_STATE, claimed, stateWord(lease, S_READY)) ===
        claimed
      ) {
        this.ring.noteRequeued(position);
        released++;
      }
    }
    if (n > 0) this.onClaims(-n);
    if (released > 0) this.ring.wakeConsumers();
  }

  /** Marks the record at word `w` taken (head lock held) and counts the task; returns the new lease. */
  #mark(w: number, word: number, visibility: number | undefined): number {
    const lease = Atomics.add(this.ring.i32, W_TAKES, 1) + 1;
    Atomics.store(this.ring.ringI32, w + R_OWNER, this.ring.ids.selfId);
    if (visibility !== undefined) {
      this.ring.f64[(w >> 1) + R_DEADLINE_F64] = Date.now() + visibility;
      Atomics.add(this.ring.i32, W_IN_FLIGHT, 1);
    }
    this.onTake();
    Atomics.compareExchange(
      this.ring.ringI32,
      w + R_STATE,
      word,
      stateWord(lease, visibility === undefined ? S_TAKEN : S_IN_FLIGHT),
    );
    return lease & 0x0fffffff;
  }

  /**
   * Takes a redelivered record from behind the head (head lock held; takes the tail lock to scan,
   * from the hint `W_REQUEUED_FROM` when it lies between `reclaim` and the head).
   */
  #takeRequeued(visibility: number | undefined): { at: number; position: number; lease: number } | undefined {
    if (!this.ring.tailLock.tryAcquire()) return LOCKED_MARK;
    try {
      const { i32, ringI32 } = this.ring;
      const head = Atomics.load(i32, W_HEAD);
      const reclaim = Atomics.load(i32, W_RECLAIM);
      const from = Atomics.load(i32, W_REQUEUED_FROM);
      let at = (head - from) >>> 0 <= (head - reclaim) >>> 0 ? from : reclaim;
      while (at !== head) {
        const w = (at & this.ring.mask) >> 2;
        const word = Atomics.load(ringI32, w + R_STATE);
        const bytes = Atomics.load(ringI32, w + R_BYTES);
        if (stateOf(word) === S_READY) {
          Atomics.sub(i32, W_REQUEUED, 1);
          Atomics.store(i32, W_REQUEUED_FROM, (at + bytes) | 0);
          return { at: at & this.ring.mask, position: at, lease: this.#mark(w, word, visibility) };
        }
        at = (at + bytes) | 0;
      }
      Atomics.store(i32, W_REQUEUED, 0);
      return undefined;
    } finally {
      this.ring.tailLock.release();
    }
  }
}

const LOCKED_MARK = { at: -1, position: -1, lease: -1 };
