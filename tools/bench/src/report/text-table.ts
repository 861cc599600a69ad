import type { Workload } from '../adapter.js';
import { contentionLevels, contentionTitle, type SummaryRow } from '../run/summary.js';
import { formatFigure, formatRatio, formatSpread, WORKLOAD_TITLES, WORKLOAD_UNITS } from './format.js';

/**
 * Rows in report order: by workload, then best ratio first, failures last; only those measured with
 * `contention` busy loops (0: quiet).
 */
export function orderedRows(rows: readonly SummaryRow[], workload: Workload, contention = 0): SummaryRow[] {
  return rows
    .filter((r) => r.workload === workload && (r.contention ?? 0) === contention)
    .sort((a, b) => (b.ratio ?? -1) - (a.ratio ?? -1) || a.peer.localeCompare(b.peer));
}

/**
 * The final table for the terminal (plain text, aligned columns), one block per workload, and one
 * set of blocks per contention level when the run measured a loaded machine.
 */
export function textTable(rows: readonly SummaryRow[], workloads: readonly Workload[]): string {
  const out: string[] = [];
  const levels = contentionLevels(rows);
  const titled = levels.length > 1 || levels[0] !== 0;
  for (const level of levels) {
    if (titled) out.push(`== ${contentionTitle(level)} ==`, '');
    out.push(...workloadBlocks(rows, workloads, level));
  }
  out.push('* best Node built-in peer; "vs best Node" > 1 means faster than it.');
  return out.join('\n');
}

function workloadBlocks(
  rows: readonly SummaryRow[],
  workloads: readonly Workload[],
  level: number,
): string[] {
  const out: string[] = [];
  for (const w of workloads) {
    const of = orderedRows(rows, w, level);
    if (of.length === 0) continue;
    const header = [
      'case',
      'group',
      w === 'W1' ? 'median µs' : WORKLOAD_UNITS[w],
      ...(w === 'W1' ? ['p99 µs'] : []),
      'spread',
      'vs best Node',
      'runs',
      'encoding',
    ];
    const body = of.map((r) => [
      r.peer + (r.bestNode === true ? ' *' : ''),
      r.group,
      formatFigure(r.median, w),
      ...(w === 'W1' ? [formatFigure(r.p99_us, w)] : []),
      formatSpread(r.spread),
      formatRatio(r.ratio),
      `${r.ok}/${r.runs}`,
      r.error !== undefined
        ? `FAILED: ${r.error}`
        : r.encoding + (r.note !== undefined ? ` (${r.note})` : ''),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    const numeric = (i: number): boolean => i >= 2 && i < header.length - 1;
    const line = (cells: string[]): string =>
      cells
        .map((c, i) =>
          i === cells.length - 1 ? c : numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!),
        )
        .join('  ');
    out.push(`${WORKLOAD_TITLES[w]} — ${WORKLOAD_UNITS[w]}`, line(header), ...body.map(line), '');
  }
  return out;
}
