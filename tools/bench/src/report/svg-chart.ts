import type { CaseGroup, Workload } from '../adapter.js';
import type { SummaryRow } from '../run/summary.js';
import { formatFigure, formatRatio, WORKLOAD_TITLES } from './format.js';
import { orderedRows } from './text-table.js';

const WIDTH = 960;
const LABEL_X = 16;
const PLOT_X0 = 250;
const PLOT_X1 = 760;
const ROW = 22;
const COLORS: Record<CaseGroup, string> = {
  ipc: '#2563eb',
  node: '#6b7280',
  library: '#7c3aed',
  python: '#d97706',
  c: '#059669',
};
const TICKS = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000,
];
const UNITS: Record<Workload, string> = { W1: 'µs', W2: 'msg/s', W3: 'MiB/s', W4: 'msg/s' };

/**
 * A bar chart of each case's speed relative to the best Node built-in peer, one panel per workload, on
 * a shared log scale: bars grow right of the ×1 line when faster, left when slower.
 */
export function svgChart(
  rows: readonly SummaryRow[],
  workloads: readonly Workload[],
  subtitle: string,
): string {
  const panels = workloads.map((w) => ({ w, rows: orderedRows(rows, w) })).filter((p) => p.rows.length > 0);
  const ratios = rows
    .map((r) => r.ratio)
    .filter((r): r is number => r !== undefined && r > 0 && Number.isFinite(r));
  const lo = Math.min(0.5, ...ratios) / 1.25;
  const hi = Math.max(2, ...ratios) * 1.25;
  const x = (r: number): number =>
    PLOT_X0 + ((Math.log(r) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * (PLOT_X1 - PLOT_X0);
  const parts: string[] = [];
  let y = 20;
  parts.push(
    text(
      LABEL_X,
      y + 6,
      'Speed relative to the best Node built-in peer (×1 line; right = faster; log scale)',
      'title',
    ),
  );
  y += 22;
  parts.push(text(LABEL_X, y, subtitle, 'sub'));
  y += 18;
  let lx = LABEL_X;
  for (const [group, label] of [
    ['ipc', '@ipc transports'],
    ['node', 'Node built-ins'],
    ['library', 'libraries used directly'],
    ['python', 'Python multiprocessing'],
    ['c', 'C ceiling (kernel mechanism)'],
  ] as const) {
    if (!rows.some((r) => r.group === group)) continue;
    parts.push(`<rect x="${lx}" y="${y - 9}" width="10" height="10" fill="${COLORS[group]}"/>`);
    parts.push(text(lx + 14, y, label, 'sub'));
    lx += 30 + label.length * 6.5;
  }
  y += 14;
  for (const panel of panels) {
    y += 20;
    parts.push(text(LABEL_X, y, WORKLOAD_TITLES[panel.w], 'panel'));
    y += 8;
    const top = y;
    const height = panel.rows.length * ROW;
    for (const t of TICKS) {
      if (t < lo || t > hi) continue;
      const tx = x(t);
      parts.push(
        `<line x1="${f(tx)}" y1="${top}" x2="${f(tx)}" y2="${top + height}" class="${t === 1 ? 'one' : 'grid'}"/>`,
      );
      parts.push(text(tx, top + height + 12, `×${t}`, 'tick', 'middle'));
    }
    panel.rows.forEach((r, i) => {
      const cy = top + i * ROW + ROW / 2;
      parts.push(text(LABEL_X, cy + 4, r.peer + (r.bestNode === true ? ' (best Node)' : ''), 'label'));
      if (r.ratio === undefined || !(r.ratio > 0)) {
        parts.push(text(x(1) + 6, cy + 4, r.error !== undefined ? 'failed' : 'no result', 'fail'));
        return;
      }
      const a = x(Math.min(1, r.ratio));
      const b = x(Math.max(1, r.ratio));
      parts.push(
        `<rect x="${f(a)}" y="${f(cy - 7)}" width="${f(Math.max(1.5, b - a))}" height="14" fill="${COLORS[r.group]}"><title>${esc(
          `${r.peer} ${panel.w}: ${formatFigure(r.median, panel.w)} ${UNITS[panel.w]}, ${formatRatio(r.ratio)}`,
        )}</title></rect>`,
      );
      parts.push(
        text(
          Math.max(b, x(1)) + 6,
          cy + 4,
          `${formatRatio(r.ratio)}  ${formatFigure(r.median, panel.w)} ${UNITS[panel.w]}`,
          'value',
        ),
      );
    });
    y = top + height + 16;
  }
  const height = y + 12;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif">`,
    '<style>.title{font-size:16px;font-weight:600;fill:#111}.sub{font-size:12px;fill:#444}.panel{font-size:14px;font-weight:600;fill:#111}.label{font-size:12px;fill:#222}.value{font-size:11px;fill:#333}.tick{font-size:10px;fill:#777}.fail{font-size:11px;fill:#b91c1c}.grid{stroke:#e5e7eb;stroke-width:1}.one{stroke:#111;stroke-width:1.5}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function text(x: number, y: number, s: string, cls: string, anchor?: 'middle'): string {
  return `<text x="${f(x)}" y="${f(y)}" class="${cls}"${anchor ? ` text-anchor="${anchor}"` : ''}>${esc(s)}</text>`;
}

function f(n: number): string {
  return n.toFixed(1).replace(/\.0$/, '');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
