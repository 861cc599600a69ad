import type { Counts, Workload } from '../adapter.js';

/** SPEC.md's counts. */
export const FULL_COUNTS: Counts = {
  w1Warmup: 2_000,
  w1RoundTrips: 20_000,
  w2Messages: 200_000,
  w3Buffers: 1_024,
  w3BufferBytes: 1_048_576,
  w4Messages: 200_000,
};

/** `--quick`: a twentieth of the messages (W3: 32 MiB), one launch — the whole run in under a minute. */
export const QUICK_COUNTS: Counts = {
  w1Warmup: 100,
  w1RoundTrips: 1_000,
  w2Messages: 10_000,
  w3Buffers: 32,
  w3BufferBytes: 1_048_576,
  w4Messages: 10_000,
};

/** `--tiny`: a smoke test (the end-to-end test uses it). */
export const TINY_COUNTS: Counts = {
  w1Warmup: 20,
  w1RoundTrips: 200,
  w2Messages: 1_000,
  w3Buffers: 8,
  w3BufferBytes: 65_536,
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
      return { ...counts, w2Messages: scale(counts.w2Messages, 10) };
    case 'W3':
      return { ...counts, w3Buffers: scale(counts.w3Buffers, 1) };
    case 'W4':
      return { ...counts, w4Messages: scale(counts.w4Messages, 10) };
  }
}

/** The run sizes the CLI knows. */
export type RunSize = 'full' | 'quick' | 'tiny';

/** The counts of a run size. */
export function countsFor(size: RunSize): Counts {
  return size === 'full' ? FULL_COUNTS : size === 'quick' ? QUICK_COUNTS : TINY_COUNTS;
}
