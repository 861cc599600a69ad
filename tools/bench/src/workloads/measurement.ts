/** What one case run measured (one launch of one case on one workload). */
export type Measurement =
  | {
      workload: 'W1';
      unit: 'us/roundtrip';
      median_us: number;
      p99_us: number;
      mean_us: number;
      min_us: number;
      max_us: number;
      count: number;
    }
  | { workload: 'W2' | 'W4'; unit: 'msgs/s'; msgs_s: number; secs: number; count: number }
  | { workload: 'W3'; unit: 'MiB/s'; MiB_s: number; secs: number; bytes: number };

/** The headline number of a measurement (W1: median µs; W2/W4: msgs/s; W3: MiB/s). */
export function headline(m: Measurement): number {
  switch (m.workload) {
    case 'W1':
      return m.median_us;
    case 'W3':
      return m.MiB_s;
    default:
      return m.msgs_s;
  }
}

/** Whether a larger headline number is better (false for latency). */
export function higherIsBetter(workload: string): boolean {
  return workload !== 'W1';
}

/** W1 latencies (ns per round trip) → the SPEC's figures (nearest-rank p99). */
export function latencyMeasurement(samplesNs: Float64Array): Measurement {
  const sorted = Float64Array.from(samplesNs).sort();
  const n = sorted.length;
  const at = (rank: number): number => sorted[Math.min(n, Math.max(1, rank)) - 1]! / 1000;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    workload: 'W1',
    unit: 'us/roundtrip',
    median_us: round(n % 2 === 1 ? at((n + 1) / 2) : (at(n / 2) + at(n / 2 + 1)) / 2),
    p99_us: round(at(Math.ceil(0.99 * n))),
    mean_us: round(sum / n / 1000),
    min_us: round(at(1)),
    max_us: round(at(n)),
    count: n,
  };
}

/** W2/W4 throughput. */
export function messageRate(workload: 'W2' | 'W4', count: number, elapsedNs: number): Measurement {
  const secs = elapsedNs / 1e9;
  return { workload, unit: 'msgs/s', msgs_s: Math.round(count / secs), secs: round(secs, 4), count };
}

/** W3 throughput in MiB/s. */
export function bulkRate(bytes: number, elapsedNs: number): Measurement {
  const secs = elapsedNs / 1e9;
  return {
    workload: 'W3',
    unit: 'MiB/s',
    MiB_s: round(bytes / secs / 1_048_576, 1),
    secs: round(secs, 4),
    bytes,
  };
}

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
