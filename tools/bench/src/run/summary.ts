import type { CaseGroup, Workload } from '../adapter.js';
import { headlineOf, unitOf, type ResultRecord } from './result-record.js';

/** The summary of one (case, workload) over its launches. */
export interface SummaryRow {
  peer: string;
  workload: Workload;
  group: CaseGroup;
  encoding: string;
  /** Busy CPU loops beside the case (`--contention`); absent on a quiet run. */
  contention?: number;
  note?: string;
  unit: string;
  /** Successful launches / launches. */
  ok: number;
  runs: number;
  /** Median of the launches' headline figures (W1: median µs per round trip). */
  median?: number;
  /** Half the min–max range relative to the median (0.05 = ±5 %). */
  spread?: number;
  /** W1 only: median of the launches' p99. */
  p99_us?: number;
  /**
   * Speed relative to the best Node built-in peer of the same workload, higher is better
   * (W1: best Node median / this median; W2–W4: this / best Node).
   */
  ratio?: number;
  /** Whether this row is that best Node peer. */
  bestNode?: boolean;
  /** The fraction of the messages this case ran, when < 1 (see `BenchCase.countScale`). */
  scale?: number;
  /** The first error, when some launch failed. */
  error?: string;
}

/** Median of numbers (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/**
 * Groups records by (contention, peer, workload) in first-seen order and computes medians, spread and
 * ratios; a ratio compares with the best Node peer at the same contention.
 */
export function summarize(
  records: readonly ResultRecord[],
  notes: ReadonlyMap<string, string> = new Map(),
): SummaryRow[] {
  const groups = new Map<string, ResultRecord[]>();
  for (const r of records) {
    const key = `${r.contention ?? 0}\u0000${r.workload}\u0000${r.peer}`;
    let list = groups.get(key);
    if (list === undefined) groups.set(key, (list = []));
    list.push(r);
  }
  const rows: SummaryRow[] = [];
  for (const list of groups.values()) {
    const first = list[0]!;
    const values = list.map(headlineOf).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const row: SummaryRow = {
      peer: first.peer,
      workload: first.workload,
      group: first.group,
      encoding: first.encoding,
      unit: unitOf(first.workload),
      ok: values.length,
      runs: list.length,
    };
    if (first.contention !== undefined) row.contention = first.contention;
    const parts = [
      notes.get(first.peer),
      first.scale !== undefined ? `ran ${first.scale} × the messages` : undefined,
    ];
    const note = parts.filter((p) => p !== undefined).join('; ');
    if (note !== '') row.note = note;
    if (first.scale !== undefined) row.scale = first.scale;
    if (values.length > 0) {
      const m = median(values);
      row.median = m;
      if (values.length > 1) row.spread = (Math.max(...values) - Math.min(...values)) / 2 / m;
      if (first.workload === 'W1') {
        const p99 = list.filter((r) => r.ok && r.p99_us !== undefined).map((r) => r.p99_us!);
        if (p99.length > 0) row.p99_us = median(p99);
      }
    }
    const error = list.find((r) => !r.ok)?.error;
    if (error !== undefined) row.error = error;
    rows.push(row);
  }
  for (const level of contentionLevels(rows))
    for (const workload of ['W1', 'W2', 'W3', 'W4'] as const) {
      const of = rows.filter(
        (r) => r.workload === workload && r.median !== undefined && (r.contention ?? 0) === level,
      );
      const node = of.filter((r) => r.group === 'node');
      if (node.length === 0) continue;
      const lower = workload === 'W1';
      const best = node.reduce((a, b) => ((lower ? b.median! < a.median! : b.median! > a.median!) ? b : a));
      best.bestNode = true;
      for (const r of of) r.ratio = lower ? best.median! / r.median! : r.median! / best.median!;
    }
  return rows;
}

/** The contention levels of some rows, quiet (0) first. */
export function contentionLevels(rows: readonly { contention?: number }[]): number[] {
  return [...new Set(rows.map((r) => r.contention ?? 0))].sort((a, b) => a - b);
}

/** A heading for a contention level's table: "quiet machine" or "with N busy CPU loops beside each case". */
export function contentionTitle(level: number): string {
  return level === 0
    ? 'quiet machine'
    : `with ${level} busy CPU loop${level > 1 ? 's' : ''} beside each case`;
}
