import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonl, runDist } from './run-cli.js';

/** Python's shared-memory segments in /dev/shm (`psm_…`). */
const segments = (): string[] => readdirSync('/dev/shm').filter((f) => f.startsWith('psm_'));

// The W3 rival of @ipc/shm: Python's multiprocessing.shared_memory in real processes.
describe('the python-mp-shared-memory rival', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'ipc-bench-test-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('copies every W3 buffer in and out, checked byte for byte, and leaves no segment behind', () => {
    const before = segments();
    const run = runDist('tour-cli.js', ['--tiny', '--only', 'python-mp-shared-memory', '--out', out]);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(0);
    const records = readJsonl(readFileSync(join(out, 'results.jsonl'), 'utf8'));
    expect(records.map((r) => `${r.peer} ${r.workload} ${r.ok}`)).toEqual([
      'python-mp-shared-memory W3 true',
    ]);
    expect(records[0]?.bytes).toBe(8 * 65_536);
    expect(segments()).toEqual(before);
  });
});
