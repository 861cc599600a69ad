import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonl, runDist } from './run-cli.js';

// The C ceiling case compiles its program with the system's compiler and runs W1–W3 in real processes.
describe('the c-unix-socket ceiling', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'ipc-bench-test-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('runs W1–W3 and reports them in the SPEC format, labelled as the C ceiling', () => {
    const run = runDist('cli.js', ['--tiny', '--only', 'c-unix-socket', '--out', join(out, 'r')]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(0);
    const records = readJsonl(readFileSync(join(out, 'r', 'results.jsonl'), 'utf8'));
    expect(records.map((r) => `${r.peer} ${r.workload} ${r.ok}`)).toEqual([
      'c-unix-socket W1 true',
      'c-unix-socket W2 true',
      'c-unix-socket W3 true',
    ]);
    const [w1, w2, w3] = records;
    expect(w1?.p99_us).toBeGreaterThanOrEqual(w1?.median_us ?? Infinity);
    expect(w2?.msgs_s).toBeGreaterThan(0);
    expect(w3?.bytes).toBe(8 * 65_536);
    expect(readFileSync(join(out, 'r', 'report.md'), 'utf8')).toContain('c-unix-socket (C ceiling)');
  });

  test('is listed as unavailable, with the reason, when the program cannot be compiled', () => {
    const run = runDist('cli.js', ['--list'], {
      CC: join(out, 'no-such-compiler'),
      IPC_BENCH_C_BUILD: join(out, 'build'),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /c-unix-socket\s+c\s+W1,W2,W3\s+unavailable: cannot compile .*unix_ceiling\.c/,
    );
  });
});
