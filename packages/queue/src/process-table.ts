import { futexWake, type OwnerIds } from '@ipc/shm';
import { decrementIfPositive } from './decrement-if-positive.js';
import { clearBellWords, QueueBells, removeDeadBells } from './queue-bells.js';
import {
  E_CLAIMS,
  E_OWNER,
  E_RECEIVERS,
  E_SENDERS,
  E_UNFINISHED,
  ENTRY_WORDS,
  TABLE_ENTRIES,
  TABLE_I32,
  W_JOIN,
  W_NOT_EMPTY,
  W_ORPHANED_CLAIMS,
  W_RECEIVERS_OPEN,
  W_SENDER_DIED,
  W_SENDERS_OPEN,
} from './queue-layout.js';

/**
 * The queue's table of the processes using it: one entry per owner slot of the segment's owner
 * registry (`@ipc/shm`), holding the owner id and what that process has open — sender views,
 * receiver views — and the messages it got but has not `taskDone()`'d yet. Only the process itself
 * adds to its entry; when a process is found dead (its owner id no longer alive), whoever finds it
 * clears its entry and takes its counts back: its senders count as died (receivers then see
 * `ERR_PEER_GONE`), its unfinished tasks are forgiven (so `join()` cannot wait for a dead process).
 */
export class ProcessTable {
  readonly #entry: number;
  /** This process's doorbells on the queue, and the ringing of the others'. */
  readonly bells: QueueBells;

  /**
   * @param i32 - the queue's header words
   * @param ids - the owner ids of the segment's users
   * @param mode - the segment's permission bits (for the doorbells)
   */
  constructor(
    private readonly i32: Int32Array,
    private readonly ids: OwnerIds,
    mode: number,
  ) {
    this.#entry = TABLE_I32 + ((ids.selfId & 0xff) - 1) * ENTRY_WORDS;
    this.bells = new QueueBells(i32, this.#entry, mode);
  }

  /** Takes this process's entry (clearing what a dead former holder of the slot left). Idempotent. */
  enter(): void {
    const at = this.#entry;
    const previous = Atomics.load(this.i32, at + E_OWNER);
    if (previous === this.ids.selfId) return;
    if (previous !== 0) this.#clear(at, previous);
    Atomics.store(this.i32, at + E_SENDERS, 0);
    Atomics.store(this.i32, at + E_RECEIVERS, 0);
    Atomics.store(this.i32, at + E_UNFINISHED, 0);
    Atomics.store(this.i32, at + E_CLAIMS, 0);
    clearBellWords(this.i32, at);
    Atomics.store(this.i32, at + E_OWNER, this.ids.selfId);
  }

  /** Gives this process's entry back (its counts are taken back as if it had closed everything). */
  leave(): void {
    this.bells.close();
    const at = this.#entry;
    if (Atomics.load(this.i32, at + E_OWNER) === this.ids.selfId) this.#clear(at, this.ids.selfId, false);
  }

  /** Adds `delta` to this process's open sender views (and the queue's total). */
  addSenders(delta: number): void {
    Atomics.add(this.i32, this.#entry + E_SENDERS, delta);
    Atomics.add(this.i32, W_SENDERS_OPEN, delta);
  }

  /** Adds `delta` to this process's open receiver views (and the queue's total). */
  addReceivers(delta: number): void {
    Atomics.add(this.i32, this.#entry + E_RECEIVERS, delta);
    Atomics.add(this.i32, W_RECEIVERS_OPEN, delta);
  }

  /** Counts one message got by this process and not yet `taskDone()`'d. */
  addUnfinished(): void {
    Atomics.add(this.i32, this.#entry + E_UNFINISHED, 1);
  }

  /** Adds `delta` to the records this process claimed and has not returned (see `S_CLAIMED`). */
  addClaims(delta: number): void {
    Atomics.add(this.i32, this.#entry + E_CLAIMS, delta);
  }

  /** Records claimed and not returned, by every process in the table (dead ones until swept). */
  claims(): number {
    let sum = 0;
    for (let e = 0; e < TABLE_ENTRIES; e++) {
      const at = TABLE_I32 + e * ENTRY_WORDS;
      if (Atomics.load(this.i32, at + E_OWNER) !== 0) sum += Atomics.load(this.i32, at + E_CLAIMS);
    }
    return sum;
  }

  /** Marks one task done: this process's count first, else any process's. False when none is unfinished. */
  taskDone(): boolean {
    if (decrementIfPositive(this.i32, this.#entry + E_UNFINISHED)) return true;
    for (let e = 0; e < TABLE_ENTRIES; e++) {
      if (decrementIfPositive(this.i32, TABLE_I32 + e * ENTRY_WORDS + E_UNFINISHED)) return true;
    }
    return false;
  }

  /** Unfinished tasks of every process in the table (dead ones were forgiven by {@link sweep}). */
  unfinished(): number {
    let sum = 0;
    for (let e = 0; e < TABLE_ENTRIES; e++) {
      const at = TABLE_I32 + e * ENTRY_WORDS;
      if (Atomics.load(this.i32, at + E_OWNER) !== 0) sum += Atomics.load(this.i32, at + E_UNFINISHED);
    }
    return sum;
  }

  /** Clears the entries of processes that died; true when it cleared one. */
  sweep(): boolean {
    let cleared = false;
    for (let e = 0; e < TABLE_ENTRIES; e++) {
      const at = TABLE_I32 + e * ENTRY_WORDS;
      const owner = Atomics.load(this.i32, at + E_OWNER);
      if (owner === 0 || owner === this.ids.selfId || this.ids.isAlive(owner)) continue;
      if (this.#clear(at, owner)) cleared = true;
    }
    return cleared;
  }

  /** How many processes other than this one are in the table and alive. */
  otherLiveUsers(): number {
    return this.liveUsers(false);
  }

  /** How many processes are in the table and alive (this one included when `withSelf`). */
  liveUsers(withSelf = true): number {
    let n = 0;
    for (let e = 0; e < TABLE_ENTRIES; e++) {
      const owner = Atomics.load(this.i32, TABLE_I32 + e * ENTRY_WORDS + E_OWNER);
      if (owner === 0 || (owner === this.ids.selfId ? !withSelf : !this.ids.isAlive(owner))) continue;
      n++;
    }
    return n;
  }

  /** Takes an entry's counts back; `died` says its owner died (its senders then count as died). */
  #clear(at: number, owner: number, died = true): boolean {
    if (Atomics.compareExchange(this.i32, at + E_OWNER, owner, 0) !== owner) return false;
    const senders = Atomics.exchange(this.i32, at + E_SENDERS, 0);
    const receivers = Atomics.exchange(this.i32, at + E_RECEIVERS, 0);
    Atomics.exchange(this.i32, at + E_UNFINISHED, 0);
    const claims = Atomics.exchange(this.i32, at + E_CLAIMS, 0);
    // A dead process's doorbells are gone with it (this process's own were closed by leave()).
    if (died) removeDeadBells(this.i32, at);
    // A dead process's claims are still in the ring until a recovery puts them back: keep watching.
    if (died && claims > 0) Atomics.add(this.i32, W_ORPHANED_CLAIMS, claims);
    if (senders !== 0) {
      if (died) Atomics.store(this.i32, W_SENDER_DIED, 1);
      Atomics.sub(this.i32, W_SENDERS_OPEN, senders);
    }
    if (receivers !== 0) Atomics.sub(this.i32, W_RECEIVERS_OPEN, receivers);
    Atomics.add(this.i32, W_JOIN, 1);
    futexWake(this.i32, W_JOIN);
    Atomics.add(this.i32, W_NOT_EMPTY, 1);
    futexWake(this.i32, W_NOT_EMPTY);
    return true;
  }
}
