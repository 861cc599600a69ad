import { beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { benchDir, runDist } from './run-cli.js';

// `npm run bench:compare` with this checkout as both sides (--base-dir): real bench runs, interleaved;
// checks the table's structure, never the figures.
describe('npm run bench:compare -- --base-dir <checkout>', () => {
  let run: ReturnType<typeof runDist>;

  beforeAll(() => {
    const repo = join(benchDir, '..', '..');
    run = runDist('compare-cli.js', [
      '--base-dir',
      repo,
      '--tiny',
      '--only',
      'node-fork-json',
      '--workloads',
      'W1',
      '--launches',
      '2',
    ]);
  });

  test('runs each case once per side per round, alternating which side goes first', () => {
    expect(run.code).toBe(0);
    const order = run.stderr
      .split('\n')
      .filter((l) => /^\[\d\/4\]/.test(l))
      .map((l) => l.replace(/^\[\d\/4\] /, ''));
    expect(order).toEqual([
      'base W1 node-fork-json',
      'this checkout W1 node-fork-json',
      'this checkout W1 node-fork-json',
      'base W1 node-fork-json',
    ]);
  });

  test('prints one row per case and workload with both medians, the ratio and (W1) both p99s', () => {
    const rows = run.stdout.split('\n').filter((l) => /^W1\s+node-fork-json/.test(l));
    expect(rows).toHaveLength(1);
    for (const r of rows) expect(r).toMatch(/×\d+\.\d\d\s+[\d,.]+ → [\d,.]+$/);
  });

  test('needs exactly one of --base and --base-dir', () => {
    const bad = runDist('compare-cli.js', ['--tiny']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/exactly one of --base REV and --base-dir DIR/);
  });
});
