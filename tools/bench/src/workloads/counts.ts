import type { Counts, Workload } from '../adapter.js';

/**
 * SPEC.md's counts. W2, W3 and W4 are preceded by an untimed pass of a tenth of their messages, the
 * proportion of W1's warm-up: SPEC's setup rule keeps JIT warm-up outside the clock, and without it a
 * Node case spends a large part of a 200,000-message run compiling its per-message code (and W3's
 * first pass through a ring also maps its pages).
 */
export const FULL_COUNTS: Counts = {
  w1Warmup: 2_000,
  w1RoundTrips: 20_000,
  w2Warmup: 20_000,
  w2Messages: 200_000,
  w3Warmup: 102,
  w3Buffers: 1_024,
  w3BufferBytes: 1_048_576,
  w4Warmup: 20_000,
  w4Messages: 200_000,
};

/**
 * The socket buffers of the W3 cases that set them (`ipc-socket-unix-1m`, and `c-unix-socket-1m`
 * beside it): 1 MiB, a whole message in flight.
 */
export const W3_SOCKET_BUFFER_BYTES = 1 << 20;

/** `--quick`: a twentieth of the messages (W3: 32 MiB), one launch — the whole run in under a minute. */
export const QUICK_COUNTS: Counts = {
  w1Warmup: 100,
  w1RoundTrips: 1_000,
  w2Warmup: 1_000,
  w2Messages: 10_000,
  w3Warmup: 3,
  w3Buffers: 32,
  w3BufferBytes: 1_048_576,
  w4Warmup: 1_000,
  w4Messages: 10_000,
};

/** `--tiny`: a smoke test (the end-to-end test uses it). */
export const TINY_COUNTS: Counts = {
  w1Warmup: 20,
  w1RoundTrips: 200,
  w2Warmup: 100,
  w2Messages: 1_000,
  w3Warmup: 1,
  w3Buffers: 8,
  w3BufferBytes: 65_536,
  w4Warmup: 100,
  w4Messages: 1_000,
};

/** `counts` with the messages of `workload` scaled by `fraction` (at least 10 messages; W3 at least 1 buffer). */
export function scaleCounts(counts: Counts, workload: Workload, fraction: number | undefined): Counts {
  if (fraction === undefined || fraction >= 1) return counts;
  const scale = (n: number, min: number): number => Math.max(min, Math.round(n * fraction));
  switch (workload) {
    case 'W1':
      return { ...counts, w1Warmup: scale(counts.w1Warmup, 1), w1RoundTrips: scale(counts.w1RoundTrips, 10) };
    case 'W2':
      return { ...counts, w2Warmup: scale(counts.w2Warmup, 0), w2Messages: scale(counts.w2Messages, 10) };
    case 'W3':
      return { ...counts, w3Warmup: scale(counts.w3Warmup, 0), w3Buffers: scale(counts.w3Buffers, 1) };
    case 'W4':
      return { ...counts, w4Warmup: scale(counts.w4Warmup, 0), w4Messages: scale(counts.w4Messages, 10) };
  }
}

/** A workload's passes, in messages: the untimed warm-up pass (unless `warmup` is 0), then the timed one. */
export function passes(warmup: number, timed: number): number[] {
  return warmup > 0 ? [warmup, timed] : [timed];
}

/** The run sizes the CLI knows. */
export type RunSize = 'full' | 'quick' | 'tiny';

/** The counts of a run size; `cold`: without the W2–W4 warm-up passes (SPEC's counts to the letter). */
export function countsFor(size: RunSize, cold = false): Counts {
  const counts = size === 'full' ? FULL_COUNTS : size === 'quick' ? QUICK_COUNTS : TINY_COUNTS;
  return cold ? { ...counts, w2Warmup: 0, w3Warmup: 0, w4Warmup: 0 } : counts;
}
