import { describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonl, runDist, withTempDir, type JsonlRecord } from './run-cli.js';

// The harness's checks are real: a transport that loses or alters a message is reported as failed,
// with a one-line reason, and the run goes on; an unavailable one is skipped with its reason.
describe('the harness catches broken transports', () => {
  test('a /dev/shm segment left behind is reported and removed', () => {
    withTempDir((out) => {
      const r = runDist('cli.js', ['--tiny', '--only', 'faulty-leak', '--workloads', 'W1', '--out', out], {
        IPC_BENCH_ADAPTERS: join(__dirname, 'fixtures', 'adapters'),
      });
      expect(r.code).toBe(0);
      const [record] = readJsonl(readFileSync(join(out, 'results.jsonl'), 'utf8'));
      expect(record).toMatchObject({ peer: 'faulty-leak', ok: true });
      expect(record!.leftovers).toHaveLength(1);
      const [leaked] = record!.leftovers!;
      expect(leaked).toMatch(/^\/dev\/shm\/ipc-bench-test-b/);
      expect(existsSync(leaked!)).toBe(false);
      expect(r.stderr).toContain(`left behind: ${leaked}`);
    });
  });

  test('a case with countScale runs that fraction of the messages, and the report says so', () => {
    withTempDir((out) => {
      const r = runDist(
        'cli.js',
        [
          '--tiny',
          '--only',
          'slow-scaled',
          '--workloads',
          'W2',
          '--out',
          out,
          '--markdown',
          join(out, 'B.md'),
        ],
        { IPC_BENCH_ADAPTERS: join(__dirname, 'fixtures', 'adapters') },
      );
      expect(r.code).toBe(0);
      const [record] = readJsonl(readFileSync(join(out, 'results.jsonl'), 'utf8'));
      expect(record).toMatchObject({ peer: 'slow-scaled', ok: true, count: 500, scale: 0.5 });
      expect(readFileSync(join(out, 'B.md'), 'utf8')).toMatch(
        /^\| slow-scaled \| [\d,]+ \| .*ran 0\.5 × the messages/m,
      );
    });
  });

  test('a lost W2 message, a corrupted W3 buffer, an unavailable service', () => {
    withTempDir((out) => {
      const r = runDist(
        'cli.js',
        [
          '--tiny',
          '--only',
          'faulty-drop,faulty-corrupt,faulty-unavailable,node-fork-advanced',
          '--workloads',
          'W2,W3',
          '--out',
          out,
        ],
        { IPC_BENCH_ADAPTERS: join(__dirname, 'fixtures', 'adapters') },
      );
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/skipped faulty-unavailable: service not reachable/);
      const records = readJsonl(readFileSync(join(out, 'results.jsonl'), 'utf8'));
      const by = (peer: string): JsonlRecord | undefined => records.find((x) => x.peer === peer);
      expect(by('faulty-drop')).toMatchObject({ ok: false, workload: 'W2' });
      expect(by('faulty-drop')?.error).toMatch(/expected message id 7, got \{"id":8/);
      expect(by('faulty-corrupt')).toMatchObject({ ok: false, workload: 'W3' });
      // The third buffer sent: after --tiny's one warm-up buffer, buffer 1 of the timed pass.
      expect(by('faulty-corrupt')?.error).toMatch(/W3: buffer 1 altered at byte 0/);
      expect(records.filter((x) => x.peer === 'node-fork-advanced').every((x) => x.ok)).toBe(true);
      expect(by('faulty-unavailable')).toBeUndefined();
      expect(r.stdout).toMatch(/faulty-drop .*FAILED: .*expected message id 7/);
    });
  });
});
