import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonl, runDist, tempDirForTests, type JsonlRecord } from './run-cli.js';

// The C ceiling cases compile their programs with the system's compiler and run in real processes.
describe('the C ceilings', () => {
  const dir = tempDirForTests();

  test('run W1–W4 and report them in the SPEC format, labelled as C ceilings', () => {
    const out = dir();
    const run = runDist('cli.js', [
      '--tiny',
      '--only',
      'c-unix-socket,c-unix-socket-1m,c-shm',
      '--out',
      join(out, 'r'),
    ]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(0);
    const records = readJsonl(readFileSync(join(out, 'r', 'results.jsonl'), 'utf8'));
    expect(records.map((r) => `${r.peer} ${r.workload} ${r.ok}`).sort()).toEqual([
      'c-shm W1 true',
      'c-shm W2 true',
      'c-shm W3 true',
      'c-shm W4 true',
      'c-unix-socket W1 true',
      'c-unix-socket W2 true',
      'c-unix-socket W3 true',
      'c-unix-socket-1m W3 true',
    ]);
    for (const peer of ['c-unix-socket', 'c-shm']) {
      const of = (w: string): JsonlRecord | undefined =>
        records.find((r) => r.peer === peer && r.workload === w);
      expect(of('W1')?.p99_us).toBeGreaterThanOrEqual(of('W1')?.median_us ?? Infinity);
      expect(of('W2')?.msgs_s).toBeGreaterThan(0);
      expect(of('W3')?.bytes).toBe(8 * 65_536);
    }
    expect(records.find((r) => r.peer === 'c-unix-socket-1m')?.bytes).toBe(8 * 65_536);
    expect(records.find((r) => r.peer === 'c-shm' && r.workload === 'W4')?.msgs_s).toBeGreaterThan(0);
    const report = readFileSync(join(out, 'r', 'report.md'), 'utf8');
    expect(report).toContain('c-unix-socket (C ceiling)');
    expect(report).toContain('c-shm (C ceiling)');
  });

  test('is listed as unavailable, with the reason, when the program cannot be compiled', () => {
    const out = dir();
    const run = runDist('cli.js', ['--list'], {
      CC: join(out, 'no-such-compiler'),
      IPC_BENCH_C_BUILD: join(out, 'build'),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /c-unix-socket\s+c\s+W1,W2,W3\s+unavailable: cannot compile .*unix_ceiling\.c/,
    );
    expect(run.stdout).toMatch(/c-shm\s+c\s+W1,W2,W3,W4\s+unavailable: cannot compile .*shm_ceiling\.c/);
  });
});
