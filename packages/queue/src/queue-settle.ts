import {
  R_DEADLINE_F64,
  R_OWNER,
  R_STATE,
  S_IN_FLIGHT,
  S_READY,
  stateWord,
  W_IN_FLIGHT,
} from './queue-layout.js';
import type { QueueRing } from './queue-ring.js';

/** Acknowledges a delivery made with ack; false when it was redelivered meanwhile (timeout, nack). */
export function ack(ring: QueueRing, position: number, lease: number): boolean {
  const w = (position & ring.mask) >> 2;
  if (Atomics.load(ring.ringI32, w + R_OWNER) !== ring.ids.selfId) return false;
  if (!ring.markDone(w, stateWord(lease, S_IN_FLIGHT))) return false;
  Atomics.sub(ring.i32, W_IN_FLIGHT, 1);
  return true;
}

/** Puts a delivery made with ack back for redelivery (head lock held); false when it was not in flight. */
export function nackLocked(ring: QueueRing, position: number, lease: number): boolean {
  const w = (position & ring.mask) >> 2;
  const expected = stateWord(lease, S_IN_FLIGHT);
  if (Atomics.load(ring.ringI32, w + R_OWNER) !== ring.ids.selfId) return false;
  if (Atomics.compareExchange(ring.ringI32, w + R_STATE, expected, stateWord(lease, S_READY)) !== expected) {
    return false;
  }
  Atomics.sub(ring.i32, W_IN_FLIGHT, 1);
  ring.noteRequeued(position);
  ring.wakeConsumers();
  return true;
}

/**
 * Keeps a delivery made with ack in flight for `delay` more ms (head lock held): the recovery of a
 * waiting consumer redelivers it once that deadline passed. False when it was not in flight.
 */
export function nackLaterLocked(ring: QueueRing, position: number, lease: number, delay: number): boolean {
  const w = (position & ring.mask) >> 2;
  if (Atomics.load(ring.ringI32, w + R_OWNER) !== ring.ids.selfId) return false;
  if (Atomics.load(ring.ringI32, w + R_STATE) !== stateWord(lease, S_IN_FLIGHT)) return false;
  ring.f64[(w >> 1) + R_DEADLINE_F64] = Date.now() + delay;
  return true;
}
