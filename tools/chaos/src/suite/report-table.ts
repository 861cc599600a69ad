import type { Tally } from './tally.js';

/** The report as a Markdown table: scenario | tried | survived | lost | hung | wrong | notes. */
export function reportTable(rows: readonly Tally[]): string {
  const head = ['scenario', 'tried', 'survived', 'lost', 'hung', 'wrong', 'result', 'notes'];
  const body = rows.map((r) => [
    r.name,
    String(r.tried),
    String(r.survived),
    String(r.lost),
    String(r.hung),
    String(r.wrong),
    r.skipped !== undefined ? 'skipped' : r.passed ? 'ok' : 'FAIL',
    r.notes.replaceAll('|', '/'),
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...body.map((b) => (i === 7 ? 0 : (b[i] ?? '').length))),
  );
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (i === 7 ? c : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  return [line(head), line(widths.map((w, i) => '-'.repeat(i === 7 ? 5 : w))), ...body.map(line)].join('\n');
}
