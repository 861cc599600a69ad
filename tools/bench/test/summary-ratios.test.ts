import { describe, expect, test } from '@jest/globals';
import type { ResultRecord } from '../src/run/result-record.js';
import { median, summarize } from '../src/run/summary.js';
import { svgChart } from '../src/report/svg-chart.js';

const rec = (
  peer: string,
  workload: ResultRecord['workload'],
  value: number,
  extra: Partial<ResultRecord> = {},
): ResultRecord => ({
  peer,
  workload,
  group: peer.startsWith('node-') ? 'node' : 'ipc',
  encoding: 'json',
  launch: 1,
  ok: true,
  wall_ms: 1,
  ...(workload === 'W1'
    ? { median_us: value, p99_us: value * 2 }
    : workload === 'W3'
      ? { MiB_s: value }
      : { msgs_s: value }),
  ...extra,
});

describe('summarize', () => {
  test('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  test('medians over launches, spread = half the range over the median', () => {
    const [row] = summarize([rec('ipc-x', 'W2', 100), rec('ipc-x', 'W2', 120), rec('ipc-x', 'W2', 80)]);
    expect(row).toMatchObject({ median: 100, spread: 0.2, ok: 3, runs: 3, unit: 'msgs/s' });
  });

  test('one launch has no spread; a failed launch is counted and its error kept', () => {
    const [row] = summarize([rec('ipc-x', 'W3', 500), rec('ipc-x', 'W3', 0, { ok: false, error: 'boom' })]);
    expect(row).toMatchObject({ median: 500, ok: 1, runs: 2, error: 'boom' });
    expect(row!.spread).toBeUndefined();
  });

  test('ratios: throughput over the best Node peer; latency the other way round (higher is faster)', () => {
    const rows = summarize([
      rec('node-a', 'W2', 100_000),
      rec('node-b', 'W2', 50_000),
      rec('ipc-x', 'W2', 300_000),
      rec('node-a', 'W1', 40),
      rec('node-b', 'W1', 20),
      rec('ipc-x', 'W1', 10),
    ]);
    const get = (peer: string, w: string) => rows.find((r) => r.peer === peer && r.workload === w)!;
    expect(get('node-a', 'W2')).toMatchObject({ bestNode: true, ratio: 1 });
    expect(get('ipc-x', 'W2').ratio).toBe(3);
    expect(get('node-b', 'W2').ratio).toBe(0.5);
    expect(get('node-b', 'W1')).toMatchObject({ bestNode: true, ratio: 1 });
    expect(get('ipc-x', 'W1').ratio).toBe(2);
    expect(get('node-a', 'W1').ratio).toBe(0.5);
    expect(get('ipc-x', 'W1').p99_us).toBe(20);
  });

  test('no Node peer in a workload: no ratios', () => {
    const [row] = summarize([rec('ipc-x', 'W4', 1000)]);
    expect(row!.ratio).toBeUndefined();
  });
});

describe('svgChart', () => {
  test('one panel per workload with results, a bar per ratio, failures marked, text escaped', () => {
    const rows = summarize([
      rec('node-a', 'W2', 100_000),
      rec('ipc-<x>', 'W2', 250_000),
      rec('ipc-y', 'W2', 0, { ok: false, error: 'peer died' }),
      rec('node-hub', 'W4', 50_000),
    ]);
    const svg = svgChart(rows, ['W1', 'W2', 'W3', 'W4'], 'test & run');
    expect(svg).toContain('W2 small-message throughput');
    expect(svg).toContain('W4 queue fan-in/fan-out');
    expect(svg).not.toContain('W1 ping-pong');
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(3);
    expect(svg).toContain('ipc-&lt;x&gt;');
    expect(svg).toContain('test &amp; run');
    expect(svg).toContain('×2.5');
    expect(svg).toMatch(/class="fail">failed</);
  });
});
