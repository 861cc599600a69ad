import { selfStartTime } from '@ipc/kit';

/**
 * The page @ipc/shm appends to every segment it creates, after the caller's bytes (rounded up to a
 * page), so that offset 0 stays the caller's data (as Python sees it). It records who created the
 * segment and whose lifetime it follows (for `cleanupStale`), and holds the owner registry: the
 * processes using the segment's locks, and — for a segment that lives as long as its users — every
 * process that has it open.
 *
 * Layout (little-endian): `[0] int32 magic 'IPCS'`, `[4] int32 version`, `[8] float64 user size`,
 * `[16] int32 creator pid`, `[24] float64 creator start time (ticks)`, `[32] int32 slot count`,
 * `[36] int32 lifetime (0: its creator's, 1: its users')`, then from byte 64, {@link SLOT_COUNT}
 * owner slots of 16 bytes: `int32 pid, int32 generation, float64 start time`.
 */
export const TRAILER_BYTES = 4096;
/** The owner slots in a trailer. */
export const SLOT_COUNT = (TRAILER_BYTES - 64) / 16;
const MAGIC = 0x53435049;
const VERSION = 1;

/**
 * Whose lifetime a segment follows, for `cleanupStale`: `'creator'` — it is stale once the process
 * that created it is gone; `'users'` — it is stale once no process has it open (each, the creator
 * included, holds a slot of the owner registry while it has the segment open).
 */
export type SegmentLifetime = 'creator' | 'users';

const LIFETIME_WORD = 9; // byte 36
const USERS = 1;

/** Views over a mapped trailer. */
export interface Trailer {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
}

/** Views over `buffer` (a mapped trailer page). */
export function trailerViews(buffer: ArrayBuffer): Trailer {
  return {
    i32: new Int32Array(buffer, 0, TRAILER_BYTES / 4),
    f64: new Float64Array(buffer, 0, TRAILER_BYTES / 8),
  };
}

/** Fills a fresh trailer for a segment of `size` user bytes created by this process. */
export function writeTrailer(t: Trailer, size: number, lifetime: SegmentLifetime = 'creator'): void {
  t.f64[1] = size;
  t.i32[4] = process.pid;
  t.f64[3] = selfStartTime();
  t.i32[8] = SLOT_COUNT;
  t.i32[LIFETIME_WORD] = lifetime === 'users' ? USERS : 0;
  t.i32[1] = VERSION;
  Atomics.store(t.i32, 0, MAGIC);
}

/** The trailer's facts, or undefined when the page is not an @ipc/shm trailer. */
export function readTrailer(t: Trailer, maxSize: number): TrailerFacts | undefined {
  if (Atomics.load(t.i32, 0) !== MAGIC || t.i32[1] !== VERSION) return undefined;
  const size = t.f64[1] ?? 0;
  if (!Number.isInteger(size) || size <= 0 || size > maxSize) return undefined;
  return {
    size,
    creatorPid: t.i32[4] ?? 0,
    creatorStart: t.f64[3] ?? 0,
    lifetime: t.i32[LIFETIME_WORD] === USERS ? 'users' : 'creator',
  };
}

/** What a trailer says about its segment. */
export interface TrailerFacts {
  /** The caller's bytes. */
  size: number;
  creatorPid: number;
  creatorStart: number;
  lifetime: SegmentLifetime;
}
