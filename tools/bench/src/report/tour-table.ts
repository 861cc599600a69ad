import type { CaseGroup, Workload } from '../adapter.js';
import type { SummaryRow } from '../run/summary.js';
import { formatFigure, formatRatio } from './format.js';

const HEADERS: Record<Workload, string> = {
  W1: 'W1 µs/rt',
  W2: 'W2 msgs/s',
  W3: 'W3 MiB/s',
  W4: 'W4 msgs/s',
};
const GROUP_ORDER: Record<CaseGroup, number> = { ipc: 0, library: 1, node: 2, python: 3, c: 4 };

/** The tour's table: one row per case, one column per workload (`figure ×ratio`, or `FAILED`). */
export function tourTable(rows: readonly SummaryRow[], workloads: readonly Workload[]): string {
  const names = [...new Set(rows.map((r) => r.peer))].sort((a, b) => {
    const ga = GROUP_ORDER[rows.find((r) => r.peer === a)!.group];
    const gb = GROUP_ORDER[rows.find((r) => r.peer === b)!.group];
    return ga - gb || a.localeCompare(b);
  });
  const header = ['case', ...workloads.map((w) => HEADERS[w]), 'checked'];
  const body = names.map((name) => {
    const of = rows.filter((r) => r.peer === name);
    const cells = workloads.map((w) => {
      const r = of.find((x) => x.workload === w);
      if (r === undefined) return '';
      if (r.median === undefined) return 'FAILED';
      return `${formatFigure(r.median, w)} ${formatRatio(r.ratio)}`;
    });
    const failed = of.filter((r) => r.ok < r.runs).length;
    return [name, ...cells, failed === 0 ? 'ok' : `${failed} FAILED`];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ');
  return [line(header), line(header.map((_, i) => '-'.repeat(widths[i]!))), ...body.map(line)].join('\n');
}
