import { beforeAll, describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonl, runDist, tempDirForTests, type SummaryJson } from './run-cli.js';

/** Processes on this machine now that run the bench's busy-loop program. */
function busyLoopsRunning(): number {
  let count = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes("write('spinning")) count++;
    } catch {
      // the process ended meanwhile
    }
  }
  return count;
}

// `--contention 0,2`: every case measured quiet and with two busy CPU loops beside it, interleaved, one
// table per machine state; the loops are gone afterwards. Checks the structure, never the timings.
describe('npm run bench -- --tiny --contention 0,2', () => {
  const dir = tempDirForTests();
  let out = '';
  let run: ReturnType<typeof runDist>;

  beforeAll(() => {
    out = dir();
    run = runDist('cli.js', [
      '--tiny',
      '--only',
      'node-fork-json',
      '--workloads',
      'W1,W2',
      '--contention',
      '0,2',
      '--out',
      join(out, 'r'),
    ]);
  });

  test('records each case quiet and loaded, and the ratios compare within one machine state', () => {
    expect(run.code).toBe(0);
    const records = readJsonl(readFileSync(join(out, 'r', 'results.jsonl'), 'utf8'));
    expect(records.map((r) => `${r.workload}:${r.contention ?? 0}`)).toEqual([
      'W1:0',
      'W1:2',
      'W2:0',
      'W2:2',
    ]);
    for (const r of records) expect(r.ok).toBe(true);
    const summary = (
      JSON.parse(readFileSync(join(out, 'r', 'results.json'), 'utf8')) as { summary: SummaryJson[] }
    ).summary;
    expect(summary).toHaveLength(4);
    // The only Node peer is the best Node peer of its own machine state, at both levels.
    for (const s of summary) expect(s).toMatchObject({ bestNode: true, ratio: 1 });
  });

  test('prints a table per machine state and leaves no busy loop running', () => {
    expect(run.stdout).toContain('== quiet machine ==');
    expect(run.stdout).toContain('== with 2 busy CPU loops beside each case ==');
    expect(busyLoopsRunning()).toBe(0);
  });

  test('rejects a contention that is not a count', () => {
    const bad = runDist('cli.js', ['--tiny', '--contention', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--contention takes integers/);
  });
});
