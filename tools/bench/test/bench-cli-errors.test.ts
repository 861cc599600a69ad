import { describe, expect, test } from '@jest/globals';
import { runDist } from './run-cli.js';

// Command-line mistakes: one clear line with the valid choices, exit code 2, never a stack trace.
describe('bench CLI errors', () => {
  test.each([
    [['--fast'], /Unknown option '--fast'.*Valid options: --quick, --tiny, --only/],
    [['--only', 'ipc-nope,node-fork-json'], /unknown case ipc-nope\. Valid cases: .*node-fork-json/],
    [['--workloads', 'W1,W9'], /unknown workload W9\. Valid workloads: W1, W2, W3, W4/],
    [['--launches', 'zero'], /--launches must be an integer/],
    [['--quick', '--tiny'], /exclude each other/],
  ])('%j', (args, message) => {
    const r = runDist('cli.js', args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  test('--list shows each case, its workloads and whether it can run here', () => {
    const r = runDist('cli.js', ['--list'], { IPC_BENCH_ADAPTERS: `${__dirname}/fixtures/adapters` });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^node-fork-relay-hub +node +W4 +ready$/m);
    expect(r.stdout).toMatch(/^faulty-unavailable .*unavailable: service not reachable/m);
    // 'node' is reserved for the Node built-ins (node-*), the reference of the ratios
    expect(r.stdout).toMatch(/^raw-library-baseline +library +W1 +ready$/m);
  });
});
