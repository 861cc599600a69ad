import { beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonl, runDist, tempDirForTests, withTempDir, type SummaryJson } from './run-cli.js';

// The bench end to end in its smallest mode: real processes, real rivals; checks the reports' structure
// (never the timings).
describe('npm run bench -- --tiny', () => {
  const dir = tempDirForTests();
  let out = '';
  let run: ReturnType<typeof runDist>;
  const cases = ['node-fork-json', 'node-net-unix-json', 'node-fork-relay-hub'];

  beforeAll(() => {
    out = dir();
    run = runDist('cli.js', [
      '--tiny',
      '--only',
      cases.join(','),
      '--out',
      join(out, 'r'),
      '--markdown',
      join(out, 'B.md'),
    ]);
  });

  test('exits 0 and prints the final table with every case', () => {
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(0);
    for (const c of cases) expect(run.stdout).toContain(c);
    expect(run.stdout).toMatch(/W1 ping-pong latency/);
    expect(run.stdout).toMatch(/W4 queue fan-in/);
    expect(run.stderr).toMatch(/\[7\/7\]/); // plain progress lines when not a TTY
  });

  test('writes one JSON line per case run in the SPEC output format', () => {
    const records = readJsonl(readFileSync(join(out, 'r', 'results.jsonl'), 'utf8'));
    expect(records).toHaveLength(2 * 3 + 1); // W1–W3 × 2 peers, W4 × hub
    for (const r of records) {
      expect(Object.keys(r).slice(0, 3)).toEqual(['peer', 'workload', 'unit']);
      expect(r.ok).toBe(true);
      expect(r.launch).toBe(1);
      if (r.workload === 'W1') {
        expect(r.unit).toBe('us/roundtrip');
        expect(r.median_us).toBeGreaterThan(0);
        expect(r.p99_us).toBeGreaterThanOrEqual(r.median_us!);
        expect(r.count).toBe(200);
      } else if (r.workload === 'W3') {
        expect(r.unit).toBe('MiB/s');
        expect(r.MiB_s).toBeGreaterThan(0);
        expect(r.bytes).toBe(8 * 65_536);
      } else {
        expect(r.unit).toBe('msgs/s');
        expect(r.msgs_s).toBeGreaterThan(0);
        expect(r.count).toBe(1_000);
      }
    }
  });

  test('results.json summarises medians, spread and ratios to the best Node peer', () => {
    const json = JSON.parse(readFileSync(join(out, 'r', 'results.json'), 'utf8')) as {
      info: { machine: { cpus: number } };
      counts: { w2Messages: number; w2Warmup: number; w3Warmup: number; w4Warmup: number };
      records: unknown[];
      summary: SummaryJson[];
    };
    expect(json.info.machine.cpus).toBeGreaterThan(0);
    expect(json.counts.w2Messages).toBe(1_000);
    expect(json.counts).toMatchObject({ w2Warmup: 100, w3Warmup: 1, w4Warmup: 100 });
    expect(json.records).toHaveLength(7);
    const w4 = json.summary.find((s) => s.workload === 'W4');
    expect(w4).toMatchObject({ peer: 'node-fork-relay-hub', bestNode: true, ratio: 1, ok: 1, runs: 1 });
    for (const w of ['W1', 'W2', 'W3']) {
      const rows = json.summary.filter((s) => s.workload === w);
      expect(rows).toHaveLength(2);
      expect(rows.filter((s) => s.bestNode === true)).toHaveLength(1);
      for (const s of rows) expect(s.ratio).toBeLessThanOrEqual(1);
    }
  });

  test('writes a Markdown report with a table per workload and the chart', () => {
    for (const md of [join(out, 'r', 'report.md'), join(out, 'B.md')]) {
      const text = readFileSync(md, 'utf8');
      expect(text).toMatch(/^# Benchmarks/);
      expect(text).toMatch(/\*\*Machine:\*\*/);
      expect(text).toContain(
        '**Warm-up (untimed):** W1 20 round trips; W2 an untimed pass of 100 messages first, in the same processes; W3 an untimed pass of 1 buffer first, in the same processes; W4 an untimed pass of 100 messages first',
      );
      expect(text).toMatch(/\*\*Command:\*\* `node tools\/bench\/dist\/cli\.js --tiny/);
      expect(text.match(/^## W\d .*\n\n\| case \| /gm)).toHaveLength(4);
      expect(text).toMatch(/^## The cases\n\n\| case \| group \| what it is \|/m);
      expect(text).toMatch(/^\| node-fork-relay-hub \| node \| child_process IPC/m);
      expect(text).toMatch(/^\| \*\*node-fork-relay-hub\*\* \(Node\) \| [\d,]+ \|/m);
    }
    expect(readFileSync(join(out, 'B.md'), 'utf8')).toContain('](B.svg)');
    expect(readFileSync(join(out, 'r', 'report.md'), 'utf8')).toContain('](chart.svg)');
  });

  test('writes an SVG chart with one bar per case and workload', () => {
    expect(existsSync(join(out, 'B.svg'))).toBe(true);
    const svg = readFileSync(join(out, 'r', 'chart.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<rect [^>]*fill="#6b7280"><title>/g)).toHaveLength(7);
    for (const c of cases) expect(svg).toContain(`>${c}`);
  });
});

describe('npm run bench -- --tiny --cold', () => {
  test('runs W2 and W4 without their warm-up pass and says so', () => {
    withTempDir((out) => {
      const run = runDist('cli.js', [
        '--tiny',
        '--cold',
        '--only',
        'node-fork-relay-hub,node-fork-json',
        '--workloads',
        'W2,W4',
        '--out',
        out,
      ]);
      expect(run.code).toBe(0);
      const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
        counts: { w2Warmup: number; w3Warmup: number; w4Warmup: number };
      };
      expect(json.counts).toMatchObject({ w2Warmup: 0, w3Warmup: 0, w4Warmup: 0 });
      expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
        'W2 cold (`--cold`); W3 cold (`--cold`); W4 cold (`--cold`)',
      );
      for (const r of readJsonl(readFileSync(join(out, 'results.jsonl'), 'utf8')))
        expect(r).toMatchObject({ ok: true, count: 1_000 });
    });
  });
});
