import type { Workload } from '../adapter.js';

/** Workload titles for tables and the chart. */
export const WORKLOAD_TITLES: Record<Workload, string> = {
  W1: 'W1 ping-pong latency',
  W2: 'W2 small-message throughput',
  W3: 'W3 bulk throughput (1 MiB buffers)',
  W4: 'W4 queue fan-in/fan-out (2 producers, 2 consumers)',
};

/** The headline unit, as a reader sees it. */
export const WORKLOAD_UNITS: Record<Workload, string> = {
  W1: 'µs/round trip (median; lower is better)',
  W2: 'msgs/s',
  W3: 'MiB/s',
  W4: 'msgs/s',
};

/** A figure with sensible precision and thousands separators. */
export function formatFigure(value: number | undefined, workload: Workload): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (workload === 'W1') return value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
  if (workload === 'W3') return value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
  return Math.round(value).toLocaleString('en-US');
}

/** `±12%`. */
export function formatSpread(spread: number | undefined): string {
  return spread === undefined || !Number.isFinite(spread) ? '—' : `±${Math.round(spread * 100)}%`;
}

/** `×1.85` (2 significant digits below 10). */
export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '—';
  if (ratio >= 10) return `×${Math.round(ratio)}`;
  return `×${ratio.toPrecision(2)}`;
}

/** `1m05s` / `12.3s`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
}
