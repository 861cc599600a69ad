import { futexWake } from '@ipc/shm';
import {
  R_BYTES,
  R_DEADLINE_F64,
  R_OWNER,
  R_STATE,
  S_IN_FLIGHT,
  S_CLAIMED,
  S_READY,
  S_TAKEN,
  S_WRITING,
  stateOf,
  stateWord,
  leaseOf,
  W_HAD_SENDER,
  W_HEAD,
  W_IN_FLIGHT,
  W_JOIN,
  W_ORPHANED_CLAIMS,
  W_RECLAIM,
  W_REQUEUED,
  W_SENDERS_OPEN,
  W_REQUEUED_FROM,
} from './queue-layout.js';
import type { ProcessTable } from './process-table.js';
import type { QueueRing } from './queue-ring.js';
import type { TakeResult } from './queue-take.js';

/**
 * The head record is being written by `owner`, which died: marks it done (it is never delivered)
 * and moves the head past it. Takes the head lock; false if it could not or the record changed.
 */
export function abandon(ring: QueueRing, position: number, owner: number): boolean {
  if (!ring.headLock.tryAcquire()) return false;
  try {
    if (Atomics.load(ring.i32, W_HEAD) !== position) return false;
    const w = (position & ring.mask) >> 2;
    const word = Atomics.load(ring.ringI32, w + R_STATE);
    if (stateOf(word) !== S_WRITING || Atomics.load(ring.ringI32, w + R_OWNER) !== owner) return false;
    if (!ring.markDone(w, word)) return false;
    Atomics.store(ring.i32, W_HEAD, (position + Atomics.load(ring.ringI32, w + R_BYTES)) | 0);
  } finally {
    ring.headLock.release();
  }
  ring.wakeConsumers();
  Atomics.add(ring.i32, W_JOIN, 1);
  futexWake(ring.i32, W_JOIN);
  return true;
}

/**
 * Scans the records behind the head (both locks taken here): a delivery in flight whose consumer
 * died or whose visibility deadline passed goes back for redelivery, and so does a record claimed
 * by a consumer that died (it never returned it); a plain take whose consumer died while copying is
 * done (at-most-once). Recounts the hints. False when a lock was busy.
 */
export function recover(ring: QueueRing): boolean {
  if (!ring.headLock.tryAcquire()) return false;
  let requeued = 0;
  try {
    if (!ring.tailLock.tryAcquire()) return false;
    try {
      const { i32, ringI32 } = ring;
      const head = Atomics.load(i32, W_HEAD);
      const now = Date.now();
      const alive = new Map<number, boolean>();
      const isAlive = (id: number): boolean => {
        let yes = alive.get(id);
        if (yes === undefined) alive.set(id, (yes = ring.ids.isAlive(id)));
        return yes;
      };
      let ready = 0;
      let inFlight = 0;
      let firstReady = head;
      let at = Atomics.load(i32, W_RECLAIM);
      while (at !== head) {
        const w = (at & ring.mask) >> 2;
        const word = Atomics.load(ringI32, w + R_STATE);
        const state = stateOf(word);
        const owner = Atomics.load(ringI32, w + R_OWNER);
        if (state === S_IN_FLIGHT) {
          const expired = (ring.f64[(w >> 1) + R_DEADLINE_F64] ?? 0) <= now;
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
          ring.markDone(w, word);
        } else if (state === S_READY) ready++;
        if (ready === 1 && firstReady === head) firstReady = at;
        at = (at + Atomics.load(ringI32, w + R_BYTES)) | 0;
      }
      Atomics.store(i32, W_REQUEUED_FROM, firstReady);
      Atomics.store(i32, W_REQUEUED, ready);
      Atomics.store(i32, W_IN_FLIGHT, inFlight);
      Atomics.store(i32, W_ORPHANED_CLAIMS, 0);
      ring.reclaimLocked();
    } finally {
      ring.tailLock.release();
    }
  } finally {
    ring.headLock.release();
  }
  if (requeued > 0) ring.wakeConsumers();
  return true;
}

/**
 * Whether a get waiting on `ring` must wake up now and then to check on other processes: the head
 * record is being written (its writer may die), deliveries are in flight or claimed (their consumer
 * may die or their deadline pass), or senders are open (the stream ends if they die).
 */
export function needsWatch(ring: QueueRing, table: ProcessTable, r: TakeResult): boolean {
  const i32 = ring.i32;
  return (
    r.kind !== 'empty' ||
    Atomics.load(i32, W_IN_FLIGHT) > 0 ||
    Atomics.load(i32, W_ORPHANED_CLAIMS) > 0 ||
    table.claims() > 0 ||
    (Atomics.load(i32, W_HAD_SENDER) !== 0 && Atomics.load(i32, W_SENDERS_OPEN) > 0)
  );
}

/**
 * Recovers what dead processes hold: a half-written head record, deliveries in flight, records they
 * claimed, open senders (swept from the process table).
 */
export function recoverDead(ring: QueueRing, table: ProcessTable): void {
  const i32 = ring.i32;
  const head = ring.headRecord();
  if (head?.state === S_WRITING && !ring.ids.isAlive(head.owner)) abandon(ring, head.position, head.owner);
  if (Atomics.load(i32, W_HAD_SENDER) !== 0 || table.claims() > 0) table.sweep();
  if (Atomics.load(i32, W_IN_FLIGHT) > 0 || Atomics.load(i32, W_ORPHANED_CLAIMS) > 0) recover(ring);
}
