import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonl, runDist, tempDirForTests } from './run-cli.js';

/** Python's shared-memory segments in /dev/shm (`psm_…`). */
const segments = (): string[] => readdirSync('/dev/shm').filter((f) => f.startsWith('psm_'));

// The W3 rival of @ipc/shm: Python's multiprocessing.shared_memory in real processes.
describe('the python-mp-shared-memory rival', () => {
  const dir = tempDirForTests();

  test('copies every W3 buffer in and out, checked byte for byte, and leaves no segment behind', () => {
    const out = dir();
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
