import { IpcError } from '@ipc/core';
import { isProcessAlive, selfStartTime } from '@ipc/kit';
import { SLOT_COUNT, type Trailer } from './segment-trailer.js';

const SLOTS_I32 = 16; // byte 64
const GEN_LIMIT = 0x7fffff; // 23 bits
/**
 * The pid word of a slot being claimed. A process killed in the middle of its claim leaves the slot
 * in this state for good: one slot of {@link SLOT_COUNT} lost, never a slot shared by two live owners.
 */
const CLAIMING = -1;

/**
 * Owner ids of the cross-process locks: a core `Mutex` stores its owner as one positive int32, too
 * small for a pid plus a start time. So each process using a segment's locks claims one of the
 * {@link SLOT_COUNT} slots of the segment's trailer and writes its pid and start time (from
 * `/proc/self/stat`) there. Its id is `generation * 256 + slot`: the slot's generation is bumped on
 * every claim, so an id outlives neither its process nor its slot's reuse. `isAlive(id)` reads the
 * slot: same generation, and the process with that pid still has that start time (a reused pid has a
 * later one; a zombie counts as dead).
 */
export class OwnerRegistry {
  private constructor(
    private readonly t: Trailer,
    /** This process's id in the segment. */
    readonly selfId: number,
    private readonly slot: number,
  ) {}

  /**
   * Claims a free slot (or one whose process died). Throws `ERR_UNSUPPORTED` when all are taken by
   * live processes. The slot is reserved with {@link CLAIMING} before its generation and start time
   * are written, and the pid is published last: nobody ever sees the new pid next to the previous
   * occupant's start time (which would make the new owner look dead and its slot stealable).
   */
  static claim(t: Trailer): OwnerRegistry {
    for (const reclaimDead of [false, true]) {
      for (let slot = 0; slot < SLOT_COUNT; slot++) {
        const at = SLOTS_I32 + slot * 4;
        const pid = Atomics.load(t.i32, at);
        if (pid === CLAIMING) continue;
        if (pid === 0 ? reclaimDead : !reclaimDead || isProcessAlive(pid, t.f64[at / 2 + 1] ?? 0)) continue;
        if (Atomics.compareExchange(t.i32, at, pid, CLAIMING) !== pid) continue;
        const generation = ((Atomics.load(t.i32, at + 1) % GEN_LIMIT) + 1) | 0;
        Atomics.store(t.i32, at + 1, generation);
        t.f64[at / 2 + 1] = selfStartTime();
        Atomics.store(t.i32, at, process.pid); // publish: a full barrier after the plain f64 store
        return new OwnerRegistry(t, generation * 256 + slot + 1, slot);
      }
    }
    throw new IpcError(
      'ERR_UNSUPPORTED',
      `all ${SLOT_COUNT} owner slots of this segment are held by live processes`,
    );
  }

  /**
   * Whether a slot of the trailer `t` names a process that still runs (a slot being claimed counts
   * as not: its claimer is still opening the segment).
   */
  static anyAlive(t: Trailer): boolean {
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      const at = SLOTS_I32 + slot * 4;
      const pid = Atomics.load(t.i32, at);
      if (pid <= 0) continue;
      const start = t.f64[at / 2 + 1] ?? 0;
      // A slot re-claimed between the two reads: its new owner is opening the segment now.
      if (Atomics.load(t.i32, at) !== pid || isProcessAlive(pid, start)) return true;
    }
    return false;
  }

  /** Whether the process that `id` names still runs. */
  isAlive(id: number): boolean {
    if (id === this.selfId) return true;
    const slot = (id & 0xff) - 1;
    const generation = id >>> 8;
    if (slot < 0 || slot >= SLOT_COUNT || generation === 0) return false;
    const at = SLOTS_I32 + slot * 4;
    if (Atomics.load(this.t.i32, at + 1) !== generation) return false;
    const pid = Atomics.load(this.t.i32, at);
    const start = this.t.f64[at / 2 + 1] ?? 0;
    if (Atomics.load(this.t.i32, at + 1) !== generation) return false;
    return isProcessAlive(pid, start);
  }

  /** Gives the slot back (a lock still held under this id then counts as its owner's death). */
  release(): void {
    const at = SLOTS_I32 + this.slot * 4;
    Atomics.compareExchange(this.t.i32, at, process.pid, 0);
  }
}
