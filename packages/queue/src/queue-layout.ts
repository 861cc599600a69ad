/**
 * The layout of a queue segment. Everything is little-endian int32 words used with `Atomics`, except
 * a record's visibility deadline (float64). Hot words of the producer side, the consumer side and the
 * two wake-up counters sit on separate 64-byte cache lines.
 *
 * ```
 * [0, 1024)      header words (below)
 * [1024, 17408)  process table: 256 entries of 16 int32, one cache line each (owner id, open senders,
 *                open receivers, unfinished tasks, claims, pid, doorbells and their sleepers; the
 *                rest unused): a consumer counting its tasks does not steal the line another counts on
 * [20480, …)     the ring: `capacity` bytes (a power of two) of records
 * ```
 *
 * A record starts at a multiple of {@link RECORD_ALIGN} and is `[int32 state][int32 owner][int32 payload
 * length][int32 record bytes][float64 deadline][payload]`. Positions (`tail`, `head`, `reclaim`) are
 * byte counters that wrap at 2^32; a position's offset in the ring is `position & (capacity - 1)`.
 */

/** `'IPCQ'`: the header's first word once the queue is ready. */
export const MAGIC = 0x51435049;
/** The layout's version (3: doorbells in the process table). */
export const VERSION = 3;

// Header words (int32 index).
export const W_MAGIC = 0;
export const W_VERSION = 1;
export const W_CAPACITY = 2;
export const W_MAX_MESSAGES = 3;
export const W_HAD_SENDER = 4;
export const W_HAD_RECEIVER = 5;
export const W_SENDER_DIED = 6;
export const W_UNLINKING = 7;
export const W_SENDERS_OPEN = 8;
export const W_RECEIVERS_OPEN = 9;
// Producer side (line 1).
export const W_TAIL_LOCK = 16;
export const W_TAIL = 17;
export const W_RECLAIM = 18;
export const W_COUNT = 19;
/** Set by a process about to sleep on the tail lock (see `RobustLock`). */
export const W_TAIL_LOCK_ARMED = 20;
// Consumer side (line 2).
export const W_HEAD_LOCK = 32;
export const W_HEAD = 33;
export const W_REQUEUED = 34;
export const W_IN_FLIGHT = 35;
/** Set by a process about to sleep on the head lock. */
export const W_HEAD_LOCK_ARMED = 36;
export const W_TAKES = 37;
/** Claims (see {@link S_CLAIMED}) whose process died before they were recovered: a hint that waiting calls must check. */
export const W_ORPHANED_CLAIMS = 38;
/** While `W_REQUEUED` > 0: no record between `reclaim` and this position is ready (redelivery scans start here). */
export const W_REQUEUED_FROM = 39;
// Wake-ups (lines 3, 4, 5).
export const W_NOT_EMPTY = 48;
/** Set by a consumer about to sleep on {@link W_NOT_EMPTY}; whoever makes a message available and clears it wakes the sleepers. */
export const W_CONSUMERS_ARMED = 49;
/** Gets asleep on a doorbell, in every process (see `QueueBells`): a notifier with none to ring skips the table. */
export const W_GET_BELL_SLEEPERS = 50;
export const W_NOT_FULL = 64;
/** Set by a producer about to sleep on {@link W_NOT_FULL}; whoever frees a record and clears it wakes the sleepers. */
export const W_PRODUCERS_ARMED = 65;
/** Puts asleep on a doorbell, in every process. */
export const W_PUT_BELL_SLEEPERS = 66;
export const W_JOIN = 80;
export const W_JOIN_WAITERS = 81;

/** The process table: where it starts (int32 index), entries, words per entry. */
export const TABLE_I32 = 1024 / 4;
export const TABLE_ENTRIES = 256;
export const ENTRY_WORDS = 16;
export const E_OWNER = 0;
export const E_SENDERS = 1;
export const E_RECEIVERS = 2;
export const E_UNFINISHED = 3;
/** Records this process claimed and has not returned, released or converted yet. */
export const E_CLAIMS = 4;
/** The process's pid (its doorbells are named after it), written with its first doorbell. */
export const E_PID = 5;
/** The id of the doorbell its gets sleep on (0: none; they sleep on the futex). */
export const E_GET_BELL = 6;
/** How many of its gets sleep on that doorbell now. */
export const E_GET_SLEEPERS = 7;
/** The id of the doorbell its puts sleep on (0: none). */
export const E_PUT_BELL = 8;
/** How many of its puts sleep on that doorbell now. */
export const E_PUT_SLEEPERS = 9;
/** Set by a notifier that could not ring the gets' doorbell: its process sleeps on the futex from then on. */
export const E_GET_BELL_FAILED = 10;
/** Set by a notifier that could not ring the puts' doorbell. */
export const E_PUT_BELL_FAILED = 11;

/** Where the ring starts, in bytes. */
export const RING_OFFSET = 20480;

/** A record's header bytes, and the alignment of records (so that a header always fits before the end). */
export const RECORD_HEADER = 24;
export const RECORD_ALIGN = 32;

// Record word offsets (int32 index relative to the record's first word).
export const R_STATE = 0;
export const R_OWNER = 1;
export const R_LENGTH = 2;
export const R_BYTES = 3;
/** The deadline's float64 index relative to the record's first float64. */
export const R_DEADLINE_F64 = 2;

/**
 * Record states: the low 4 bits of the state word. The upper 28 bits are a lease number, new on every
 * delivery, so that an `ack` of a delivery that was since handed to another consumer fails.
 */
export const S_WRITING = 1; // reserved by a producer, payload being written
export const S_READY = 2; // committed: deliverable
export const S_TAKEN = 3; // a plain get is copying it out (at-most-once)
export const S_IN_FLIGHT = 4; // delivered with ack: waits for ack, or redelivery
export const S_DONE = 5; // consumed (or abandoned): space to reclaim
export const S_PAD = 6; // filler up to the end of the ring
/**
 * Taken from the head by a consumer, with the message it returns now, into its local buffer: not
 * delivered yet. The next `get`s of that consumer return it (then it is done); if the consumer
 * closes first it goes back (ready, redelivered first); if it dies, the recovery puts it back.
 */
export const S_CLAIMED = 7;

/**
 * What a process about to sleep on a wake-up counter stores in its arming flag: the counter value it
 * read, made non-zero, so that a notifier clears the flag only if nobody armed again since it read it.
 */
export const armToken = (seen: number): number => seen | 0x80000000;

/** The state in a state word. */
export const stateOf = (word: number): number => word & 0xf;
/** The lease number in a state word. */
export const leaseOf = (word: number): number => word >>> 4;
/** A state word. */
export const stateWord = (lease: number, state: number): number => ((lease & 0x0fffffff) << 4) | state;

/** Bytes a record of `length` payload bytes takes in the ring. */
export const recordBytes = (length: number): number =>
  (RECORD_HEADER + length + RECORD_ALIGN - 1) & ~(RECORD_ALIGN - 1);

/** The segment size for a ring of `capacity` bytes. */
export const segmentBytes = (capacity: number): number => RING_OFFSET + capacity;
