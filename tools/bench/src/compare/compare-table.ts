import type { Workload } from '../adapter.js';
import { formatFigure, formatSpread } from '../report/format.js';
import { summarize, type SummaryRow } from '../run/summary.js';
import type { ResultRecord } from '../run/result-record.js';

/** One compared (case, workload, contention): each side's median and this checkout's speed relative to the base. */
export interface ComparedRow {
  peer: string;
  workload: Workload;
  contention: number;
  base?: SummaryRow;
  head?: SummaryRow;
  /** > 1: this checkout is faster (W1: base µs / head µs; W2–W4: head rate / base rate). */
  speedup?: number;
}

/** Pairs the two sides' summaries by (contention, workload, case). */
export function compareRecords(base: readonly ResultRecord[], head: readonly ResultRecord[]): ComparedRow[] {
  const key = (r: SummaryRow): string => `${r.contention ?? 0} ${r.workload} ${r.peer}`;
  const baseRows = new Map(summarize(base).map((r) => [key(r), r]));
  const rows: ComparedRow[] = [];
  for (const h of summarize(head)) {
    const b = baseRows.get(key(h));
    const row: ComparedRow = { peer: h.peer, workload: h.workload, contention: h.contention ?? 0, head: h };
    if (b !== undefined) {
      row.base = b;
      if (b.median !== undefined && h.median !== undefined)
        row.speedup = h.workload === 'W1' ? b.median / h.median : h.median / b.median;
    }
    rows.push(row);
  }
  return rows;
}

/** A W1 p99 in µs, or '-'. */
function formatP99(us: number | undefined): string {
  return us === undefined ? '-' : formatFigure(us, 'W1');
}

/** The comparison as an aligned text table. */
export function compareTable(rows: readonly ComparedRow[], baseLabel: string): string {
  const header = [
    'workload',
    'case',
    'busy loops',
    baseLabel,
    '±',
    'this checkout',
    '±',
    'speed vs base',
    'p99 base → this',
  ];
  const p99 = (r: ComparedRow): string =>
    r.workload !== 'W1' ? '' : `${formatP99(r.base?.p99_us)} → ${formatP99(r.head?.p99_us)}`;
  const fig = (r: SummaryRow | undefined, w: Workload): string =>
    r === undefined ? '-' : r.median === undefined ? 'FAILED' : formatFigure(r.median, w);
  const body = rows.map((r) => [
    r.workload,
    r.peer,
    String(r.contention),
    fig(r.base, r.workload),
    formatSpread(r.base?.spread),
    fig(r.head, r.workload),
    formatSpread(r.head?.spread),
    r.speedup === undefined ? '-' : `×${r.speedup.toFixed(2)}`,
    p99(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    line(header),
    ...body.map(line),
    '',
    "W1: median µs per round trip (p99: median of the launches' p99 µs); W2, W4: msgs/s; W3: MiB/s.",
    '"speed vs base" > 1: this checkout is faster.',
  ].join('\n');
}
