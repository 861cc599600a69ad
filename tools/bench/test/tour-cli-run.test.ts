import { describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { runDist, withTempDir } from './run-cli.js';

const adapters = join(__dirname, 'fixtures', 'adapters');

// `npm start` (the tour) in its smallest mode: real processes, every message checked, one table;
// an unavailable case is skipped with its reason; a case that loses a message fails the tour.
describe('the tour', () => {
  test('runs the cases, prints the table and the skipped ones, exits 0', () => {
    withTempDir((out) => {
      const r = runDist(
        'tour-cli.js',
        ['--tiny', '--only', 'node-fork-json,node-fork-relay-hub,faulty-unavailable', '--out', out],
        { IPC_BENCH_ADAPTERS: adapters },
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^case +W1 µs\/rt +W2 msgs\/s +W3 MiB\/s +W4 msgs\/s +checked$/m);
      expect(r.stdout).toMatch(/^node-fork-json +[\d.]+ ×1\.0 +[\d,]+ ×1\.0 +[\d,.]+ ×1\.0 +ok$/m);
      expect(r.stdout).toMatch(/^node-fork-relay-hub +[\d,]+ ×1\.0 +ok$/m);
      expect(r.stdout).toMatch(/Skipped:\n {2}faulty-unavailable: service not reachable on 127\.0\.0\.1:1/);
      expect(r.stdout).toMatch(/4 of 4 case runs delivered every message intact; 1 case\(s\) skipped/);
    }, 'ipc-tour-test-');
  });

  test('a transport that loses a message fails the tour with a one-line reason', () => {
    withTempDir((out) => {
      const r = runDist('tour-cli.js', ['--tiny', '--only', 'faulty-drop', '--out', out], {
        IPC_BENCH_ADAPTERS: adapters,
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^faulty-drop +FAILED +1 FAILED$/m);
      expect(r.stdout).toMatch(/Failed:\n {2}W2 faulty-drop: .*expected message id 7/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }, 'ipc-tour-test-');
  });

  test('a mistyped option is one clear line, exit code 2', () => {
    const r = runDist('tour-cli.js', ['--fats']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tour: Unknown option '--fats'\. Valid options: /);
  });
});
