import type { CaseGroup, Workload } from '../adapter.js';

/**
 * One case run (one launch of one case on one workload): a line of `results.jsonl`, in SPEC.md's
 * Output format (`peer`, `workload`, `unit`, the figures) followed by context.
 */
export interface ResultRecord {
  peer: string;
  workload: Workload;
  unit?: string;
  median_us?: number;
  p99_us?: number;
  mean_us?: number;
  min_us?: number;
  max_us?: number;
  msgs_s?: number;
  MiB_s?: number;
  secs?: number;
  count?: number;
  bytes?: number;
  /** Busy CPU loops that ran beside the case (`--contention`); absent on a quiet run. */
  contention?: number;
  /** 1-based launch (round) number. */
  launch: number;
  group: CaseGroup;
  encoding: string;
  ok: boolean;
  /** Wall time of the whole case process, setup included (ms). */
  wall_ms: number;
  error?: string;
  /** The fraction of the run's message counts this case sent (see `BenchCase.countScale`), when < 1. */
  scale?: number;
  /** Resources named after the run's id that the case left behind (the harness removed them). */
  leftovers?: string[];
}

/** The unit of a workload's headline figure. */
export function unitOf(workload: Workload): string {
  return workload === 'W1' ? 'us/roundtrip' : workload === 'W3' ? 'MiB/s' : 'msgs/s';
}

/** The headline figure of a record (W1 median µs, W2/W4 msgs/s, W3 MiB/s), if it succeeded. */
export function headlineOf(r: ResultRecord): number | undefined {
  if (!r.ok) return undefined;
  return r.workload === 'W1' ? r.median_us : r.workload === 'W3' ? r.MiB_s : r.msgs_s;
}
